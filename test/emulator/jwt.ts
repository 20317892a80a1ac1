// RS256 JWT minting and checking for the emulator (node:crypto only).
// Graph tokens carry a `nonce` in their JOSE header like Entra's: the signature covers the header with the
// nonce replaced by its SHA-256 (hex), so a plain JWKS check of a Graph token fails, as it does with Entra.
import { createHash, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as a JWK (kty, n, e, kid, use, alg, x5t). */
  jwk: Record<string, unknown>;
}

export function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = b64url(randomBytes(20));
  const exported = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { kty: 'RSA', use: 'sig', kid, x5t: kid, n: exported.n, e: exported.e, alg: 'RS256' },
  };
}

export function signJwt(key: SigningKey, payload: Record<string, unknown>, opts: { headerNonce?: boolean } = {}): string {
  const header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid };
  let signedHeader = header;
  if (opts.headerNonce) {
    const nonce = b64url(randomBytes(32));
    header.nonce = nonce;
    signedHeader = { ...header, nonce: createHash('sha256').update(nonce).digest('hex') };
  }
  const body = b64url(JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${b64url(JSON.stringify(signedHeader))}.${body}`), key.privateKey);
  return `${b64url(JSON.stringify(header))}.${body}.${b64url(signature)}`;
}

export type JwtCheck =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; reason: 'malformed' | 'signature' };

/** Checks an RS256 JWT minted by signJwt (Graph nonce tokens included). */
export function verifyJwt(key: SigningKey, token: string): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'RS256' || header.kid !== key.kid) return { ok: false, reason: 'signature' };
  let signedHeaderPart = h;
  if (typeof header.nonce === 'string') {
    signedHeaderPart = b64url(JSON.stringify({ ...header, nonce: createHash('sha256').update(header.nonce).digest('hex') }));
  }
  const good = verify('RSA-SHA256', Buffer.from(`${signedHeaderPart}.${p}`), key.publicKey, Buffer.from(s, 'base64url'));
  return good ? { ok: true, header, payload } : { ok: false, reason: 'signature' };
}

/** Decodes without checking (tests use it to look at claims). */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}
