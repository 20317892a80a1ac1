// The bundle signing key: Ed25519, generated on first use, kept encrypted behind a KeyStore.
// CLI: a passphrase-protected PKCS#8 PEM in the user's config folder. The desktop app supplies
// a safeStorage-backed KeyStore of its own (src-main/electron), with the same interface.
import { AppError } from '../lib/errors';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scrypt, type KeyObject } from 'node:crypto';
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

/** Hex digits in a fingerprint: 128 bits of SHA-256 over the raw public key. */
export const FINGERPRINT_HEX = 32;

/**
 * The key's fingerprint, the one format shown everywhere (tool, summary, CLI, minisign trusted comment):
 * the first 128 bits of SHA-256 over the raw 32-byte public key, upper-case hex in groups of four
 * (`7FBD 7C96 9C7F E4D1 0A2B 11C0 D3E4 F567`). Its first 16 digits are the minisign key id.
 */
export function fingerprintOf(raw: Uint8Array): string {
  const hex = createHash('sha256').update(raw).digest('hex').slice(0, FINGERPRINT_HEX).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

/**
 * The minisign key id as minisign prints it (`%PRIX64` of the 8 id bytes read little-endian: upper-case hex,
 * no leading zeros). The id bytes are chosen so that this is the start of the fingerprint.
 */
export function minisignKeyIdText(raw: Uint8Array): string {
  return fingerprintOf(raw).replace(/ /g, '').slice(0, 16).replace(/^0+(?=.)/, '');
}

/** "fingerprint (minisign key id X)": how a key is named to a person. */
export function keyLabel(raw: Uint8Array): string {
  return `${fingerprintOf(raw)} (minisign key id ${minisignKeyIdText(raw)})`;
}

/**
 * A fingerprint as a person typed or read it (spaces, colons or dashes between groups, any case) in the
 * canonical form, or a message saying what is wrong with it.
 */
export function parseFingerprint(input: string): { fingerprint: string } | { error: string } {
  const hex = input.replace(/[\s:-]/g, '').toUpperCase();
  if (!/^[0-9A-F]*$/.test(hex)) return { error: `"${input}" is not a key fingerprint: it has characters other than 0-9, A-F and spaces.` };
  if (hex.length !== FINGERPRINT_HEX) {
    const short = hex.length <= 16 ? ' (a minisign key id or an older 16-digit fingerprint is too short to identify a key)' : '';
    return { error: `"${input}" has ${hex.length} hex digits; a key fingerprint has ${FINGERPRINT_HEX}${short}. Ask the engineer to read out the whole fingerprint \`keys show\` prints.` };
  }
  return { fingerprint: hex.match(/.{4}/g)!.join(' ') };
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
    // A minisign.pub file, or the one-line base64 form `minisign -P` takes.
    const b64 = lines[0]?.startsWith('untrusted comment:') && lines[1] ? lines[1].trim() : lines.length === 1 && /^RW[A-Za-z0-9+/]{54}$/.test(t) ? t : undefined;
    if (b64 !== undefined) {
      const bin = Buffer.from(b64, 'base64');
      if (bin.length !== 42 || bin.subarray(0, 2).toString('latin1') !== 'Ed') throw new KeyError('not a minisign public key');
      return publicKeyFromRaw(bin.subarray(10));
    }
  } catch (e) {
    throw new KeyError(`${source}: cannot read the public key: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new KeyError(`${source}: not a public key (expected a PEM "BEGIN PUBLIC KEY", an Ed25519 JWK, a minisign.pub or its one-line RW... form)`);
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

/** Shortest passphrase accepted for a new key file. */
export const MIN_PASSPHRASE = 12;
const KEY_FILE_FORMAT = 'ice-sso-signing-key' as const;
/** scrypt cost (OWASP's minimum for scrypt: N=2^17, r=8, p=1; 128 MiB, about 0.3 s here). */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const SCRYPT_MAXMEM = 256 * 1024 * 1024;

interface WrappedKeyFile {
  format: typeof KEY_FILE_FORMAT;
  version: 1;
  /** The public half (raw, base64): shown without the passphrase. */
  publicKey: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  /** The PKCS#8 DER of the private key, encrypted. */
  data: string;
}

function scryptKey(pass: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pass.normalize('NFC'), salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: SCRYPT_MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** What is authenticated besides the key: every header field, so none can be swapped. */
function wrapAad(f: Omit<WrappedKeyFile, 'iv' | 'tag' | 'data'>): Buffer {
  return Buffer.from(JSON.stringify([f.format, f.version, f.publicKey, f.kdf, f.cipher]), 'utf8');
}

/** Encrypt an Ed25519 private key under a passphrase: scrypt (N=2^17, r=8, p=1) then AES-256-GCM. */
export async function wrapPrivateKey(privateKey: KeyObject, pass: string): Promise<string> {
  if (pass.length < MIN_PASSPHRASE) throw new KeyError(`the key passphrase must have at least ${MIN_PASSPHRASE} characters; nothing was saved`);
  const salt = randomBytes(16);
  const head = {
    format: KEY_FILE_FORMAT as typeof KEY_FILE_FORMAT,
    version: 1 as const,
    publicKey: rawPublicKey(privateKey).toString('base64'),
    kdf: { name: 'scrypt' as const, ...SCRYPT, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm' as const,
  };
  const key = await scryptKey(pass, salt, SCRYPT);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(wrapAad(head));
  const data = Buffer.concat([c.update(privateKey.export({ format: 'der', type: 'pkcs8' })), c.final()]);
  const file: WrappedKeyFile = { ...head, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
  return JSON.stringify(file, null, 2) + '\n';
}

function parseWrapped(text: string, where: string): WrappedKeyFile {
  let f: WrappedKeyFile;
  try {
    f = JSON.parse(text) as WrappedKeyFile;
  } catch {
    throw new KeyError(`${where} is not a key file (not JSON); move it away to create a new key`);
  }
  const k = f?.kdf;
  if (
    f?.format !== KEY_FILE_FORMAT ||
    f.version !== 1 ||
    f.cipher !== 'aes-256-gcm' ||
    k?.name !== 'scrypt' ||
    ![k.N, k.r, k.p].every((n) => Number.isInteger(n) && n > 0) ||
    // Never weaker than what we write, never so costly that opening it hangs.
    k.N < SCRYPT.N || k.N > 2 ** 20 || k.r < SCRYPT.r || k.r > 32 || k.p > 16 ||
    ![f.publicKey, k.salt, f.iv, f.tag, f.data].every((v) => typeof v === 'string')
  ) {
    throw new KeyError(`${where} is not a key file this tool can open (unknown format or weak parameters); move it away to create a new key`);
  }
  return f;
}

/** Decrypt a key file written by wrapPrivateKey. Throws KeyError for a wrong passphrase or a damaged file. */
export async function unwrapPrivateKey(text: string, pass: string, where: string): Promise<KeyObject> {
  const f = parseWrapped(text, where);
  const key = await scryptKey(pass, Buffer.from(f.kdf.salt, 'base64'), f.kdf);
  let der: Buffer;
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(f.iv, 'base64'));
    d.setAAD(wrapAad(f));
    d.setAuthTag(Buffer.from(f.tag, 'base64'));
    der = Buffer.concat([d.update(Buffer.from(f.data, 'base64')), d.final()]);
  } catch {
    throw new KeyError(`cannot unlock the signing key ${where}: wrong passphrase (check ICE_SSO_KEY_PASSPHRASE), or the file was changed`);
  }
  const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (!rawPublicKey(priv).equals(Buffer.from(f.publicKey, 'base64'))) throw new KeyError(`${where}: the public key written in the file is not the one encrypted in it; the file was changed`);
  return priv;
}

export class FileKeyStore implements KeyStore {
  /** The key file: scrypt + AES-256-GCM (JSON). */
  readonly file: string;
  /** The format before it: a PKCS#8 PEM encrypted with PBKDF2 at 2,048 iterations; read once and re-wrapped. */
  readonly legacyFile: string;
  constructor(
    dir: string,
    private readonly passphrase: PassphraseProvider,
  ) {
    this.file = path.join(dir, 'bundle-signing-key.json');
    this.legacyFile = path.join(dir, 'bundle-signing-key.pem');
  }

  describe(): string {
    return `key file ${this.file}`;
  }

  get publicFile(): string {
    return path.join(path.dirname(this.file), 'bundle-signing-key.pub.pem');
  }

  async loadPublic(): Promise<KeyObject | null> {
    try {
      return parsePublicKeyText(await fsp.readFile(this.publicFile, 'utf8'), this.publicFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  private async read(file: string): Promise<string | null> {
    try {
      return await fsp.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new KeyError(`cannot read the signing key ${file}: ${(e as Error).message}`);
    }
  }

  async load(): Promise<KeyObject | null> {
    const text = await this.read(this.file);
    if (text !== null) {
      const key = await unwrapPrivateKey(text, await this.passphrase('unlock'), this.file);
      signingKeyFrom(key);
      return key;
    }
    const pem = await this.read(this.legacyFile);
    if (pem === null) return null;
    if (!pem.includes('BEGIN ENCRYPTED PRIVATE KEY')) throw new KeyError(`${this.legacyFile} is not an encrypted PKCS#8 key file; move it away to create a new key`);
    const pass = await this.passphrase('unlock');
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pem, format: 'pem', passphrase: pass });
      signingKeyFrom(key);
    } catch (e) {
      if (e instanceof KeyError) throw e;
      throw new KeyError(`cannot unlock the signing key ${this.legacyFile}: wrong passphrase (check ICE_SSO_KEY_PASSPHRASE)`);
    }
    // Re-wrap the old file with scrypt under the same passphrase, then remove the weakly wrapped copy.
    if (pass.length >= MIN_PASSPHRASE) {
      await this.write(key, pass);
      await fsp.rm(this.legacyFile, { force: true });
    }
    return key;
  }

  private async write(privateKey: KeyObject, pass: string): Promise<void> {
    const text = await wrapPrivateKey(privateKey, pass);
    await writeFileAtomic(this.file, text, { backup: true, mode: 0o600, mkdir: { mode: 0o700 } });
    await writeFileAtomic(this.publicFile, publicKeyPem(privateKey), { backup: true, mode: 0o644 });
  }

  async save(privateKey: KeyObject): Promise<void> {
    const pass = await this.passphrase('create');
    if (pass.length < MIN_PASSPHRASE) throw new KeyError(`the key passphrase must have at least ${MIN_PASSPHRASE} characters (ICE_SSO_KEY_PASSPHRASE or the prompt); nothing was saved`);
    await this.write(privateKey, pass);
    await fsp.rm(this.legacyFile, { force: true });
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
    const a = await ask('New passphrase for the bundle signing key (12+ characters): ');
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
