// Round trip and the tamper matrix: every change to a bundle is reported as exactly what it is.
import { createHash, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompactSign } from 'jose';
import { buildBundle, BundleRefused, JWS_TYP } from '../../src-main/bundle/build';
import { verifyBundle, type VerifyReport } from '../../src-main/bundle/verify';
import { readZip, writeZip } from '../../src-main/bundle/zip';
import { minisignSign } from '../../src-main/bundle/minisign';
import { ALL_FILES, CONTENT_FILES } from '../../src-main/bundle/schemas';
import { applyRun, newSiteDocument } from '../../src-main/sites/store';
import { testKey, verifiedSite, verifiedRun } from '../support/sites';
import type { SigningKey } from '../../src-main/bundle/keys';

let key: SigningKey;
let bytes: Buffer;
const WHEN = new Date('2026-11-26T14:10:00Z');

beforeAll(async () => {
  key = testKey();
  bytes = (await buildBundle(verifiedSite(), { key, now: WHEN, createdBy: 'tester' })).bytes;
});

type Files = Array<[string, Buffer]>;
const files = (b: Buffer): Files => readZip(b).map((e) => [e.name, Buffer.from(e.data)]);
const zip = (f: Files): Buffer => writeZip(f.map(([name, data]) => ({ name, data })), WHEN);
const edit = (name: string, fn: (d: Buffer) => Buffer): Buffer => zip(files(bytes).map(([n, d]) => [n, n === name ? fn(d) : d]));
const verify = (b: Buffer): Promise<VerifyReport> => verifyBundle(b, 'test.icesso', { publicKey: key.publicKey });
const codes = (r: VerifyReport): string[] => r.problems.map((p) => `${p.code}:${p.file ?? ''}`);

