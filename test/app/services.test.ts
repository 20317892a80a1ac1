// The services behind the IPC contract, called through dispatch exactly as main does.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import { testAppServices } from '../support/app';
import { containsJwt, dispatch, secretPaths } from '../../src-main/app/dispatch';
import { audit } from '../../src-main/core/audit';
import { parseSettings, settingsOrThrow } from '../../src-main/core/settings';
import { STEP_IDS, type GraphApplication } from '../../src-main/core/types';
import { recordRun } from '../../src-main/sites/store';
import type { SettingsDraft } from '../../src-main/shared/ipc-contract';
import { COMPLIANT, FIXTURES_DIR as FIX, compliantApp, fixture as load } from '../support/fixtures';
import { recordCompliantRun } from '../support/sites';
import { tmpDirSync } from '../support/tmp';

const TENANT = COMPLIANT.tenantId;

let tmp: string;
let answers: Array<string | null>;
let services: ReturnType<typeof createAppServices>;
const call = (c: string, r: unknown) => dispatch(services, c, r) as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeEach(() => {
  tmp = tmpDirSync('app');
  answers = [];
  services = testAppServices(tmp, { answers });
});

async function draft(hosts: string[]): Promise<SettingsDraft> {
  const d = (await call('settings.defaults', {})).draft as SettingsDraft;
  return { ...d, hosts };
}

