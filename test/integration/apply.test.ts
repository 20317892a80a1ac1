// apply / verify through MSAL + the Graph client + the emulator over real HTTPS.
import { afterEach, describe, expect, it } from 'vitest';
import { apply, verify, type ProgressEvent } from '../../src-main/graph/engine';
import type { Emulator } from '../emulator/index';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SignInClient, signIn } from '../../src-main/auth/signin';
import { graphScopes } from '../../src-main/auth/scopes';
import { customCloud } from '../../src-main/core/clouds';
import { GraphAccess } from '../../src-main/graph/http';
import { SECRET_RE, badSteps, emulator, session, settingsFor } from '../support/emulator';
import { tmpDir } from '../support/tmp';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

describe('apply from an empty tenant', () => {
  it('"Admins and users": 3 sequential round trips, all steps pass, re-run writes nothing, verify is one round trip', async () => {
    emu = await emulator();
    const settings = settingsFor(emu);
    const s = await session(emu, { action: 'apply', consent: 'users' });
    emu.resetStats();
    const events: ProgressEvent[] = [];
    const r = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants, onProgress: (e) => events.push(e) });
    expect(badSteps(r.steps)).toEqual([]);
    expect(r.stats.roundTrips).toBeLessThanOrEqual(3);
    expect(emu.stats.byHost.graph).toBe(r.stats.httpRequests);
    expect(emu.stats.graphRequests).toBe(r.stats.graphRequests);
    expect(r.plan.writes.map((w) => w.key)).toEqual(['create-app', 'set-app-id-fields', 'create-service-principal']);
    expect(events.filter((e) => e.type === 'done').map((e) => e.key)).toEqual(['create-app', 'set-app-id-fields', 'create-service-principal']);
    expect(events.every((e) => e.type !== 'failed')).toBe(true);
    expect(emu.state.applications).toHaveLength(1);
    expect(emu.state.servicePrincipals.filter((sp) => sp.appId === r.app.appId)).toHaveLength(1);
    expect(r.values.clientId).toBe(r.app.appId);
    expect(r.values.audience).toBe(`api://${r.app.appId}`);

    // verify: one round trip with the ids known, and the same checklist as apply's (acknowledged state).
    const v = await session(emu, { action: 'verify' });
    emu.resetStats();
    const before = v.graph.stats.roundTrips;
    const ver = await verify(v.graph, { settings, tenantId: v.tenantId, readGrants: v.readGrants, hint: { objectId: r.app.objectId, appId: r.app.appId } });
    expect(ver.stats.roundTrips - before).toBe(1);
    expect(emu.stats.byHost.graph).toBe(1);
    expect(ver.steps.map((x) => [x.id, x.status])).toEqual(r.steps.map((x) => [x.id, x.status]));
    expect(ver.values).toEqual(r.values);
    expect(ver.observed.grants).toEqual([]);

    // re-run: reads (found by its uniqueName), plans nothing, writes nothing, no second registration.
    emu.resetStats();
    const again = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants });
    expect(again.writes).toBe(0);
    expect(again.foundBy).toBe('uniqueName');
    expect(emu.stats.graphWrites).toBe(0);
    expect(emu.state.applications).toHaveLength(1);
    expect(badSteps(again.steps)).toEqual([]);
  });

  it('"Admins only": 4 round trips, exactly one consent grant; a re-run updates that grant rather than adding one', async () => {
    emu = await emulator();
    const settings = settingsFor(emu, { consent: 'admins' });
    const s = await session(emu, { action: 'apply', consent: 'admins' });
    const r = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants });
    expect(badSteps(r.steps)).toEqual([]);
    expect(r.steps.find((x) => x.id === 'consent.admin-grant')!.status).toBe('pass');
    expect(r.stats.roundTrips).toBeLessThanOrEqual(4);
    const spId = r.app.servicePrincipalId!;
    const mine = () => emu!.state.oauth2PermissionGrants.filter((g) => g.clientId === spId);
    expect(mine()).toHaveLength(1);
    expect(mine()[0]).toMatchObject({ consentType: 'AllPrincipals', resourceId: spId, scope: 'UserProfile.ReadWrite' });

    // Someone narrows the grant: the next apply PATCHes it, never a second grant.
    mine()[0]!.scope = 'Other.Read';
    const again = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants, hint: { objectId: r.app.objectId, appId: r.app.appId } });
    expect(again.requests.map((q) => `${q.method} ${q.path.split('/').slice(0, 2).join('/')}`)).toEqual(['PATCH /oauth2PermissionGrants']);
    expect(mine()).toHaveLength(1);
    expect(String(mine()[0]!.scope).split(' ')).toContain('UserProfile.ReadWrite');
    expect(badSteps(again.steps)).toEqual([]);

    const third = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants });
    expect(third.writes).toBe(0);
  });

  it('repairs a registration found by its saved ids: disable-then-change of the scope, then the consent grant', async () => {
    emu = await emulator();
    const s0 = await session(emu, { action: 'apply', consent: 'users' });
    const first = await apply(s0.graph, { settings: settingsFor(emu), tenantId: s0.tenantId, readGrants: s0.readGrants });
    emu.findApplication(first.app.objectId!)!.groupMembershipClaims = 'None';
    // "Admins only" now: the scope type changes User -> Admin, which Graph allows only on a disabled scope.
    const settings = settingsFor(emu, { consent: 'admins' });
    const s = await session(emu, { action: 'apply', consent: 'admins' });
    const hint = { objectId: first.app.objectId, appId: first.app.appId };
    const r = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants, hint });
    expect(r.plan.writes.map((w) => w.key)).toEqual(['disable-scope', 'update-app', 'admin-consent']);
    expect(r.stats.roundTrips).toBe(4);
    expect(badSteps(r.steps)).toEqual([]);
    const v = await verify(s.graph, { settings, tenantId: s.tenantId, readGrants: true, hint });
    expect(v.steps.map((x) => [x.id, x.status])).toEqual(r.steps.map((x) => [x.id, x.status]));
    expect(emu.state.applications).toHaveLength(1);
  });

  it('finds an app it made by display name + tag when the uniqueName is not the derived one', async () => {
    emu = await emulator();
    const settings = settingsFor(emu);
    const s = await session(emu, { action: 'apply', consent: 'users' });
    const first = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants, hint: { uniqueName: 'ice-sso-custom-name' } });
    expect(first.app.uniqueName).toBe('ice-sso-custom-name');
    const v = await verify(s.graph, { settings, tenantId: s.tenantId, readGrants: false });
    expect(v.foundBy).toBe('tag');
    expect(v.app.objectId).toBe(first.app.objectId);
    const again = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants });
    expect(again.writes).toBe(0);
    expect(emu.state.applications).toHaveLength(1);
  });

  it('never puts a token in progress events, results, errors or the journal', async () => {
    emu = await emulator();
    const settings = settingsFor(emu, { consent: 'admins' });
    const c = new SignInClient({ cloud: customCloud(emu.loginUrl, emu.graphUrl), tenant: emu.tenantDomain });
    const { signedIn, getToken } = await signIn(c, graphScopes(c.cloud, { action: 'apply', consent: 'admins' }), { method: 'device-code' });
    const graph = new GraphAccess({ graphUrl: emu.graphUrl, getToken });
    const journalPath = path.join(await tmpDir('tok'), 'j.json');
    const events: unknown[] = [];
    emu.faults.forbidden({ host: 'graph', method: 'POST', path: '/oauth2PermissionGrants', count: 1 });
    const err = await apply(graph, { settings, tenantId: signedIn.tenantId, readGrants: true, journalPath, onProgress: (e) => events.push(e) }).catch((e) => e);
    const r = await apply(graph, { settings, tenantId: signedIn.tenantId, readGrants: true, journalPath, onProgress: (e) => events.push(e) });
    const texts = [JSON.stringify(events), String(err?.message), String(err?.stack), JSON.stringify({ ...r, stats: undefined }), await readFile(journalPath, 'utf8')];
    expect(events.some((e) => (e as { type: string }).type === 'failed')).toBe(true);
    for (const t of texts) {
      expect(t).not.toContain(signedIn.accessToken);
      expect(t).not.toMatch(SECRET_RE);
    }
  });
});
