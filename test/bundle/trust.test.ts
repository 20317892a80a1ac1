// Who vouches for a bundle: the three verdicts (VALID / UNTRUSTED exit 4 / INVALID), the admin's trusted keys,
// forgeries by another key that claim the genuine engineer's fingerprint, forged summaries, benign names that
// look like markup, readiness (INCOMPLETE) and the evidence each step carries across runs.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { main } from '../../src-main/cli/main';
import type { CliIO } from '../../src-main/cli/io';
import { buildBundle, contentFiles, sealBundle, trustedCommentFor } from '../../src-main/bundle/build';
import { minisignKeyIdText, type SigningKey } from '../../src-main/bundle/keys';
import { latestEvidence } from '../../src-main/bundle/readiness';
import { TrustStore } from '../../src-main/bundle/trust';
import { verifyBundle } from '../../src-main/bundle/verify';
import { readZip } from '../../src-main/bundle/zip';
import { minisignPublicKeyFile } from '../../src-main/bundle/minisign';
import { applyRun, newSiteDocument, saveSite } from '../../src-main/sites/store';
import type { SiteDocument } from '../../src-main/sites/schema';
import type { RunRecord } from '../../src-main/core/types';
import { testKey, tmpDir, verifiedRun, verifiedSite } from '../support/sites';

const WHEN = new Date('2026-11-26T14:10:00Z');

async function cli(cwd: string, cfg: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    readStdin: async () => '',
    env: { ICE_SSO_CONFIG_DIR: cfg, ICE_SSO_KEY_PASSPHRASE: 'a long test passphrase' },
    cwd,
  };
  return { code: await main(argv, io), out, err };
}

type Docs = Parameters<typeof contentFiles>[0];
/** The signed documents of a bundle, as a forger who unzipped it sees them. */
function docsOf(bytes: Buffer): Docs {
  const f = Object.fromEntries(readZip(bytes).map((e) => [e.name, JSON.parse(e.name.endsWith('.json') ? e.data.toString() : 'null') as Record<string, unknown>]));
  const valuesFile = f['values.json'] as { values: Docs['values'] };
  return { about: f['about.json'] as Docs['about'], values: valuesFile.values, valuesFile, checklist: f['checklist.json'] as Docs['checklist'], ssoMeta: f['sso-meta.json'], settings: f['settings.json'] };
}

/**
 * The attack: take the genuine engineer's bundle, point it at another tenant and client id, keep the genuine
 * fingerprint in about.json (so summary.html and the minisign trusted comment claim it), re-render everything
 * consistently with the tool's own code and sign it with the forger's key.
 */
async function forge(genuine: Buffer, forger: SigningKey, edit: (d: Docs) => void = () => undefined): Promise<Buffer> {
  const d = docsOf(genuine);
  const evilTenant = '0badbeef-0bad-4bad-8bad-0badbeef0bad';
  const evilClient = 'deadbeef-dead-4bad-8bad-deadbeefdead';
  const swap = (v: string) => v.replaceAll(d.values.tenantId, evilTenant).replaceAll(d.values.clientId, evilClient);
  const values = Object.fromEntries(Object.entries(d.values).map(([k, v]) => [k, swap(v)])) as Docs['values'];
  d.values = values;
  d.valuesFile = { ...(d.valuesFile as object), values, iceDesktop: (d.valuesFile as { iceDesktop: Array<{ key: string; value: string }> }).iceDesktop.map((x) => ({ ...x, value: swap(x.value) })) };
  d.ssoMeta = { provider: 'azure_ad', ...values };
  d.about = { ...d.about, tenant: { ...d.about.tenant, id: evilTenant }, app: { appId: evilClient } };
  edit(d);
  return (await sealBundle(contentFiles(d), forger, trustedCommentFor(d.about), WHEN)).bytes;
}

let genuineKey: SigningKey;
let forgerKey: SigningKey;
let genuine: Buffer;
beforeAll(async () => {
  genuineKey = testKey();
  forgerKey = testKey();
  genuine = (await buildBundle(verifiedSite(), { key: genuineKey, now: WHEN, createdBy: 'megan' })).bytes;
});

