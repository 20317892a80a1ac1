// Secrets at rest (MSAL's token cache, the bundle signing key): encrypted by the OS through a SecretBox
// (Electron safeStorage in the app), or — when the OS offers no real encryption — kept in memory for
// this session only, never written in clear. Plain Node: the Electron adapter lives in src-main/electron.
import { promises as fsp } from 'node:fs';
import { writeFileAtomic } from '../lib/atomic-file';
import type { SecretStorageStatus } from '../shared/ipc-contract';

export interface SecretBox {
  status(): Promise<SecretStorageStatus>;
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(data: Uint8Array): Promise<{ text: string; shouldReEncrypt: boolean }>;
}

/** The notice when secrets cannot be encrypted at rest (basic_text, or encryption that claims to work but fails). */
export const MEMORY_ONLY_REASON =
  'No desktop keyring (GNOME Keyring / KWallet) is available, and without one secrets could only be obscured, not encrypted. Sign-ins and the bundle signing key are kept in memory only for this session. Unlock or install a keyring and restart the app to keep them.';

/** Thrown by a SecretBox from withEncryptFallback when the OS said it could encrypt but encrypting failed. */
export class EncryptionFailed extends Error {
  override name = 'EncryptionFailed';
}

/**
 * A SecretBox that survives an OS whose encryption claims to work but fails (a locked or broken keyring):
 * the first failed encrypt switches it to memory-only, with the same notice as basic_text, instead of
 * failing sign-in and signing. Nothing is ever written in clear.
 */
export function withEncryptFallback(box: SecretBox): SecretBox & { failed(): boolean } {
  let failed = false;
  return {
    failed: () => failed,
    async status() {
      const st = await box.status();
      return failed && st.persistent ? { persistent: false, backend: st.backend, reason: MEMORY_ONLY_REASON } : st;
    },
    async encrypt(plain) {
      if (failed) throw new EncryptionFailed('encryption failed earlier in this session');
      try {
        return await box.encrypt(plain);
      } catch (e) {
        failed = true;
        throw new EncryptionFailed(`the operating system could not encrypt: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    decrypt: (data) => box.decrypt(data),
  };
}

/**
 * Whether secrets may be kept on disk, from what the platform reports. Linux's `basic_text` backend
 * (no keyring found) only obscures data with a fixed key: refused, like no encryption at all.
 */
export function secretStorageStatus(platform: string, encryptionAvailable: boolean, linuxBackend?: string): SecretStorageStatus {
  const backend = platform === 'linux' ? (linuxBackend ?? 'unknown') : platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : platform;
  if (!encryptionAvailable) {
    return {
      persistent: false,
      backend,
      reason:
        'The operating system offers no encryption to this app, so sign-ins and the bundle signing key are kept in memory only and end when the app closes. Sign in again next time.',
    };
  }
  if (platform === 'linux' && (backend === 'basic_text' || backend === 'unknown')) {
    return { persistent: false, backend, reason: MEMORY_ONLY_REASON };
  }
  return { persistent: true, backend, reason: '' };
}

/** Encrypted bytes only: readable by this user alone (0o600 in a 0o700 folder), written atomically. */
function writePrivateFile(file: string, data: Uint8Array): Promise<void> {
  return writeFileAtomic(file, data, { mode: 0o600, mkdir: { mode: 0o700 } });
}

/**
 * One secret string, encrypted to `file` when the SecretBox can, else held in memory only.
 * Undecryptable files (another user, a reset keyring) read as "nothing saved"; they are not deleted here.
 */
export class SecretFile {
  private memory: string | null = null;
  private loaded = false;

  constructor(
    private readonly box: SecretBox,
    readonly file: string,
  ) {}

  async status(): Promise<SecretStorageStatus> {
    return this.box.status();
  }

  async load(): Promise<string | null> {
    if (this.loaded || this.memory !== null) return this.memory;
    this.loaded = true;
    const st = await this.box.status();
    if (!st.persistent) return null;
    let data: Buffer;
    try {
      data = await fsp.readFile(this.file);
    } catch {
      return null;
    }
    try {
      const { text, shouldReEncrypt } = await this.box.decrypt(data);
      this.memory = text;
      if (shouldReEncrypt) {
        try {
          await writePrivateFile(this.file, await this.box.encrypt(text));
        } catch (e) {
          if (!(e instanceof EncryptionFailed)) throw e;
        }
      }
      return text;
    } catch {
      return null;
    }
  }

  async save(text: string): Promise<void> {
    this.memory = text;
    this.loaded = true;
    const st = await this.box.status();
    if (!st.persistent) return;
    let data: Uint8Array;
    try {
      data = await this.box.encrypt(text);
    } catch (e) {
      // Encryption that claimed to work failed: keep the secret in memory only (the box now says so).
      if (e instanceof EncryptionFailed) return;
      throw e;
    }
    await writePrivateFile(this.file, data);
  }

  async clear(): Promise<void> {
    this.memory = null;
    this.loaded = true;
    await fsp.rm(this.file, { force: true });
  }
}

/** MSAL's TokenCacheStore ({load, save, clear}) backed by a SecretFile. */
export function tokenCacheStore(box: SecretBox, file: string): { load(): Promise<string | null>; save(data: string): Promise<void>; clear(): Promise<void> } {
  const f = new SecretFile(box, file);
  return { load: () => f.load(), save: (d) => f.save(d), clear: () => f.clear() };
}

/** A SecretBox with no OS encryption: nothing is ever written (tests, CLI-like runs, the e2e harness). */
export const memoryOnlyBox: SecretBox = {
  async status() {
    return secretStorageStatus('linux', false);
  },
  async encrypt() {
    throw new Error('no encryption available');
  },
  async decrypt() {
    throw new Error('no encryption available');
  },
};
