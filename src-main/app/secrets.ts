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
    return {
      persistent: false,
      backend,
      reason:
        'No desktop keyring (GNOME Keyring / KWallet) is available, and without one secrets could only be obscured, not encrypted. Sign-ins and the bundle signing key are kept in memory only for this session. Unlock or install a keyring and restart the app to keep them.',
    };
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
      if (shouldReEncrypt) await writePrivateFile(this.file, await this.box.encrypt(text));
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
    await writePrivateFile(this.file, await this.box.encrypt(text));
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
