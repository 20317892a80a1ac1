// apply --dry-run (zero writes reach the emulator) and server.sso-meta from the CLI (verify --sso-meta,
// server-check --site) against a loopback fake ICE Server; the result lands in the site and the next bundle.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runForBundle } from '../../src-main/bundle/build';
import { loadSite, saveSite } from '../../src-main/sites/store';
import type { Emulator } from '../emulator/index';
import { json, startFakeIce, type FakeIce } from '../server/fake-ice';
import { cliCloudArgs, emulator, HOST_ARGS } from '../support/emulator';
import { cliProcess } from '../support/cli';
import { tmpDir } from '../support/tmp';

let emu: Emulator;
let dir: string;
let ice1: FakeIce;
let ice2: FakeIce;
beforeAll(async () => {
  emu = await emulator();
  dir = await tmpDir('preview');
  ice1 = await startFakeIce();
  ice2 = await startFakeIce();
});
afterAll(async () => {
  await emu.stop();
  await ice1.close();
  await ice2.close();
});

describe('apply --dry-run', () => {
  it('--json from an empty tenant: the planned writes, the checklist now, exit 0, and zero writes reached Graph', async () => {
    emu.resetDirectory();
    emu.resetStats();
    const r = await cliProcess(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--dry-run', '--json', '--name', 'ICE Dry', '--consent', 'admins']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 4)).toEqual(['writes', 'steps', 'values', 'requests']);
    expect(j.writes.map((w: { key: string }) => w.key)).toEqual(['create-app', 'set-app-id-fields', 'create-service-principal', 'admin-consent']);
    expect(j.writes[0]).toMatchObject({ key: 'create-app', method: 'PATCH', path: expect.stringMatching(/^\/applications\(uniqueName='ice-sso-ice-dry-[0-9a-f]{8}'\)$/), summary: expect.any(String) });
    const withPh = j.writes.find((w: { placeholders: unknown[] }) => w.placeholders.length);
    expect(withPh.placeholders[0]).toMatchObject({ placeholder: expect.stringMatching(/^\{/), meaning: expect.stringMatching(/id/) });
    expect(j.steps.find((s: { id: string }) => s.id === 'register.app').status).toBe('fail');
    expect(j.requests).toBeGreaterThan(0);
    expect(emu.stats.graphWrites).toBe(0);
    expect(emu.stats.log.filter((e) => e.host === 'graph' && e.method !== 'GET' && !/\$batch/.test(e.path))).toEqual([]);
    expect(emu.state.applications).toHaveLength(0);
    // Read-only sign-in: the dry run never asked for a write permission.
    expect(r.stderr).not.toMatch(/ReadWrite/);
  });

  it('human: one block per write (summary, METHOD path, body, placeholders); after apply a dry run plans nothing', async () => {
    const r = await cliProcess(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--dry-run', '--name', 'ICE Dry']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dry run: apply would make \d+ Graph writes .*Nothing was sent\./);
    expect(r.stdout).toMatch(/^1\. .+\n {3}PATCH \/applications\(uniqueName=/m);
    expect(r.stdout).toMatch(/\{appObjectId\} = the app registration's object id/);
    expect(r.stdout).toMatch(/The checklist now \(before any write\)/);
    expect(emu.stats.graphWrites).toBe(0);
    const applied = await cliProcess(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--name', 'ICE Dry', '--json']);
    expect(applied.code).toBe(0);
    emu.resetStats();
    const again = await cliProcess(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--dry-run', '--json', '--name', 'ICE Dry']);
    expect(JSON.parse(again.stdout).writes).toEqual([]);
    expect(emu.stats.graphWrites).toBe(0);
  });
});

describe('apply --site keeps the scope id the site planned with', () => {
  it('the dry run shows the site\'s scope id and the apply creates the scope with it', async () => {
    const site = path.join(dir, 'scope-id.site.json');
    const cloud = ['--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl];
    const made = await cliProcess(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, ...HOST_ARGS, '--name', 'ICE Scope Id', ...cloud]);
    expect(made.code).toBe(0);
    const scopeId = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';
    const doc = (await loadSite(site)).site;
    await saveSite(site, { ...doc, app: { ...doc.app, scopeId } });

    const dry = await cliProcess(['apply', '--site', site, '--device-code', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const create = JSON.parse(dry.stdout).writes.find((w: { key: string }) => w.key === 'create-app');
    expect(create.body.api.oauth2PermissionScopes.map((x: { id: string }) => x.id)).toEqual([scopeId]);

    const applied = await cliProcess(['apply', '--site', site, '--device-code', '--json']);
    expect(applied.code).toBe(0);
    const app = emu.state.applications.find((a) => a.displayName === 'ICE Scope Id');
    const scopes = (app?.api as { oauth2PermissionScopes?: Array<{ id: string }> } | undefined)?.oauth2PermissionScopes;
    expect(scopes?.map((x) => x.id)).toEqual([scopeId]);
    expect((await loadSite(site)).site.app.scopeId).toBe(scopeId);
  });
});

describe('server.sso-meta from the CLI', () => {
  it('verify --sso-meta and server-check --site compare each host, record the step, and the bundle carries it', async () => {
    const site = path.join(dir, 'ice.site.json');
    const made = await cliProcess(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, '--host', ice1.host, '--host', ice2.host, '--name', 'ICE Meta', '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl]);
    expect(made.code).toBe(0);
    const a = await cliProcess(['apply', '--site', site, '--device-code', '--json']);
    expect(a.code).toBe(0);
    const values = JSON.parse(a.stdout).values as Record<string, string>;
    const meta = { provider: 'azure_ad', ...values };
    ice1.handler = json({ ...meta, serverVersion: '5.1' });
    ice2.handler = json({ ...meta, clientId: '00000000-0000-0000-0000-000000000000' });

    const v = await cliProcess(['verify', '--site', site, '--device-code', '--sso-meta']);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(`✔ ${ice1.base}/sso-meta`);
    expect(v.stderr).toContain(`✖ ${ice2.base}/sso-meta`);
    expect(v.stderr).toContain(`clientId (ICE Desktop "Client ID"): server "00000000-0000-0000-0000-000000000000", expected "${values.clientId}"`);
    expect(v.stdout).toMatch(/FAIL +ICE Server's \/sso-meta matches/);
    let { site: doc } = await loadSite(site);
    expect(doc.lastResults['server.sso-meta']).toMatchObject({ status: 'fail', kind: 'verify' });

    ice2.handler = json(meta);
    const c = await cliProcess(['server-check', '--site', site, '--json']);
    expect(c.code).toBe(0);
    const cj = JSON.parse(c.stdout);
    expect(cj.step).toMatchObject({ id: 'server.sso-meta', status: 'pass' });
    expect(cj.hosts.map((h: { status: string; extra: string[] }) => [h.status, h.extra])).toEqual([
      ['pass', ['serverVersion']],
      ['pass', []],
    ]);
    ({ site: doc } = await loadSite(site));
    const run = runForBundle(doc);
    expect(run.steps.find((s) => s.id === 'server.sso-meta')?.status).toBe('pass');
    expect(run.values).toEqual(values);
    expect(doc.history.at(-1)).toMatchObject({ kind: 'audit', check: 'server' });
    expect(ice1.seen.every((s) => s.url === '/sso-meta' && !s.cookie && !s.authorization)).toBe(true);

    await ice2.close();
    const down = await cliProcess(['server-check', '--site', site]);
    expect(down.code).toBe(3);
    expect(down.stdout).toMatch(/refused.*needs network access/);
  });

  it('server-check: clear usage errors', async () => {
    const none = await cliProcess(['server-check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--site is missing/);
    const site = path.join(dir, 'fresh.site.json');
    await cliProcess(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, '--host', 'ice.example.com']);
    const fresh = await cliProcess(['server-check', '--site', site]);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(/no recorded run.*verify --site FILE/);
  });
});
