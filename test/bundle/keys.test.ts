import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileKeyStore, fingerprintOf, getOrCreateSigningKey, importSigningKey, KeyError, parseFingerprint, parsePublicKeyText, publicKeyPem, unwrapPrivateKey } from '../../src-main/bundle/keys';
import { minisignPublicKeyBase64, minisignPublicKeyFile } from '../../src-main/bundle/minisign';
import { tmpDir } from '../support/sites';

const pass = (p: string) => async () => p;

describe('signing key store', () => {
  it('makes a key on first use, stores it scrypt-wrapped, and unlocks it only with the passphrase', async () => {
    const dir = await tmpDir('keys');
    const store = new FileKeyStore(dir, pass('correct horse battery'));
    const first = await getOrCreateSigningKey(store);
    expect(first.created).toBe(true);
    const text = await fsp.readFile(store.file, 'utf8');
    const file = JSON.parse(text) as { kdf: { name: string; N: number; r: number; p: number }; cipher: string; data: string };
    // scrypt at OWASP's minimum cost (N=2^17, r=8, p=1), then AES-256-GCM; no PKCS#8 PEM in clear
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(file.cipher).toBe('aes-256-gcm');
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect((await fsp.stat(store.file)).mode & 0o077).toBe(0);
    const again = await getOrCreateSigningKey(store);
    expect(again.created).toBe(false);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(fingerprintOf(again.raw)).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);
    // the public half is readable without the passphrase
    expect(publicKeyPem((await store.loadPublic())!)).toBe(publicKeyPem(first.publicKey));
    await expect(new FileKeyStore(dir, pass('wrong one, twelve+')).load()).rejects.toThrow(/wrong passphrase/);
    await expect(new FileKeyStore(await tmpDir('k2'), pass('elevenchars')).save(first.privateKey)).rejects.toThrow(/at least 12 characters/);
    // a weakened or swapped header is refused, not used
    const weak = JSON.stringify({ ...JSON.parse(text), kdf: { ...file.kdf, N: 1024 } });
    await expect(unwrapPrivateKey(weak, 'correct horse battery', 'k')).rejects.toThrow(/weak parameters/);
    // the public key shown without the passphrase is authenticated with the private one: swapping it fails
    const swapped = JSON.stringify({ ...JSON.parse(text), publicKey: Buffer.alloc(32, 1).toString('base64') });
    await expect(unwrapPrivateKey(swapped, 'correct horse battery', 'k')).rejects.toThrow(/or the file was changed/);
  });

  it('re-wraps a key file of the older PBKDF2 (2,048 iterations) format with scrypt on first unlock', async () => {
    const dir = await tmpDir('legacy');
    const { privateKey } = generateKeyPairSync('ed25519');
    await fsp.writeFile(path.join(dir, 'bundle-signing-key.pem'), privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'an old passphrase' }));
    const store = new FileKeyStore(dir, pass('an old passphrase'));
    const k = await getOrCreateSigningKey(store);
    expect(k.created).toBe(false);
    expect(publicKeyPem(k.publicKey)).toBe(publicKeyPem(privateKey));
    expect((await fsp.readdir(dir)).sort()).toEqual(['bundle-signing-key.json', 'bundle-signing-key.pub.pem']);
    expect(JSON.parse(await fsp.readFile(store.file, 'utf8')).kdf.name).toBe('scrypt');
    expect((await getOrCreateSigningKey(new FileKeyStore(dir, pass('an old passphrase')))).fingerprint).toBe(k.fingerprint);
  });

  it('reads fingerprints as people type them, and refuses short ones', () => {
    const fp = fingerprintOf(Buffer.alloc(32, 7));
    expect(parseFingerprint(fp.toLowerCase().replace(/ /g, ''))).toEqual({ fingerprint: fp });
    expect(parseFingerprint(fp.replace(/ /g, ':'))).toEqual({ fingerprint: fp });
    expect(parseFingerprint(fp.slice(0, 19))).toEqual({ error: expect.stringMatching(/16 hex digits; a key fingerprint has 32 \(a minisign key id or an older 16-digit fingerprint is too short/) });
    expect(parseFingerprint('not a key')).toEqual({ error: expect.stringMatching(/not a key fingerprint/) });
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
    // the previous key is kept as .bak (scrypt-wrapped like the key)
    expect((await fsp.readdir(dir)).sort()).toContain('bundle-signing-key.json.bak');
  });

  it('reads a public key as PEM, JWK or minisign.pub, and says what is wrong otherwise', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKeyPem(publicKey);
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    for (const text of [pem, JSON.stringify(publicKey.export({ format: 'jwk' })), minisignPublicKeyFile(raw), minisignPublicKeyBase64(raw)]) {
      expect(publicKeyPem(parsePublicKeyText(text, 'k'))).toBe(pem);
    }
    expect(() => parsePublicKeyText('hello', 'k.txt')).toThrow(KeyError);
    expect(() => parsePublicKeyText('hello', 'k.txt')).toThrow(/k\.txt: not a public key/);
    const rsaPub = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => parsePublicKeyText(rsaPub, 'rsa.pub')).toThrow(/not an Ed25519 key/);
    expect(path.basename('x')).toBe('x');
  });
});