describe('trust verdicts', () => {
  it('unpinned → UNTRUSTED; pinned by key or fingerprint, or in the trusted keys → VALID', async () => {
    expect((await verifyBundle(genuine, 'b')).verdict).toBe('UNTRUSTED');
    expect((await verifyBundle(genuine, 'b', { publicKey: genuineKey.publicKey })).verdict).toBe('VALID');
    expect((await verifyBundle(genuine, 'b', { fingerprint: genuineKey.fingerprint.toLowerCase() })).verdict).toBe('VALID');
    const store = TrustStore.inDir(await tmpDir('trust'));
    await store.add({ fingerprint: genuineKey.fingerprint }, { name: 'Contoso field team' });
    const r = await verifyBundle(genuine, 'b', { trusted: await store.list() });
    expect(r.verdict).toBe('VALID');
    expect(r.trust).toMatchObject({ by: 'trusted-keys', name: 'Contoso field team' });
    // a trusted store that holds other keys only: still UNTRUSTED, never INVALID
    const other = TrustStore.inDir(await tmpDir('trust2'));
    await other.add({ key: forgerKey.publicKey });
    expect((await verifyBundle(genuine, 'b', { trusted: await other.list() })).verdict).toBe('UNTRUSTED');
    // a pinned other key or fingerprint: INVALID
    expect((await verifyBundle(genuine, 'b', { publicKey: forgerKey.publicKey })).verdict).toBe('INVALID');
    expect((await verifyBundle(genuine, 'b', { fingerprint: forgerKey.fingerprint })).verdict).toBe('INVALID');
  });

  it('a bundle re-signed by another key, claiming the genuine fingerprint in its summary and trusted comment → UNTRUSTED unpinned, INVALID pinned', async () => {
    const forged = await forge(genuine, forgerKey);
    const files = Object.fromEntries(readZip(forged).map((e) => [e.name, e.data.toString()]));
    // the claims are really there
    expect(files['summary.html']).toContain(genuineKey.fingerprint);
    expect(files['summary.html']).not.toContain(forgerKey.fingerprint);
    expect(files['SHA256SUMS.minisig']).toContain(`key:${genuineKey.fingerprint}`);
    expect(files['values.json']).toContain('deadbeef-dead-4bad-8bad-deadbeefdead');

    const unpinned = await verifyBundle(forged, 'forged.icesso');
    expect(unpinned.verdict).toBe('UNTRUSTED');
    // it names the key that really signed, never the claimed one, and says the claim is false
    expect(unpinned.signer?.fingerprint).toBe(forgerKey.fingerprint);
    expect(unpinned.warnings.join()).toContain(`claims to be signed by ${genuineKey.fingerprint}`);
    expect(unpinned.warnings.join()).toContain(`signed by ${forgerKey.fingerprint}`);

    const pinned = await verifyBundle(forged, 'forged.icesso', { publicKey: genuineKey.publicKey });
    expect(pinned.verdict).toBe('INVALID');
    expect(pinned.problems.map((p) => p.code)).toContain('wrong-key');
    expect((await verifyBundle(forged, 'f', { fingerprint: genuineKey.fingerprint })).verdict).toBe('INVALID');
    // the admin trusts the genuine engineer: the forgery is not VALID
    const store = TrustStore.inDir(await tmpDir('trust3'));
    await store.add({ key: genuineKey.publicKey });
    expect((await verifyBundle(forged, 'f', { trusted: await store.list() })).verdict).toBe('UNTRUSTED');
    // a trusted key that signs a bundle claiming to be another key is lying: INVALID
    expect((await verifyBundle(forged, 'f', { publicKey: forgerKey.publicKey })).problems.map((p) => p.code)).toEqual(['claims-other-signer']);

    // the same through the CLI, exit codes 4 and 1
    const dir = await tmpDir('forged');
    await fsp.writeFile(path.join(dir, 'forged.icesso'), forged);
    await fsp.writeFile(path.join(dir, 'engineer.pub'), minisignPublicKeyFile(genuineKey.raw));
    let r = await cli(dir, dir, 'bundle', 'verify', 'forged.icesso');
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/^UNTRUSTED: forged\.icesso\n/);
    expect(r.out).toContain(`Signed by ${forgerKey.fingerprint}`);
    expect(r.out).toMatch(/WARNING: the bundle claims to be signed by/);
    r = await cli(dir, dir, 'bundle', 'verify', 'forged.icesso', '--public-key', 'engineer.pub');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^INVALID: /);
    expect(r.out).toContain(`expected fingerprint ${genuineKey.fingerprint}`);
  });

  it('a forged summary.html with script (onerror, no CSP) is INVALID, whoever signed it', async () => {
    const evil = '<!doctype html><html><body><img src=x onerror="alert(document.domain)"><h1>ICE Server SSO settings</h1></body></html>';
    // changed after signing
    const entries = readZip(genuine).map((e) => ({ name: e.name, data: e.name === 'summary.html' ? Buffer.from(evil) : e.data }));
    const { writeZip } = await import('../../src-main/bundle/zip');
    const r1 = await verifyBundle(writeZip(entries, WHEN), 'x', { publicKey: genuineKey.publicKey });
    expect(r1.verdict).toBe('INVALID');
    // re-sealed with a consistent manifest and SHA256SUMS, by the forger or even by the genuine key
    const d = docsOf(genuine);
    const files = contentFiles(d).map(([n, b]): [string, Buffer] => [n, n === 'summary.html' ? Buffer.from(b.toString().replace('<header>', '<header><img src=x onerror="alert(1)">')) : b]);
    for (const [k, opts] of [
      [forgerKey, {}],
      [genuineKey, { publicKey: genuineKey.publicKey }],
    ] as const) {
      const sealed = (await sealBundle(files, k, trustedCommentFor({ ...d.about, signer: { fingerprint: k.fingerprint, keyId: minisignKeyIdText(k.raw) } }), WHEN)).bytes;
      const r = await verifyBundle(sealed, 'x', opts);
      expect(r.verdict).toBe('INVALID');
      expect(r.problems.map((p) => `${p.code}:${p.file}`)).toContain('summary-differs:summary.html');
      expect(r.checks.summary).toBe('failed');
    }
  });

  it('benign names that look like markup or CSS (@import, <script>, &) export fine and verify VALID', async () => {
    for (const name of ['Contoso @import DC', 'R&D <script> lab', 'Site "quoted" \'single\' <link href=//x>', 'Ümlaut · 東京 DC']) {
      const site = { ...verifiedSite(name), tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47', domain: 'contoso@import.onmicrosoft.com' } };
      const b = await buildBundle(site, { key: genuineKey, createdBy: 'x <y@z> @import url(//evil)' });
      const r = await verifyBundle(b.bytes, 'b', { publicKey: genuineKey.publicKey });
      expect(r.problems, name).toEqual([]);
      expect(r.verdict, name).toBe('VALID');
      const html = readZip(b.bytes).find((e) => e.name === 'summary.html')!.data.toString();
      expect(html).not.toContain('<script>');
      expect(html).toContain(name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    }
  });
});