describe('bundle verify', () => {
  it('round trip: a fresh bundle is VALID with the signer key, UNTRUSTED without one (naming its fingerprint)', async () => {
    const r = await verify(bytes);
    expect(r.problems).toEqual([]);
    expect(r.verdict).toBe('VALID');
    expect(r.valid).toBe(true);
    expect(r.checks).toEqual({ archive: 'ok', signature: 'ok', minisign: 'ok', hashes: 'ok', schemas: 'ok', summary: 'ok' });
    expect(r.signer).toEqual({ fingerprint: key.fingerprint, keyId: key.fingerprint.replace(/ /g, '').slice(0, 16).replace(/^0+/, ''), selfSigned: false, expectedFingerprint: key.fingerprint });
    expect(r.trust).toEqual({ by: 'public-key' });
    expect(r.files.map((f) => f.name)).toEqual([...ALL_FILES]);
    const self = await verifyBundle(bytes, 'x', {});
    expect(self.verdict).toBe('UNTRUSTED');
    expect(self.valid).toBe(false);
    expect(self.problems).toEqual([]);
    expect(self.trust).toBeUndefined();
    expect(self.signer).toMatchObject({ fingerprint: key.fingerprint, selfSigned: true });
    // 128 bits: 32 hex digits in groups of four
    expect(key.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);
    expect(r.summary?.values.clientId).toBe(verifiedRun().run.values.clientId);
  });

  it('holds the eight values in sso-meta shape and ICE Desktop order, and no token or secret', () => {
    const f = Object.fromEntries(files(bytes));
    const meta = JSON.parse(f['sso-meta.json']!.toString());
    expect(Object.keys(meta)).toEqual(['provider', 'audience', 'authorizationUrl', 'tokenUrl', 'redirectUrl', 'tenantId', 'clientId', 'openIdConfUrl', 'scope']);
    expect(meta.provider).toBe('azure_ad');
    const values = JSON.parse(f['values.json']!.toString());
    expect(values.iceDesktop.map((x: { label: string }) => x.label)).toEqual(['Audience', 'Authorization URL', 'Token URL', 'Redirect URL', 'Tenant ID', 'Client ID', 'OpenID config URL', 'Scope']);
    const html = f['summary.html']!.toString();
    const labels = ['Audience', 'Authorization URL', 'Token URL', 'Redirect URL', 'Tenant ID', 'Client ID', 'OpenID config URL', 'Scope'].map((l) => html.indexOf(`>${l}<`));
    expect(labels.every((i, k) => i > 0 && (k === 0 || i > labels[k - 1]!))).toBe(true);
    expect(html).not.toMatch(/<script|<link|https?:\/\/[^"<\s]*\.(css|js|png|woff)/i);
    // manifest.jws is itself a JWS (a signature, not a token): every other file holds nothing token-shaped
    for (const [n, d] of files(bytes)) if (n !== 'manifest.jws') expect(d.toString()).not.toMatch(/eyJ[\w-]{8,}\.[\w-]{8,}\./);
    expect(JSON.parse(Buffer.from(f['manifest.jws']!.toString().split('.')[0]!, 'base64url').toString()).jwk).not.toHaveProperty('d');
  });

  it('reports a changed byte in each file as that file (CRC recomputed or not)', async () => {
    for (const name of CONTENT_FILES) {
      // an attacker who rebuilds a consistent ZIP: CRC matches, the signed hash does not
      const r = await verify(edit(name, (d) => Buffer.concat([d.subarray(0, 20), Buffer.from([d[20]! ^ 0x01]), d.subarray(21)])));
      expect(r.valid).toBe(false);
      expect(codes(r)[0]).toBe(`changed-file:${name}`);
      expect(r.problems.every((p) => p.file === name)).toBe(true); // a broken JSON file is also a schema error, of that file
      expect(r.problems[0]!.message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: changed after signing \\(SHA-256 expected`));
    }
  });

  it('detects a changed manifest, JWS header, JWS signature, minisign signature, SHA256SUMS and the wrong key', async () => {
    const f = Object.fromEntries(files(bytes));
    // manifest re-written to match a changed summary: the signature no longer covers it
    const newHtml = Buffer.from(f['summary.html']!.toString().replace('Contoso HQ', 'Evil Corp'));
    const m = JSON.parse(f['manifest.json']!.toString());
    m.files.find((x: { name: string }) => x.name === 'summary.html').sha256 = createHash('sha256').update(newHtml).digest('hex');
    m.files.find((x: { name: string }) => x.name === 'summary.html').size = newHtml.length;
    const forged = zip(files(bytes).map(([n, d]) => [n, n === 'summary.html' ? newHtml : n === 'manifest.json' ? Buffer.from(JSON.stringify(m, null, 2) + '\n') : d]));
    let r = await verify(forged);
    expect(codes(r)).toContain('manifest-mismatch:manifest.json');
    expect(codes(r)).toContain('bad-sums:SHA256SUMS');
    expect(r.verdict).toBe('INVALID');

    const jws = f['manifest.jws']!.toString().trim();
    const [h, p, s] = jws.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const withHeader = (hh: object): Buffer => edit('manifest.jws', () => Buffer.from(`${Buffer.from(JSON.stringify(hh)).toString('base64url')}.${p}.${s}\n`));
    for (const [hh, re] of [
      [{ ...header, alg: 'none' }, /only EdDSA/],
      [{ ...header, alg: 'HS256' }, /only EdDSA/],
      [{ ...header, alg: 'Ed25519' }, /only EdDSA/],
      [{ ...header, typ: 'JWT' }, /type "JWT"/],
      [{ ...header, kid: 'AAAA BBBB CCCC DDDD' }, /kid .* does not match/],
      [{ ...header, kid: key.fingerprint.slice(0, 19) }, /kid .* does not match/],
      [{ ...header, crit: ['b64'], b64: false }, /unexpected members/],
      [{ ...header, jwk: { ...header.jwk, d: 'AAAA' } }, /not an Ed25519 public key/],
    ] as Array<[object, RegExp]>) {
      r = await verify(withHeader(hh));
      expect(codes(r)).toContain('bad-header:manifest.jws');
      expect(r.problems.find((x) => x.code === 'bad-header')!.message).toMatch(re);
    }
    // header swapped for another key (kid consistent): the signature does not match that key, and it is not the expected key
    const other = testKey();
    r = await verify(withHeader({ ...header, kid: other.fingerprint, jwk: { kty: 'OKP', crv: 'Ed25519', x: other.raw.toString('base64url') } }));
    expect(codes(r)).toEqual(expect.arrayContaining(['wrong-key:manifest.jws', 'bad-signature:manifest.jws']));
    // signature bytes flipped
    const sig = Buffer.from(s, 'base64url');
    sig[10]! ^= 0x40;
    r = await verify(edit('manifest.jws', () => Buffer.from(`${h}.${p}.${sig.toString('base64url')}\n`)));
    expect(codes(r)).toEqual(['bad-signature:manifest.jws']);
    expect(r.problems[0]!.message).toMatch(/signature does not match/);
    // minisign signature and its trusted comment
    const ms = f['SHA256SUMS.minisig']!.toString();
    r = await verify(edit('SHA256SUMS.minisig', () => Buffer.from(ms.replace('site:Contoso HQ', 'site:Contoso HR'))));
    expect(codes(r)).toEqual(['bad-minisign:SHA256SUMS.minisig']);
    expect(r.problems[0]!.message).toMatch(/trusted comment was changed/);
    r = await verify(edit('SHA256SUMS.minisig', () => Buffer.from(minisignSign(f['SHA256SUMS']!, other.privateKey, other.raw, 'x'))));
    expect(codes(r)).toContain('bad-minisign:SHA256SUMS.minisig');
    // a trusted comment re-signed by the right key but not the one about.json gives
    const tc = ms.split('\n')[2]!.slice('trusted comment: '.length).replace('site:Contoso HQ', 'site:Elsewhere');
    r = await verify(edit('SHA256SUMS.minisig', () => Buffer.from(minisignSign(f['SHA256SUMS']!, key.privateKey, key.raw, tc))));
    expect(codes(r)).toEqual(['bad-minisign:SHA256SUMS.minisig']);
    expect(r.problems[0]!.message).toMatch(/trusted comment is not the one the signed about\.json gives/);
    // SHA256SUMS edited (a line dropped): its signature and the manifest both disagree
    r = await verify(edit('SHA256SUMS', (d) => Buffer.from(d.toString().split('\n').slice(1).join('\n'))));
    expect(codes(r)).toEqual(expect.arrayContaining(['bad-minisign:SHA256SUMS.minisig', 'bad-sums:SHA256SUMS']));

    // the whole bundle re-signed by another key: with --public-key it is the wrong key; without, UNTRUSTED with another fingerprint
    const resigned = (await buildBundle(verifiedSite(), { key: other, now: WHEN })).bytes;
    r = await verify(resigned);
    expect(codes(r)).toEqual(['wrong-key:manifest.jws']);
    expect(r.verdict).toBe('INVALID');
    expect(r.problems[0]!.message).toBe(`wrong key: expected fingerprint ${key.fingerprint}, the bundle is signed by ${other.fingerprint} (minisign key id ${other.fingerprint.replace(/ /g, '').slice(0, 16).replace(/^0+/, '')})`);
    const self = await verifyBundle(resigned, 'x');
    expect(self.verdict).toBe('UNTRUSTED');
    expect(self.signer?.fingerprint).toBe(other.fingerprint);
    expect(self.signer?.fingerprint).not.toBe(key.fingerprint);

    // a JWS signed with the right key over another payload (signature valid, manifest differs)
    const otherPayload = await new CompactSign(Buffer.from('{}')).setProtectedHeader(header).sign(key.privateKey);
    r = await verify(edit('manifest.jws', () => Buffer.from(otherPayload + '\n')));
    expect(codes(r)).toEqual(['manifest-mismatch:manifest.json']);
  });

  it('reports each missing file and any extra file', async () => {
    for (const name of ALL_FILES) {
      const r = await verify(zip(files(bytes).filter(([n]) => n !== name)));
      expect(r.valid).toBe(false);
      expect(codes(r)).toContain(`missing-file:${name}`);
    }
    const extra = zip([...files(bytes), ['notes.txt', Buffer.from('hello')]]);
    const r = await verify(extra);
    expect(codes(r)).toEqual(['extra-file:notes.txt']);
    expect(r.problems[0]!.message).toBe('extra file notes.txt (not in the signed manifest)');
    const reordered = zip(files(bytes).reverse());
    expect(codes(await verify(reordered))).toEqual(['bad-archive:']);
  });

  it('detects a flipped byte at every header offset and across all file data, naming the file when it is in one', async () => {
    const entries = readZip(bytes);
    const dataRanges = entries.map((e) => ({ name: e.name, start: e.offset + 30 + e.name.length, end: e.offset + 30 + e.name.length + e.data.length }));
    const offsets: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const inData = dataRanges.some((r) => i >= r.start && i < r.end);
      if (!inData || i % 23 === 0) offsets.push(i); // every header byte; every 23rd data byte
    }
    for (const r of dataRanges) offsets.push(r.start, r.end - 1); // first and last byte of each file
    let checked = 0;
    for (const off of offsets) {
      for (const mask of [0x01, 0x80]) {
        const t = Buffer.from(bytes);
        t[off]! ^= mask;
        const r = await verify(t);
        expect(r.valid, `flip at ${off}`).toBe(false);
        const inFile = dataRanges.find((x) => off >= x.start && off < x.end);
        if (inFile) expect(r.problems.map((p) => p.file), `flip at ${off}`).toContain(inFile.name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  }, 120_000);

  it('reports a truncated archive as truncated, at any length', async () => {
    for (let len = 0; len < bytes.length; len += Math.max(1, Math.floor(bytes.length / 300))) {
      const r = await verify(bytes.subarray(0, len));
      expect(r.valid).toBe(false);
      if (len >= 4) expect(codes(r), `cut at ${len}`).toEqual(['truncated:']);
    }
    for (const cut of [1, 5, 21, 22, 23, 100]) {
      const r = await verify(bytes.subarray(0, bytes.length - cut));
      expect(codes(r), `cut ${cut} from the end`).toEqual(['truncated:']);
      expect(r.problems[0]!.message).toMatch(/^truncated archive/);
    }
    const r = await verify(Buffer.concat([bytes, Buffer.from('junk')]));
    expect(r.problems[0]!.message).toMatch(/unexpected byte\(s\) after the end-of-archive record/);
    const notZip = await verify(Buffer.from('{"provider":"azure_ad"}'));
    expect(codes(notZip)).toEqual(['not-zip:']);
  });

  it('refuses to build a bundle without verified values, saying why', async () => {
    const empty = newSiteDocument({ name: 'Fresh', settings: {} });
    await expect(buildBundle(empty, { key })).rejects.toThrow(/no verified values yet: no verify or apply has been recorded/);
    const { run } = verifiedRun();
    const partial = applyRun(empty, { ...run, values: { ...run.values, clientId: null, scope: null } });
    await expect(buildBundle(partial, { key })).rejects.toThrow(/could not state Client ID, Scope/);
    const token = applyRun(newSiteDocument({ name: 'Leaky', settings: { note: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl' } }), run);
    await expect(buildBundle(token, { key })).rejects.toBeInstanceOf(BundleRefused);
    expect(createPublicKey(key.privateKey).asymmetricKeyType).toBe('ed25519');
    expect(JWS_TYP).toBe('ice-sso-manifest+jws');
  });
});

describe('bundle verify (property-based)', () => {
  it('any change of one to four bytes anywhere in the archive makes it invalid', async () => {
    const fc = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat({ max: bytes.length - 1 }), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }),
        async (edits) => {
          const t = Buffer.from(bytes);
          for (const e of edits) t[e.at]! ^= e.xor;
          if (t.equals(bytes)) return; // two edits cancelled out
          const r = await verify(t);
          expect(r.valid).toBe(false);
          expect(r.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 400 },
    );
  }, 60_000);

  it('inserting or deleting bytes anywhere is reported, never accepted', async () => {
    const fc = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length }), fc.uint8Array({ minLength: 0, maxLength: 8 }), fc.nat({ max: 8 }), async (at, ins, del) => {
        if (ins.length === 0 && del === 0) return;
        const t = Buffer.concat([bytes.subarray(0, at), Buffer.from(ins), bytes.subarray(Math.min(bytes.length, at + del))]);
        if (t.equals(bytes)) return;
        expect((await verify(t)).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
