// Issue 8 in the app's services (called through dispatch, as main does): an imported site naming a cloud that is
// not Microsoft's fails with code cloud.untrusted (its hosts named; auth.cloud gives them to the dialog) and the IdP on 127.0.0.1 receives nothing until the user
// confirms; sites made in the app, and cloud URLs typed on its Setup page, are trusted; Microsoft clouds always.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import { testAppServices } from '../support/app';
import { dispatch } from '../../src-main/app/dispatch';
import { settingsToInput } from '../../src-main/core';
import { newSiteDocument, serializeSite } from '../../src-main/sites/store';
import type { DeviceCodeEvent, SettingsDraft } from '../../src-main/shared/ipc-contract';
import type { Emulator } from '../emulator/index';
import { emulator, settingsFor } from '../support/emulator';
import { tmpDirSync } from '../support/tmp';

describe('app: cloud trust before sign-in', () => {
  let emu: Emulator;
  let services: ReturnType<typeof createAppServices>;
  const codes: DeviceCodeEvent[] = [];
  const call = (c: string, r: unknown) => dispatch(services, c, r) as Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let sitesDir: string;
  beforeAll(async () => {
    emu = await emulator();
    const tmp = tmpDirSync('app-trust');
    sitesDir = path.join(tmp, 'sites');
    mkdirSync(sitesDir, { recursive: true });
    services = testAppServices(tmp, { sitesDir, emit: (name, payload) => name === 'auth.deviceCode' && codes.push(payload as DeviceCodeEvent) });
    const doc = newSiteDocument({ name: 'Imported', settings: settingsToInput(settingsFor(emu)) as Record<string, unknown> });
    writeFileSync(path.join(sitesDir, 'imported.json'), serializeSite(doc));
  });
  afterAll(async () => emu.stop());

  it('an imported custom cloud: hosts shown, confirmation asked, nothing sent until confirmed', async () => {
    const login = new URL(emu.loginUrl).host;
    const graph = new URL(emu.graphUrl).host;
    expect(await call('auth.cloud', { siteId: 'imported.json' })).toEqual({ ok: true, cloud: { login, graph, microsoft: null, trusted: false } });
    emu.resetStats();
    const r = await call('auth.signIn', { siteId: 'imported.json', method: 'device-code', tenant: emu.tenantDomain });
    expect(r).toEqual({ ok: false, code: 'cloud.untrusted', message: expect.stringContaining(`signs in at ${login} (Microsoft Graph at ${graph})`) });
    expect(await call('auth.cloud', { siteId: 'imported.json' })).toEqual({ ok: true, cloud: { login, graph, microsoft: null, trusted: false } });
    expect(emu.stats.byHost.login + emu.stats.byHost.graph).toBe(0);
    const ok = await call('auth.signIn', { siteId: 'imported.json', method: 'device-code', tenant: emu.tenantDomain, trustCloud: true });
    expect(ok).toMatchObject({ ok: true, account: { tenantId: emu.tenantId } });
    expect(codes.at(-1)?.loginHost).toBe(login);
    expect((await call('auth.cloud', { siteId: 'imported.json' })).cloud.trusted).toBe(true);
    expect(await call('auth.signIn', { siteId: 'imported.json', method: 'device-code', tenant: 'contoso.onmicrosoft.com', trustCloud: 'yes' })).toMatchObject({ ok: false, code: 'request.malformed', message: expect.stringMatching(/Malformed/) });
  });

  it('a site made in the app, and cloud URLs typed on Setup, are trusted; Microsoft clouds always are', async () => {
    const d = (await call('settings.defaults', {})).draft as SettingsDraft;
    const global = await call('sites.create', { name: 'Global', draft: { ...d, hosts: ['ice.contoso.com'] } });
    expect((await call('auth.cloud', { siteId: global.site.id })).cloud).toMatchObject({ login: 'login.microsoftonline.com', graph: 'graph.microsoft.com', microsoft: 'global', trusted: true });
    const custom = { ...d, hosts: ['ice.contoso.com'], cloud: { name: 'custom' as const, loginUrl: 'https://login.lab.example', graphUrl: 'https://graph.lab.example', portalUrl: 'https://portal.azure.com' } };
    const made = await call('sites.create', { name: 'Lab', draft: custom });
    expect((await call('auth.cloud', { siteId: made.site.id })).cloud).toMatchObject({ login: 'login.lab.example', trusted: true });
    const typed = { ...custom, cloud: { ...custom.cloud, loginUrl: 'https://login.other.example', graphUrl: 'https://graph.other.example' } };
    expect((await call('sites.save', { id: global.site.id, draft: typed })).ok).toBe(true);
    expect((await call('auth.cloud', { siteId: global.site.id })).cloud).toMatchObject({ login: 'login.other.example', trusted: true });
  });
});
