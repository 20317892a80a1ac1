// The desktop app's services on a customer tenant (issue 10), called through dispatch as main does, against the
// emulator: a site file naming an unrelated app, choosing and adopting a hand-made registration, the site's own
// sign-in client, and the consent step-up event the checklist explains.
// Microsoft documentation: see test/integration/customer-tenant.test.ts (same behaviours, the CLI's side).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import { testAppServices } from '../support/app';
import { dispatch } from '../../src-main/app/dispatch';
import type { DeviceCodeEvent, SettingsDraft } from '../../src-main/shared/ipc-contract';
import { startEmulator, type Emulator } from '../emulator/index';
import { tmpDirSync } from '../support/tmp';

let emu: Emulator;
let tmp: string;
let codes: DeviceCodeEvent[];
let services: ReturnType<typeof createAppServices>;
const call = (c: string, r: unknown) => dispatch(services, c, r) as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  emu = await startEmulator({ deviceCodeIntervalSec: 0.02, autoApproveDeviceCodeAfterMs: 0 });
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.resetDirectory();
  emu.signInAs('appadmin');
  tmp = tmpDirSync('app-customer');
  codes = [];
  services = testAppServices(tmp, {
    emit: (name, payload) => {
      if (name === 'auth.deviceCode') codes.push(payload as DeviceCodeEvent);
    },
  });
});

async function site(name: string): Promise<string> {
  const d = (await call('settings.defaults', {})).draft as SettingsDraft;
  const draft = { ...d, hosts: ['dc1.example.com', 'dc2.example.com'], cloud: { name: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl, portalUrl: 'https://portal.azure.com' } };
  const r = await call('sites.create', { name, draft, tenant: emu.tenantDomain });
  expect(r.ok, r.message).toBe(true);
  const s = await call('auth.signIn', { siteId: r.site.id, method: 'device-code', tenant: emu.tenantDomain, trustCloud: true });
  expect(s.ok, s.message).toBe(true);
  return r.site.id as string;
}

describe('desktop services on a customer tenant', () => {
  it('a site file pointing at an unrelated app: preview and apply refuse in the app\'s words; the app is untouched', async () => {
    const id = await site('Hostile');
    const payroll = emu.seedApplication({ displayName: 'Payroll (production)', signInAudience: 'AzureADMyOrg' });
    const file = path.join(tmp, 'sites', id);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.app = { objectId: payroll.id, appId: payroll.appId };
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const snap = JSON.stringify(emu.findApplication(String(payroll.id)));
    const p = await call('live.preview', { siteId: id });
    expect(p).toMatchObject({ ok: false, code: 'usage' });
    expect(p.message).toMatch(/Nothing was written\. The site points at "Payroll \(production\)" \(client id [0-9a-f-]{36}\), which ICE SSO Assistant did not make/);
    expect(p.message).toMatch(/Use an existing registration/);
    const a = await call('live.apply', { siteId: id, runId: 'r1' });
    expect(a.ok).toBe(false);
    expect(JSON.stringify(emu.findApplication(String(payroll.id)))).toBe(snap);
  });

  it('verify lists candidates; lookup names the app; adopting writes nothing until Apply, whose preview names the target and tags first', async () => {
    const id = await site('Hand-made');
    const ice = emu.seedApplication({ displayName: 'ICE', signInAudience: 'AzureADMyOrg', spa: { redirectUris: ['https://dc1.example.com/sso'] } });
    const v = await call('live.verify', { siteId: id });
    expect(v.ok, v.message).toBe(true);
    expect(v.checklist.candidates).toEqual([
      { appId: ice.appId, objectId: ice.id, displayName: 'ICE', createdDateTime: expect.any(String), details: ['SPA redirect URI https://dc1.example.com/sso'] },
    ]);
    const refused = await call('live.preview', { siteId: id });
    expect(refused).toMatchObject({ ok: false, code: 'usage' });
    expect(refused.message).toMatch(/"ICE" \(client id .*Use an existing registration/);
    expect((await call('live.lookupApp', { siteId: id, appId: 'nope' })).message).toMatch(/not a client id/);
    const look = await call('live.lookupApp', { siteId: id, appId: ice.appId });
    expect(look.registration).toMatchObject({ appId: ice.appId, displayName: 'ICE', ours: false });
    const writes0 = emu.stats.graphWrites;
    expect((await call('live.adopt', { siteId: id, appId: ice.appId })).ok).toBe(true);
    expect(emu.stats.graphWrites).toBe(writes0);
    const p = await call('live.preview', { siteId: id });
    expect(p.ok, p.message).toBe(true);
    expect(p.preview.target).toEqual({ displayName: 'ICE', appId: ice.appId });
    expect(p.preview.writes[0].key).toBe('adopt-app');
    const a = await call('live.apply', { siteId: id, runId: 'r2' });
    expect(a.ok, a.message).toBe(true);
    expect(emu.findApplication(String(ice.id))!.tags).toContain('ice-sso-assistant');
    expect(emu.state.applications).toHaveLength(1);
  });

  it('apply after a read-only sign-in: the device code event says it is for consent, and names the permissions', async () => {
    const id = await site('Consent');
    expect(codes.at(-1)!.reason).toBe('sign-in');
    const a = await call('live.apply', { siteId: id, runId: 'r3' });
    expect(a.ok, a.message).toBe(true);
    const step = codes.at(-1)!;
    expect(step.reason).toBe('consent');
    expect(step.permissions).toEqual(expect.arrayContaining(['Application.ReadWrite.All']));
  });

  it('a site that stores its sign-in client id signs in with it', async () => {
    const own = 'c0ffee00-1111-4222-8333-444455556666';
    const d = (await call('settings.defaults', {})).draft as SettingsDraft;
    const draft = { ...d, hosts: ['dc1.example.com'], cloud: { name: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl, portalUrl: 'https://portal.azure.com' } };
    const r = await call('sites.create', { name: 'Own client', draft, tenant: emu.tenantDomain });
    const file = path.join(tmp, 'sites', r.site.id);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.signIn = { clientId: own };
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const s = await call('auth.signIn', { siteId: r.site.id, method: 'device-code', tenant: emu.tenantDomain, trustCloud: true });
    expect(s.ok, s.message).toBe(true);
    expect(emu.deviceCodes.at(-1)!.clientId).toBe(own);
  });
});
