// The bundle signing key: Ed25519, generated on first use, kept encrypted behind a KeyStore.
// CLI: a passphrase-protected PKCS#8 PEM in the user's config folder. The desktop app supplies
// a safeStorage-backed KeyStore of its own (src-main/electron), with the same interface.
import { AppError } from '../lib/errors';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileAtomic } from '../lib/atomic-file';

export interface KeyStore {
  /** The stored private key, or null when none has been stored yet. Throws KeyError when it cannot be opened. */
  load(): Promise<KeyObject | null>;
  /** Store (replace) the private key, encrypted. */
  save(privateKey: KeyObject): Promise<void>;
  /** Where the key lives, for messages ("key file /home/x/.config/...", "the app's encrypted store"). */
  describe(): string;
  /** The public key without unlocking the private one, when the store keeps it in the clear. */
  loadPublic?(): Promise<KeyObject | null>;
}

export class KeyError extends AppError {
  override name = 'KeyError';
  constructor(message: string) {
    super('key.invalid', message);
  }
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  raw: Buffer;
  fingerprint: string;
}

export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') throw new KeyError(`not an Ed25519 key (it is ${pub.asymmetricKeyType ?? 'unknown'})`);
  const jwk = pub.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new KeyError('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

/** Short fingerprint: the first 16 hex digits of SHA-256 over the raw public key, grouped by 4. */
export function fingerprintOf(raw: Uint8Array): string {
  const hex = createHash('sha256').update(raw).digest('hex').slice(0, 16).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') throw new KeyError('the signing key must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  const raw = rawPublicKey(publicKey);
  return { privateKey, publicKey, raw, fingerprint: fingerprintOf(raw) };
}

/** Load the key, or generate and store one on first use. */
export async function getOrCreateSigningKey(store: KeyStore): Promise<SigningKey & { created: boolean }> {
  const existing = await store.load();
  if (existing) return { ...signingKeyFrom(existing), created: false };
  const { privateKey } = generateKeyPairSync('ed25519');
  await store.save(privateKey);
  return { ...signingKeyFrom(privateKey), created: true };
}

/** Parse a public key given as PEM (SPKI), a JWK, a minisign.pub file, or an Ed25519 private PEM (its public half). */
export function parsePublicKeyText(text: string, source: string): KeyObject {
  const t = text.trim();
  try {
    if (t.startsWith('-----BEGIN')) {
      const key = /PRIVATE KEY/.test(t) ? createPublicKey(createPrivateKey(t)) : createPublicKey(t);
      rawPublicKey(key);
      return key;
    }
    if (t.startsWith('{')) {
      const jwk = JSON.parse(t) as Record<string, unknown>;
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new KeyError('JWK is not an Ed25519 public key');
      return publicKeyFromRaw(Buffer.from(jwk.x, 'base64url'));
    }
    const lines = t.split(/\r?\n/);
    if (lines[0]?.startsWith('untrusted comment:') && lines[1]) {
      const bin = Buffer.from(lines[1].trim(), 'base64');
      if (bin.length !== 42 || bin.subarray(0, 2).toString('latin1') !== 'Ed') throw new KeyError('not a minisign public key');
      return publicKeyFromRaw(bin.subarray(10));
    }
  } catch (e) {
    throw new KeyError(`${source}: cannot read the public key: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new KeyError(`${source}: not a public key (expected a PEM "BEGIN PUBLIC KEY", an Ed25519 JWK, or a minisign.pub)`);
}

export function publicKeyPem(key: KeyObject): string {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'pem', type: 'spki' }).toString();
}

// ---- CLI key store: passphrase-protected PKCS#8 PEM in the config folder ----

export function defaultConfigDir(env: Record<string, string | undefined> = process.env): string {
  if (env.ICE_SSO_CONFIG_DIR) return env.ICE_SSO_CONFIG_DIR;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'ICE SSO Assistant');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'ICE SSO Assistant');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'ice-sso-assistant');
}

export type PassphraseProvider = (purpose: 'create' | 'unlock') => Promise<string>;

export class FileKeyStore implements KeyStore {
  readonly file: string;
  constructor(
    dir: string,
    private readonly passphrase: PassphraseProvider,
  ) {
    this.file = path.join(dir, 'bundle-signing-key.pem');
  }

  describe(): string {
    return `key file ${this.file}`;
  }

  get publicFile(): string {
    return this.file.replace(/\.pem$/, '.pub.pem');
  }

  async loadPublic(): Promise<KeyObject | null> {
    try {
      return parsePublicKeyText(await fsp.readFile(this.publicFile, 'utf8'), this.publicFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async load(): Promise<KeyObject | null> {
    let pem: string;
    try {
      pem = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new KeyError(`cannot read the signing key ${this.file}: ${(e as Error).message}`);
    }
    if (!pem.includes('BEGIN ENCRYPTED PRIVATE KEY')) throw new KeyError(`${this.file} is not an encrypted PKCS#8 key file; move it away to create a new key`);
    const pass = await this.passphrase('unlock');
    try {
      const key = createPrivateKey({ key: pem, format: 'pem', passphrase: pass });
      signingKeyFrom(key);
      return key;
    } catch (e) {
      if (e instanceof KeyError) throw e;
      throw new KeyError(`cannot unlock the signing key ${this.file}: wrong passphrase (check ICE_SSO_KEY_PASSPHRASE)`);
    }
  }

  async save(privateKey: KeyObject): Promise<void> {
    const pass = await this.passphrase('create');
    if (pass.length < 8) throw new KeyError('the key passphrase must have at least 8 characters');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: pass }).toString();
    await writeFileAtomic(this.file, pem, { backup: true, mode: 0o600, mkdir: { mode: 0o700 } });
    await writeFileAtomic(this.publicFile, publicKeyPem(privateKey), { backup: true, mode: 0o644 });
  }
}

/** Passphrase from ICE_SSO_KEY_PASSPHRASE, else asked on the terminal (not echoed). */
export function envOrTtyPassphrase(envVars: Record<string, string | undefined> = process.env): PassphraseProvider {
  return async (purpose) => {
    const env = envVars.ICE_SSO_KEY_PASSPHRASE;
    if (env !== undefined && env !== '') return env;
    if (!process.stdin.isTTY) {
      throw new KeyError('the bundle signing key needs a passphrase: set ICE_SSO_KEY_PASSPHRASE or run in a terminal');
    }
    const ask = async (prompt: string): Promise<string> => promptHidden(prompt);
    if (purpose === 'unlock') return ask('Passphrase for the bundle signing key: ');
    const a = await ask('New passphrase for the bundle signing key (8+ characters): ');
    const b = await ask('Repeat the passphrase: ');
    if (a !== b) throw new KeyError('the two passphrases differ; nothing was saved');
    return a;
  };
}

async function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(buf);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new KeyError('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** Import an organisation's own Ed25519 private key (PEM, optionally encrypted) into the store. */
export async function importSigningKey(store: KeyStore, pem: string, source: string, passphrase?: string): Promise<SigningKey> {
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch (e) {
    throw new KeyError(`${source}: not a readable private key PEM (${(e as Error).message}); an encrypted key needs its passphrase`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`${source}: the key is ${key.asymmetricKeyType ?? 'unknown'}, but bundles are signed with Ed25519 only`);
  await store.save(key);
  return signingKeyFrom(key);
}