describe('dispatch', () => {
  it('refuses unknown channels and malformed requests with a message', async () => {
    expect(await call('fs.read', {})).toEqual({ ok: false, code: 'request.unknown', message: 'Unknown request "fs.read".' });
    expect(await call('sites.open', { id: 7 })).toEqual({ ok: false, code: 'request.malformed', message: expect.stringMatching(/Malformed request for sites.open: id/) });
    expect(await call('sites.list', { extra: 1 })).toMatchObject({ ok: false, code: 'request.malformed', message: expect.stringMatching(/Malformed request/) });
    expect(await call('sites.open', { id: '../../etc/passwd.json' })).toMatchObject({ ok: false, code: 'request.malformed', message: expect.stringMatching(/not valid/) });
  });
  it('finds secrets by shape: string tokens and keys, not claim configuration', () => {
    expect(secretPaths({ optionalClaims: { accessToken: [{ name: 'upn' }] } })).toEqual([]);
    expect(secretPaths({ a: { accessToken: 'abc' } })).toEqual(['$.a.accessToken']);
    expect(secretPaths([{ refresh_token: 'x' }, { jwk: { d: 'private' } }])).toEqual(['$[0].refresh_token', '$[1].jwk.d']);
    expect(containsJwt({ x: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ' })).toBe(true);
    expect(containsJwt({ x: 'api://2d8f5c3a/UserProfile.ReadWrite' })).toBe(false);
  });
});

describe('settings and sites', () => {
  it('validates a draft: field errors from the core, normalised host preview', async () => {
    const bad = await call('settings.validate', { draft: { ...(await draft(['test.icnow.app', 'http://dc2.icnow.app'])), scopeValue: 'a b' } });
    expect(bad).toMatchObject({ ok: true, valid: false });
    expect(bad.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['hosts[1]', 'scopeValue']));
    expect(bad.hostsPreview[0]).toEqual({ input: 'test.icnow.app', uri: 'https://test.icnow.app/sso' });
    expect(bad.hostsPreview[1].uri).toBeNull();
    const good = await call('settings.validate', { draft: await draft(['test.icnow.app', '', 'https://DC2.icnow.app/sso/']) });
    expect(good).toMatchObject({ ok: true, valid: true });
    expect(good.settings.hosts).toEqual(['https://test.icnow.app/sso', 'https://dc2.icnow.app/sso']);
  });
  it('creates (refusing bad settings, losing nothing), opens, renames, duplicates, deletes', async () => {
    const refused = await call('sites.create', { name: 'Contoso', draft: await draft(['bad host']) });
    expect(refused).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(refused.fields[0].field).toBe('hosts[0]');
    expect((await call('sites.list', {})).sites).toEqual([]);
    const noName = await call('sites.create', { name: '  ', draft: await draft(['test.icnow.app']) });
    expect(noName).toMatchObject({ ok: false, code: 'input.invalid', fields: [{ field: 'name' }] });
    // All problems at once; nothing created.
    const many = await call('sites.create', { name: '', draft: await draft(['a b']), tenant: 'organizations' });
    expect(many.code).toBe('input.invalid');
    expect(many.fields.map((e: { field: string }) => e.field).sort()).toEqual(['hosts[0]', 'name', 'tenant']);
    expect((await call('sites.list', {})).sites).toEqual([]);
    const badTenant = await call('sites.save', { id: 'x.json', draft: await draft(['test.icnow.app']), tenant: 'common' });
    expect(badTenant).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(badTenant.fields).toEqual([expect.objectContaining({ field: 'tenant' })]);

    const created = await call('sites.create', { name: 'Contoso – DC1', draft: await draft(['test.icnow.app']), tenant: 'contoso.onmicrosoft.com' });
    expect(created.ok).toBe(true);
    expect(created.site.id).toBe('contoso-dc1.json');
    expect(created.site.tenant).toBe('contoso.onmicrosoft.com');
    const opened = await call('sites.open', { id: created.site.id });
    expect(opened.checklist.steps.map((s: { id: string }) => s.id)).toEqual([...STEP_IDS]);
    expect(opened.checklist.steps.every((s: { status: string }) => s.status === 'unknown')).toBe(true);
    const renamed = await call('sites.rename', { id: created.site.id, name: 'Contoso DC2' });
    expect(renamed.site).toMatchObject({ id: 'contoso-dc2.json', name: 'Contoso DC2' });
    const dup = await call('sites.duplicate', { id: 'contoso-dc2.json', name: 'Contoso DC2' });
    expect(dup.site.id).toBe('contoso-dc2-2.json');
    const del = await call('sites.delete', { id: 'contoso-dc2.json' });
    expect(del.movedTo).toContain('.trash');
    expect((await call('sites.list', {})).sites.map((s: { name: string }) => s.name)).toEqual(['Contoso DC2']);
  });
  it('lists damaged files with their error and leaves them untouched', async () => {
    await call('sites.create', { name: 'Good', draft: await draft(['test.icnow.app']) });
    const bad = path.join(tmp, 'sites', 'bad.json');
    writeFileSync(bad, '{"format":"something-else"}');
    const list = await call('sites.list', {});
    expect(list.sites).toHaveLength(1);
    expect(list.damaged).toEqual([{ file: bad, error: expect.stringMatching(/not a site document/) }]);
    expect(readFileSync(bad, 'utf8')).toBe('{"format":"something-else"}');
  });
  it('import/export go through the dialogs; a cancelled dialog changes nothing', async () => {
    const c = await call('sites.create', { name: 'Exp', draft: await draft(['test.icnow.app']) });
    expect(await call('sites.export', { id: c.site.id })).toEqual({ ok: false, code: 'cancelled', message: 'Cancelled.' });
    const out = path.join(tmp, 'exported.json');
    answers.push(out);
    expect((await call('sites.export', { id: c.site.id })).ok).toBe(true);
    expect(existsSync(out)).toBe(true);
    answers.push(out);
    const imp = await call('sites.import', {});
    expect(imp.site.id).toBe('exported.json');
  });
  it('names the sign-in client of a site (a GUID, kept in the site file), and goes back to the default', async () => {
    const c = await call('sites.create', { name: 'Own client', draft: await draft(['test.icnow.app']) });
    expect(c.site.signInClientId).toBeUndefined();
    const bad = await call('sites.setSignInClient', { id: c.site.id, clientId: 'my-client' });
    expect(bad).toMatchObject({ ok: false, code: 'input.invalid', fields: [{ field: 'clientId', message: expect.stringMatching(/not a client id.*GUID/) }] });
    const id = '3F1B0A57-2F45-4C8E-9D0E-0B5C8E1E2D11';
    const set = await call('sites.setSignInClient', { id: c.site.id, clientId: ` ${id} ` });
    expect(set.site.signInClientId).toBe(id.toLowerCase());
    expect((await call('sites.open', { id: c.site.id })).site.signInClientId).toBe(id.toLowerCase());
    expect(JSON.parse(readFileSync(c.site.file, 'utf8')).signIn).toEqual({ clientId: id.toLowerCase() });
    const back = await call('sites.setSignInClient', { id: c.site.id, clientId: null });
    expect(back.site.signInClientId).toBeUndefined();
    expect(JSON.parse(readFileSync(c.site.file, 'utf8')).signIn).toBeUndefined();
  });
});

describe('review and bundle', () => {
  it('reviews an application JSON (Microsoft Graph docs example) offline: all step ids, Graph permission fails', async () => {
    answers.push(path.join(FIX, 'docs-application-get.json'));
    const r = await call('review.openFile', { kind: 'application' });
    expect(r.ok).toBe(true);
    expect(r.review.source).toBe('application');
    expect(r.review.checklist.steps.map((s: { id: string }) => s.id)).toEqual([...STEP_IDS]);
    answers.push(path.join(FIX, 'portal-default-registration.json'));
    const p = await call('review.openFile', { kind: 'application' });
    expect(p.review.checklist.steps.find((s: { id: string }) => s.id === 'permissions.no-graph').status).toBe('fail');
    // A Graph list answer with one application is that application; with two, the user is told to pick one.
    answers.push(path.join(FIX, 'docs-application-list.json'));
    expect((await call('review.openFile', { kind: 'application' })).review.source).toBe('application');
    const list = load<{ value: unknown[] }>('docs-application-list.json');
    const two = path.join(tmp, 'two.json');
    writeFileSync(two, JSON.stringify({ value: [list.value[0], list.value[0]] }));
    answers.push(two);
    expect(await call('review.openFile', { kind: 'application' })).toMatchObject({ ok: false, code: 'graph-file.invalid', message: expect.stringMatching(/a list response with 2 applications/) });
    const notJson = path.join(tmp, 'x.json');
    writeFileSync(notJson, 'hello');
    answers.push(notJson);
    expect(await call('review.openFile', { kind: 'any' })).toMatchObject({ ok: false, code: 'file.unreadable', message: expect.stringMatching(/neither a bundle .* nor JSON/) });
  });
  it('exports a bundle through the save dialog, verified, and reviews it; the key never leaves', async () => {
    const c = await call('sites.create', { name: 'Bundle site', draft: await draft(['test.icnow.app', 'dc2.icnow.app']), tenant: TENANT });
    // No verified values yet: refused, saying why.
    answers.push(path.join(tmp, 'early.icesso'));
    expect(await call('bundle.export', { siteId: c.site.id })).toMatchObject({ ok: false, code: 'bundle.no-run', message: expect.stringMatching(/no verified values yet: no verify or apply has been recorded in it\. Verify the site \(or apply fixes\) first\.$/) });
    // refused before the save dialog is shown
    expect(answers).toEqual([path.join(tmp, 'early.icesso')]);
    answers.length = 0;
    expect(await call('bundle.readiness', { siteId: c.site.id })).toMatchObject({ ok: true, readiness: { hasValues: false, refusal: expect.stringMatching(/^Site "Bundle site" has no verified values yet/) } });
    const app = compliantApp();
    await recordCompliantRun(c.site.file, settingsOrThrow({ hosts: ['test.icnow.app', 'dc2.icnow.app'] }), { kind: 'audit', withAppIds: false });
    const key = await call('bundle.keyInfo', {});
    expect(key).toMatchObject({ ok: true, persistent: false });
    expect(key.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const out = path.join(tmp, 'usb', 'site.icesso');
    (await import('node:fs')).mkdirSync(path.dirname(out));
    answers.push(out);
    const ready = await call('bundle.readiness', { siteId: c.site.id });
    expect(ready).toMatchObject({ ok: true, readiness: { hasValues: true, ready: true, failing: [] } });
    const exp = await call('bundle.export', { siteId: c.site.id });
    expect(exp).toMatchObject({ ok: true, path: out, failing: [], verified: { verdict: 'VALID', valid: true, fingerprint: key.fingerprint, keyId: key.keyId } });
    // the same file again: not replaced without a "Replace?"; replace:true writes to the file the dialog gave, not a path from the page
    answers.push(out);
    const again = await call('bundle.export', { siteId: c.site.id });
    expect(again).toEqual({ ok: false, code: 'write.exists', message: `${out} already exists.` });
    const replaced = await call('bundle.export', { siteId: c.site.id, replace: true });
    expect(replaced).toMatchObject({ ok: true, path: out });
    expect(await call('bundle.export', { siteId: c.site.id, replace: true })).toMatchObject({ ok: false, code: 'usage', message: expect.stringMatching(/Nothing to replace/) });
    answers.push(out);
    const rev = await call('review.openFile', { kind: 'bundle' });
    // nobody trusted yet: UNTRUSTED, never VALID
    expect(rev.review.signature).toMatchObject({ verdict: 'UNTRUSTED', valid: false, fingerprint: key.fingerprint, complete: true });
    expect(rev.review.checklist.values.clientId).toBe(app.appId);
    // the admin trusts the fingerprint read out over the phone; the open bundle is checked again
    // (the minisign key id drops leading zeros, so it has 16 hex digits or fewer: 1 run in 16 starts with a 0)
    expect(await call('trust.addFingerprint', { fingerprint: key.keyId })).toMatchObject({ ok: false, code: 'key.invalid', message: expect.stringMatching(new RegExp(`has ${key.keyId.length} hex digits; a key fingerprint has 32`)) });
    const added = await call('trust.addFingerprint', { fingerprint: key.fingerprint.toLowerCase(), name: 'Field engineer' });
    expect(added).toMatchObject({ ok: true, key: { fingerprint: key.fingerprint, name: 'Field engineer', source: 'fingerprint' } });
    const re = await call('review.recheck', {});
    expect(re.review.signature).toMatchObject({ verdict: 'VALID', valid: true });
    expect((await call('trust.list', {})).keys).toHaveLength(1);
    expect(await call('trust.remove', { fingerprint: key.fingerprint })).toMatchObject({ ok: true, removed: true });
    expect((await call('review.recheck', {})).review.signature.verdict).toBe('UNTRUSTED');
    // by key file, through the open dialog
    const pubFile = path.join(tmp, 'engineer.pub');
    writeFileSync(pubFile, `untrusted comment: minisign public key ${key.keyId}\n${key.publicKeyMinisign}\n`);
    answers.push(pubFile);
    expect(await call('trust.addFile', {})).toMatchObject({ ok: true, key: { fingerprint: key.fingerprint, source: 'file' } });
    expect((await call('review.recheck', {})).review.signature.verdict).toBe('VALID');
    answers.push(null);
    expect(await call('trust.addFile', {})).toEqual({ ok: false, code: 'cancelled', message: 'Cancelled.' });
    const all = JSON.stringify([key, exp, rev]);
    expect(all).not.toMatch(/PRIVATE KEY/);
    expect(secretPaths([key, exp, rev])).toEqual([]);
  });
  it('a site with failing steps: readiness names them before the button; export refused until the explicit choice, then INCOMPLETE', async () => {
    const c = await call('sites.create', { name: 'Failing site', draft: await draft(['test.icnow.app']), tenant: TENANT });
    const settings = parseSettings({ hosts: ['test.icnow.app'] });
    if (!settings.ok) throw new Error('settings');
    const app = load<GraphApplication>('compliant-application.json');
    const res = audit({ application: app, servicePrincipal: load('compliant-service-principal.json'), grants: [], tenantId: TENANT }, settings.settings);
    const steps = res.steps.map((s) => (s.id === 'token.upn-claim' ? { ...s, status: 'fail' as const, found: 'No upn claim.' } : s));
    await recordRun(c.site.file, { kind: 'verify', at: '2026-11-26T14:03:27.000Z', by: 'fe', tenantId: TENANT, steps, values: res.values });
    const r = await call('bundle.readiness', { siteId: c.site.id });
    expect(r.readiness).toMatchObject({ hasValues: true, ready: false });
    expect(r.readiness.failing.map((f: { id: string }) => f.id)).toContain('token.upn-claim');
    expect(r.readiness.failing.find((f: { id: string }) => f.id === 'token.upn-claim')).toMatchObject({ found: 'No upn claim.', kind: 'verify', at: '2026-11-26T14:03:27.000Z' });
    const out = path.join(tmp, 'failing.icesso');
    answers.push(out);
    const refused = await call('bundle.export', { siteId: c.site.id });
    expect(refused).toMatchObject({ ok: false, code: 'bundle.incomplete' });
    expect(refused.fields.map((f: { field: string }) => f.field)).toContain('token.upn-claim');
    expect(refused.message).toMatch(/^Site "Failing site" is not ready: .*token\.upn-claim/);
    expect(answers).toEqual([out]); // no save dialog for a refused export
    const done = await call('bundle.export', { siteId: c.site.id, allowIncomplete: true });
    expect(done).toMatchObject({ ok: true, path: out, verified: { verdict: 'VALID', complete: false } });
    expect(done.failing).toContain('token.upn-claim');
    answers.push(out);
    const rev = await call('review.openFile', { kind: 'bundle' });
    expect(rev.review.signature).toMatchObject({ verdict: 'UNTRUSTED', complete: false });
    expect(rev.review.signature.failing).toContain('token.upn-claim');
  });
  it('an OS whose encryption claims to work but fails: memory-only with the basic_text notice, signing still works', async () => {
    const { MEMORY_ONLY_REASON } = await import('../../src-main/app/secrets');
    const broken = {
      async status() {
        return { persistent: true, backend: 'gnome_libsecret', reason: '' };
      },
      async encrypt(): Promise<Uint8Array> {
        throw new Error('Error while encrypting the text provided to safeStorage.encryptString');
      },
      async decrypt(): Promise<{ text: string; shouldReEncrypt: boolean }> {
        throw new Error('nothing stored');
      },
    };
    const dataDir = path.join(tmp, 'broken-data');
    services = createAppServices({ ...{ sitesDir: path.join(tmp, 'sites'), dataDir, version: '1', platform: 'linux', emit: () => undefined, openExternal: async () => undefined, writeClipboard: () => undefined }, secretBox: broken, dialogs: { openFile: async () => null, saveFile: async () => null } });
    expect((await call('app.info', {})).secretStorage).toMatchObject({ persistent: true });
    const key = await call('bundle.keyInfo', {});
    expect(key).toMatchObject({ ok: true, persistent: false });
    expect((await call('bundle.keyInfo', {})).fingerprint).toBe(key.fingerprint); // the same key for the session
    expect((await call('app.info', {})).secretStorage).toEqual({ persistent: false, backend: 'gnome_libsecret', reason: MEMORY_ONLY_REASON });
    expect((await call('auth.status', {})).secretStorage.reason).toBe(MEMORY_ONLY_REASON);
    // nothing written, in clear or otherwise
    expect(existsSync(path.join(dataDir, 'bundle-signing-key.enc'))).toBe(false);
  });
  it('live calls before sign-in say what to do', async () => {
    const c = await call('sites.create', { name: 'Live', draft: await draft(['test.icnow.app']) });
    expect(await call('live.verify', { siteId: c.site.id })).toEqual({ ok: false, code: 'auth.required', message: expect.stringMatching(/^Not signed in: sign in/) });
    expect(await call('auth.status', {})).toMatchObject({ account: null, secretStorage: { persistent: false } });
    expect(await call('auth.signIn', { siteId: c.site.id, method: 'device-code', tenant: 'common' })).toMatchObject({ ok: false, code: 'input.invalid', message: expect.stringMatching(/not one tenant/) });
  });
});

describe('server.checkSsoMeta and live.preview', () => {
  it('server.checkSsoMeta: a site without a run gets a clear message; no sign-in needed; live.preview needs one', async () => {
    const made = await call('sites.create', { name: 'No run yet', draft: await draft(['ice.example.com']) });
    expect(made.ok).toBe(true);
    const r = await call('server.checkSsoMeta', { siteId: made.site.id });
    // The advice in the app's words (the CLI's names `verify --site FILE`); the two-front-end advice never crosses IPC.
    expect(r).toEqual({ ok: false, code: 'site.no-run', message: 'Site "No run yet" has no recorded run, so the eight values to compare are not known. Verify first (or Apply).' });
    expect(await call('server.checkSsoMeta', { siteId: made.site.id, extra: 1 })).toMatchObject({ ok: false, code: 'request.malformed', message: expect.stringMatching(/Malformed request/) });
    expect(await call('live.preview', { siteId: made.site.id })).toEqual({ ok: false, code: 'auth.required', message: expect.stringMatching(/^Not signed in/) });
  });

  it('server.checkSsoMeta: an unreachable ICE host is unknown, recorded in the site with the other steps of the last run', async () => {
    const made = await call('sites.create', { name: 'Unreachable', draft: await draft(['http://localhost']) });
    const a = await recordCompliantRun(made.site.file, settingsOrThrow({ hosts: ['http://localhost'] }), { withServicePrincipal: false, withAppIds: false });
    const r = await call('server.checkSsoMeta', { siteId: made.site.id });
    expect(r.ok).toBe(true);
    expect(r.hosts).toEqual([expect.objectContaining({ url: 'http://localhost/sso-meta', status: 'unknown', problem: 'not-https' })]);
    expect(r.run).toMatchObject({ kind: 'audit', values: a.values });
    expect(r.run.steps.map((s: { id: string }) => s.id)).toEqual([...STEP_IDS]);
    expect(r.checklist.steps.find((s: { id: string }) => s.id === 'server.sso-meta').status).toBe('unknown');
  });
});
