// minisign-compatible detached signatures (https://jedisct1.github.io/minisign/), so an admin can
// check a bundle's SHA256SUMS with the stock `minisign -Vm SHA256SUMS -P <the engineer's public key>`.
// Prehashed form 'ED': Ed25519 over BLAKE2b-512 of the file; the global signature covers
// signature || trusted comment.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { publicKeyFromRaw } from './keys';

/**
 * minisign key id: 8 bytes derived from the public key: the first 8 bytes of its SHA-256, stored in reverse,
 * because minisign reads the id as a little-endian number. So minisign prints the first 16 hex digits of the
 * key's fingerprint (without leading zeros) wherever it names the key.
 */
export function minisignKeyId(raw: Uint8Array): Buffer {
  return Buffer.from(createHash('sha256').update(raw).digest().subarray(0, 8)).reverse();
}

/** How minisign prints a key id: `%PRIX64` of the 8 bytes read as a little-endian number (no zero padding). */
export function keyIdHex(id: Uint8Array): string {
  return Buffer.from(id).reverse().toString('hex').toUpperCase().replace(/^0+(?=.)/, '');
}

/** The public key in the base64 form `minisign -P` takes. */
export function minisignPublicKeyBase64(raw: Uint8Array): string {
  return Buffer.concat([Buffer.from('Ed', 'latin1'), minisignKeyId(raw), Buffer.from(raw)]).toString('base64');
}

/** A minisign.pub file, as `minisign -G` writes one. */
export function minisignPublicKeyFile(raw: Uint8Array): string {
  return `untrusted comment: minisign public key ${keyIdHex(minisignKeyId(raw))}\n${minisignPublicKeyBase64(raw)}\n`;
}

export function minisignSign(data: Uint8Array, privateKey: KeyObject, raw: Uint8Array, trustedComment: string, untrustedComment = 'signature from ICE SSO Assistant bundle key'): string {
  if (/[\r\n]/.test(trustedComment) || /[\r\n]/.test(untrustedComment)) throw new Error('comments must be single lines');
  const id = minisignKeyId(raw);
  const digest = createHash('blake2b512').update(data).digest();
  const sig = sign(null, digest, privateKey);
  const global = sign(null, Buffer.concat([sig, Buffer.from(trustedComment, 'utf8')]), privateKey);
  const sigBin = Buffer.concat([Buffer.from('ED', 'latin1'), id, sig]);
  return `untrusted comment: ${untrustedComment}\n${sigBin.toString('base64')}\ntrusted comment: ${trustedComment}\n${global.toString('base64')}\n`;
}

export interface MinisignCheck {
  ok: boolean;
  problem?: string;
  trustedComment?: string;
}

/** Parse a minisign.pub text into its key id and raw key. */
export function parseMinisignPublicKey(text: string): { id: Buffer; raw: Buffer } | null {
  const lines = text.split('\n');
  if (!lines[0]?.startsWith('untrusted comment:') || !lines[1]) return null;
  const bin = Buffer.from(lines[1].trim(), 'base64');
  if (bin.length !== 42 || bin.subarray(0, 2).toString('latin1') !== 'Ed' || bin.toString('base64') !== lines[1].trim()) return null;
  return { id: bin.subarray(2, 10), raw: bin.subarray(10) };
}

/** Verify a detached minisign signature with the given raw Ed25519 public key (same checks as minisign -V). */
export function minisignVerify(data: Uint8Array, sigText: string, raw: Uint8Array): MinisignCheck {
  const lines = sigText.split('\n');
  if (lines.length < 4 || !lines[0]!.startsWith('untrusted comment:') || !lines[2]!.startsWith('trusted comment: ')) {
    return { ok: false, problem: 'not a minisign signature file (wrong line layout)' };
  }
  const sigB64 = lines[1]!.trim();
  const sigBin = Buffer.from(sigB64, 'base64');
  if (sigBin.length !== 74 || sigBin.toString('base64') !== sigB64) return { ok: false, problem: 'the signature line is damaged' };
  const alg = sigBin.subarray(0, 2).toString('latin1');
  if (alg !== 'ED') return { ok: false, problem: `unsupported signature algorithm ${JSON.stringify(alg)} (expected prehashed ED)` };
  const id = sigBin.subarray(2, 10);
  if (!id.equals(minisignKeyId(raw))) return { ok: false, problem: `signed with another key (key id ${keyIdHex(id)}, expected ${keyIdHex(minisignKeyId(raw))})` };
  const pub = publicKeyFromRaw(raw);
  const digest = createHash('blake2b512').update(data).digest();
  if (!verify(null, digest, pub, sigBin.subarray(10))) return { ok: false, problem: 'the signature does not match the file' };
  const trusted = lines[2]!.slice('trusted comment: '.length);
  const globalB64 = (lines[3] ?? '').trim();
  const global = Buffer.from(globalB64, 'base64');
  if (global.length !== 64 || global.toString('base64') !== globalB64) return { ok: false, problem: 'the global signature line is damaged' };
  if (!verify(null, Buffer.concat([sigBin.subarray(10), Buffer.from(trusted, 'utf8')]), pub, global)) {
    return { ok: false, problem: 'the trusted comment was changed (global signature does not match)' };
  }
  const rest = lines.slice(4).join('\n');
  if (rest !== '') return { ok: false, problem: 'unexpected text after the signature' };
  return { ok: true, trustedComment: trusted };
}