/** A site whose latest verify fails redirect URIs and the upn claim. */
function failingSite(name = 'Fabrikam DC'): SiteDocument {
  const { run } = verifiedRun();
  const steps = run.steps.map((s) =>
    s.id === 'auth.spa-redirects' ? { ...s, status: 'fail' as const, found: 'Missing https://ice-dc2.contoso.com/sso.', fix: 'Add it under Single-page application (`apply` does it).' } : s.id === 'token.upn-claim' ? { ...s, status: 'fail' as const, found: 'No upn claim in the access token.' } : s,
  );
  return applyRun(newSiteDocument({ name, settings: verifiedSite().settings, tenant: { id: run.tenantId! } }, '2026-11-26T13:00:00.000Z'), { ...run, steps });
}

describe('readiness', () => {
  it('incomplete export is refused naming the failing steps, then allowed with --allow-incomplete and labelled INCOMPLETE everywhere', async () => {
    const dir = await tmpDir('incomplete');
    const cfg = await tmpDir('incomplete-cfg');
    await saveSite(path.join(dir, 'fabrikam.json'), failingSite());
    let r = await cli(dir, cfg, 'bundle', 'export', '--site', 'fabrikam.json', '--out', 'out/');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^refused: site "Fabrikam DC" is not ready: 2 steps fail in its latest results: auth\.spa-redirects \(.*verify 2026-11-26 14:03 UTC\), token\.upn-claim/);
    expect(r.err).toMatch(/--allow-incomplete/);
    expect(await fsp.readdir(cfg)).toEqual([]); // refused before a key is made
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'fabrikam.json', '--out', 'out/', '--allow-incomplete');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/INCOMPLETE: exported although auth\.spa-redirects, token\.upn-claim fail/);
    const file = path.join(dir, 'out', 'Fabrikam-DC.icesso');
    r = await cli(dir, cfg, 'bundle', 'verify', file, '--json');
    expect(r.code).toBe(4);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'UNTRUSTED', complete: false, failing: ['auth.spa-redirects', 'token.upn-claim'] });
    r = await cli(dir, cfg, 'bundle', 'show', file);
    expect(r.out).toMatch(/^UNTRUSTED: .*\n(.*\n)* {2}INCOMPLETE: 2 step\(s\) failed when this bundle was made .*: auth\.spa-redirects, token\.upn-claim\./);
    const html = readZip(await fsp.readFile(file)).find((e) => e.name === 'summary.html')!.data.toString();
    expect(html.indexOf('class="incomplete"')).toBeGreaterThan(0);
    expect(html.indexOf('class="incomplete"')).toBeLessThan(html.indexOf('<header>'));
    expect(html).toMatch(/<b>INCOMPLETE<\/b> · 2 steps failed when this bundle was made: <code>auth\.spa-redirects<\/code>, <code>token\.upn-claim<\/code>/);
    // no literal markdown: the fix's `apply` is a code span
    expect(html).toContain('(<code><span class="nb">apply</span></code> does it)');
    expect(html).not.toMatch(/`/);
  });

  it('the bundle carries the latest result of each step across runs, with its time: server check then verify keeps the /sso-meta evidence', () => {
    const { run } = verifiedRun();
    const ssoPass = { id: 'server.sso-meta' as const, status: 'pass' as const, title: "ICE Server's /sso-meta matches", found: 'Both hosts answer with the eight values.', expected: 'x', fix: '' };
    const check: RunRecord = { ...run, kind: 'audit', at: '2026-11-26T15:00:00.000Z', steps: run.steps.map((s) => (s.id === 'server.sso-meta' ? ssoPass : s)) };
    const reverify: RunRecord = { ...run, at: '2026-11-26T16:00:00.000Z' };
    const ev = latestEvidence([run, check, reverify]);
    const sso = ev.find((s) => s.id === 'server.sso-meta')!;
    expect(sso).toMatchObject({ status: 'pass', kind: 'audit', at: '2026-11-26T15:00:00.000Z' });
    // the other steps carry the latest verify; the server check repeating them unchanged does not re-date them
    expect(ev.find((s) => s.id === 'auth.spa-redirects')).toMatchObject({ kind: 'verify', at: '2026-11-26T16:00:00.000Z' });
    expect(latestEvidence([run, check]).find((s) => s.id === 'auth.spa-redirects')).toMatchObject({ kind: 'verify', at: run.at });
    // a later decided result replaces an earlier one (a fix, or a regression)
    const broke: RunRecord = { ...reverify, at: '2026-11-26T17:00:00.000Z', steps: run.steps.map((s) => (s.id === 'server.sso-meta' ? { ...ssoPass, status: 'fail' as const } : s)) };
    expect(latestEvidence([run, check, reverify, broke]).find((s) => s.id === 'server.sso-meta')).toMatchObject({ status: 'fail', at: '2026-11-26T17:00:00.000Z' });
    expect(ev.map((s) => s.id)).toEqual(run.steps.map((s) => s.id));
  });

  it('--out: an existing folder or one ending in "/" gets <site>.icesso, X.icesso is the file, other names are refused, --force replaces', async () => {
    const dir = await tmpDir('out');
    const cfg = await tmpDir('out-cfg');
    await saveSite(path.join(dir, 'contoso.json'), verifiedSite());
    let r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', 'new/dir/');
    expect(r.code).toBe(0);
    expect((await fsp.stat(path.join(dir, 'new', 'dir', 'Contoso-HQ.icesso'))).isFile()).toBe(true);
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', 'new/dir');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Contoso-HQ\.icesso already exists\. Add --force to replace it\./);
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', 'new/dir', '--force');
    expect(r.code).toBe(0);
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', 'handoff.icesso');
    expect(r.code).toBe(0);
    expect((await fsp.stat(path.join(dir, 'handoff.icesso'))).isFile()).toBe(true);
    r = await cli(dir, cfg, 'bundle', 'export', '--site', 'contoso.json', '--out', 'media/usb');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/media\/usb: no such folder\. Give an existing folder .* a new folder ending in "\/", or a file name ending in \.icesso\./);
    expect(await fsp.readdir(dir)).not.toContain('media');
  });
});

describe('keys trust / trusted / untrust', () => {
  it("the admin trusts the engineer's key by file or fingerprint, lists and removes it; bundles follow", async () => {
    const dir = await tmpDir('keys-trust');
    const admin = await tmpDir('keys-trust-cfg');
    await fsp.writeFile(path.join(dir, 'b.icesso'), genuine);
    await fsp.writeFile(path.join(dir, 'engineer.pub'), minisignPublicKeyFile(genuineKey.raw));
    let r = await cli(dir, admin, 'keys', 'trusted');
    expect(r.out).toMatch(/No trusted keys yet/);
    expect((await cli(dir, admin, 'bundle', 'verify', 'b.icesso')).code).toBe(4);
    r = await cli(dir, admin, 'keys', 'trust', 'engineer.pub', '--name', 'Megan (Contoso)');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Trusted key ${genuineKey.fingerprint} (minisign key id ${minisignKeyIdText(genuineKey.raw)}) "Megan (Contoso)"`);
    r = await cli(dir, admin, 'bundle', 'verify', 'b.icesso');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^VALID: b\.icesso\n {2}Signed by .* trusted through your trusted keys \("Megan \(Contoso\)"\)\./);
    r = await cli(dir, admin, 'keys', 'trusted', '--json');
    expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ fingerprint: genuineKey.fingerprint, name: 'Megan (Contoso)', source: 'file' })]);
    r = await cli(dir, admin, 'keys', 'untrust', genuineKey.fingerprint);
    expect(r.code).toBe(0);
    expect((await cli(dir, admin, 'bundle', 'verify', 'b.icesso')).code).toBe(4);
    r = await cli(dir, admin, 'keys', 'untrust', genuineKey.fingerprint);
    expect(r.code).toBe(1);
    // by fingerprint, as read out over the phone (lower case, no spaces)
    r = await cli(dir, admin, 'keys', 'trust', '--fingerprint', genuineKey.fingerprint.replace(/ /g, '').toLowerCase());
    expect(r.code).toBe(0);
    expect((await cli(dir, admin, 'bundle', 'verify', 'b.icesso')).code).toBe(0);
    // a short (64-bit) fingerprint or key id is refused, saying why
    r = await cli(dir, admin, 'keys', 'trust', '--fingerprint', minisignKeyIdText(genuineKey.raw));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/a key fingerprint has 32/);
    expect((await cli(dir, admin, 'keys', 'trust')).code).toBe(2);
    // a damaged store is an error (exit 2), never "nothing trusted" nor "everything trusted"
    await fsp.writeFile(path.join(admin, 'trusted-keys.json'), '{"format":"ice-sso-trusted-keys","version":1,"keys":[{"fingerprint":"x"}]}');
    r = await cli(dir, admin, 'bundle', 'verify', 'b.icesso');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/trusted keys file .* is damaged/);
  });
});
