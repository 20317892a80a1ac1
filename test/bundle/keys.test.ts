import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileKeyStore, fingerprintOf, getOrCreateSigningKey, importSigningKey, KeyError, parsePublicKeyText, publicKeyPem } from '../../src-main/bundle/keys';
import { minisignPublicKeyFile } from '../../src-main/bundle/minisign';
import { tmpDir } from '../support/sites';

const pass = (p: string) => async () => p;

describe('signing key store', () => {
  it('makes a key on first use, stores it encrypted, and unlocks it only with the passphrase', async () => {
    const dir = await tmpDir('keys');
    const store = new FileKeyStore(dir, pass('correct horse'));
    const first = await getOrCreateSigningKey(store);
    expect(first.created).toBe(true);
    const pem = await fsp.readFile(store.file, 'utf8');
    expect(pem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect((await fsp.stat(store.file)).mode & 0o077).toBe(0);
    const again = await getOrCreateSigningKey(store);
    expect(again.created).toBe(false);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(fingerprintOf(again.raw)).toMatch(/^[0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4}$/);
    // the public half is readable without the passphrase
    expect(publicKeyPem((await store.loadPublic())!)).toBe(publicKeyPem(first.publicKey));
    await expect(new FileKeyStore(dir, pass('wrong one')).load()).rejects.toThrow(/wrong passphrase/);
    await expect(new FileKeyStore(await tmpDir('k2'), pass('short')).save(first.privateKey)).rejects.toThrow(/at least 8 characters/);
  });

  it("imports an organisation's Ed25519 key (plain or encrypted PEM) and refuses other kinds", async () => {
    const dir = await tmpDir('import');
    const store = new FileKeyStore(dir, pass('store passphrase'));
    const org = generateKeyPairSync('ed25519');
    const plain = org.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const k = await importSigningKey(store, plain, 'org.pem');
    expect(publicKeyPem(k.publicKey)).toBe(publicKeyPem(org.publicKey));
    expect((await getOrCreateSigningKey(store)).fingerprint).toBe(k.fingerprint);
    const enc = org.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'org secret' }).toString();
    expect((await importSigningKey(store, enc, 'org-enc.pem', 'org secret')).fingerprint).toBe(k.fingerprint);
    await expect(importSigningKey(store, enc, 'org-enc.pem')).rejects.toThrow(/org-enc\.pem: not a readable private key PEM/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(importSigningKey(store, rsa, 'rsa.pem')).rejects.toThrow(/rsa\.pem: the key is rsa, but bundles are signed with Ed25519 only/);
    // the previous key is kept as .bak
    expect((await fsp.readdir(dir)).sort()).toContain('bundle-signing-key.pem.bak');
  });

  it('reads a public key as PEM, JWK or minisign.pub, and says what is wrong otherwise', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKeyPem(publicKey);
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    for (const text of [pem, JSON.stringify(publicKey.export({ format: 'jwk' })), minisignPublicKeyFile(raw)]) {
      expect(publicKeyPem(parsePublicKeyText(text, 'k'))).toBe(pem);
    }
    expect(() => parsePublicKeyText('hello', 'k.txt')).toThrow(KeyError);
    expect(() => parsePublicKeyText('hello', 'k.txt')).toThrow(/k\.txt: not a public key/);
    const rsaPub = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => parsePublicKeyText(rsaPub, 'rsa.pub')).toThrow(/not an Ed25519 key/);
    expect(path.basename('x')).toBe('x');
  });
});
