// safeStorage-backed secrets: refused on Linux basic_text / no encryption (memory only), encrypted otherwise.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { safeStorageBox } from '../../src-main/electron/safe-storage';
import { SecretFile, secretStorageStatus, tokenCacheStore } from '../../src-main/app/secrets';
import { SecretKeyStore } from '../../src-main/app/keystore';
import { tmpDirSync } from '../support/tmp';

/** A stand-in for Electron's safeStorage: a reversible transform, like the OS keyring would apply. */
function fakeSafeStorage(opts: { available: boolean; backend: string; reencrypt?: boolean }) {
  const calls = { encrypt: 0, decrypt: 0 };
  const api = {
    isAsyncEncryptionAvailable: async () => opts.available,
    getSelectedStorageBackend: () => opts.backend,
    encryptStringAsync: async (s: string) => {
      calls.encrypt++;
      return Buffer.from(`ENC:${Buffer.from(s).toString('base64').split('').reverse().join('')}`);
    },
    decryptStringAsync: async (b: Buffer) => {
      calls.decrypt++;
      const t = b.toString();
      if (!t.startsWith('ENC:')) throw new Error('bad');
      return { result: Buffer.from(t.slice(4).split('').reverse().join(''), 'base64').toString(), shouldReEncrypt: !!opts.reencrypt };
    },
  };
  return { api, calls };
}

const tmp = () => tmpDirSync('secrets');

describe('secretStorageStatus', () => {
  it('refuses basic_text and unknown backends on Linux, and no encryption anywhere', () => {
    expect(secretStorageStatus('linux', true, 'basic_text')).toMatchObject({ persistent: false, backend: 'basic_text' });
    expect(secretStorageStatus('linux', true, 'basic_text').reason).toMatch(/keyring/);
    expect(secretStorageStatus('linux', true, 'unknown').persistent).toBe(false);
    expect(secretStorageStatus('linux', true, 'gnome_libsecret').persistent).toBe(true);
    expect(secretStorageStatus('linux', true, 'kwallet6').persistent).toBe(true);
    expect(secretStorageStatus('win32', true).persistent).toBe(true);
    expect(secretStorageStatus('darwin', false)).toMatchObject({ persistent: false });
  });
});

describe('SecretFile over safeStorage', () => {
  it('with basic_text: keeps the secret in memory for the session, writes nothing', async () => {
    const { api, calls } = fakeSafeStorage({ available: true, backend: 'basic_text' });
    const dir = tmp();
    const store = tokenCacheStore(safeStorageBox(api as never, 'linux'), path.join(dir, 'msal.enc'));
    await store.save('{"RefreshToken":{"x":{"secret":"rt-123"}}}');
    expect(await store.load()).toContain('rt-123');
    expect(existsSync(path.join(dir, 'msal.enc'))).toBe(false);
    expect(calls.encrypt).toBe(0);
  });
  it('with a keyring: writes only ciphertext, reads it back in a new session, clear removes it', async () => {
    const { api } = fakeSafeStorage({ available: true, backend: 'gnome_libsecret' });
    const dir = tmp();
    const file = path.join(dir, 'msal.enc');
    const box = safeStorageBox(api as never, 'linux');
    const a = new SecretFile(box, file);
    await a.save('refresh-token-value-XYZ');
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain('refresh-token-value-XYZ');
    expect((await import('node:fs')).statSync(file).mode & 0o077).toBe(0);
    const b = new SecretFile(box, file); // next app start
    expect(await b.load()).toBe('refresh-token-value-XYZ');
    await b.clear();
    expect(existsSync(file)).toBe(false);
    expect(await new SecretFile(box, file).load()).toBeNull();
  });
  it('re-encrypts when safeStorage asks, and treats an undecryptable file as nothing saved (left in place)', async () => {
    const dir = tmp();
    const file = path.join(dir, 's.enc');
    const first = fakeSafeStorage({ available: true, backend: 'kwallet5', reencrypt: true });
    await new SecretFile(safeStorageBox(first.api as never, 'linux'), file).save('v1');
    await new SecretFile(safeStorageBox(first.api as never, 'linux'), file).load();
    expect(first.calls.encrypt).toBe(2);
    (await import('node:fs')).writeFileSync(file, 'garbage');
    expect(await new SecretFile(safeStorageBox(first.api as never, 'linux'), file).load()).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe('garbage');
  });
  it('saves through the atomic writer: a new private folder, no temp file left, a failed save says why and leaves nothing', async () => {
    const { api } = fakeSafeStorage({ available: true, backend: 'gnome_libsecret' });
    const fs = await import('node:fs');
    const dir = path.join(tmp(), 'new', 'folder');
    const file = path.join(dir, 'msal.enc');
    const box = safeStorageBox(api as never, 'linux');
    await new SecretFile(box, file).save('first');
    await new SecretFile(box, file).save('second');
    expect(fs.readdirSync(dir)).toEqual(['msal.enc']);
    expect(fs.statSync(dir).mode & 0o077).toBe(0);
    expect(await new SecretFile(box, file).load()).toBe('second');
    // The target is a folder holding a file: the rename fails; the message names the file, no temp file stays.
    const blocked = path.join(dir, 'blocked.enc');
    fs.mkdirSync(blocked);
    fs.writeFileSync(path.join(blocked, 'keep'), 'x');
    await expect(new SecretFile(box, blocked).save('third')).rejects.toThrow(/^Cannot write .*blocked\.enc: /);
    expect(fs.readdirSync(dir).sort()).toEqual(['blocked.enc', 'msal.enc']);
    expect(fs.readFileSync(path.join(blocked, 'keep'), 'utf8')).toBe('x');
  });
  it('the signing key store round-trips an Ed25519 key encrypted, never as a clear PEM', async () => {
    const { api } = fakeSafeStorage({ available: true, backend: 'gnome_libsecret' });
    const dir = tmp();
    const ks = new SecretKeyStore(safeStorageBox(api as never, 'linux'), path.join(dir, 'key.enc'));
    expect(await ks.load()).toBeNull();
    const { privateKey } = generateKeyPairSync('ed25519');
    await ks.save(privateKey);
    expect(readFileSync(path.join(dir, 'key.enc'), 'utf8')).not.toMatch(/PRIVATE KEY/);
    const again = new SecretKeyStore(safeStorageBox(api as never, 'linux'), path.join(dir, 'key.enc'));
    const loaded = await again.load();
    expect(loaded?.export({ format: 'jwk' })).toEqual(privateKey.export({ format: 'jwk' }));
    expect(await again.persistent()).toBe(true);
  });
});
