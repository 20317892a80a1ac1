import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_APP_ID, startEmulator, type Emulator } from './index';
import { graph, ICE_SCOPE_ID, iceAppBody } from './test-helpers';

let emu: Emulator;
let token: string;

beforeAll(async () => {
  emu = await startEmulator();
  token = emu.issueToken();
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.resetDirectory();
  emu.faults.clear();
  emu.resetStats();
});

describe('Graph basics', () => {
  it('GET /me and /organization answer with the signed-in user and tenant', async () => {
    const me = await graph(emu, token, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.userPrincipalName).toBe(`admin@${emu.tenantDomain}`);
    expect(me.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const org = await graph(emu, token, 'GET', '/organization');
    expect(org.body.value[0].id).toBe(emu.tenantId);
    expect(org.body.value[0].verifiedDomains[0].name).toBe(emu.tenantDomain);
  });

  it('creates, reads (by id, appId, uniqueName), lists with $filter/$select/$top, patches and deletes an application', async () => {
    const created = await graph(emu, token, 'POST', '/applications', { ...iceAppBody(), tags: ['ice-sso'] });
    expect(created.status).toBe(201);
    const app = created.body;
    expect(app.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.publisherDomain).toBe(emu.tenantDomain);
    expect(app.api.requestedAccessTokenVersion).toBeNull();
    for (const path of [`/applications/${app.id}`, `/applications(appId='${app.appId}')`]) {
      const got = await graph(emu, token, 'GET', path);
      expect(got.status).toBe(200);
      expect(got.body.displayName).toBe('Instant Connect Enterprise SSO');
    }
    const sel = await graph(emu, token, 'GET', `/applications/${app.id}?$select=appId,displayName`);
    expect(Object.keys(sel.body).sort()).toEqual(['@odata.context', 'appId', 'displayName']);
    const byName = await graph(emu, token, 'GET', `/applications?$filter=${encodeURIComponent("displayName eq 'Instant Connect Enterprise SSO'")}&$select=id`);
    expect(byName.body.value).toEqual([{ id: app.id }]);
    const byTag = await graph(emu, token, 'GET', `/applications?$filter=${encodeURIComponent("tags/any(t:t eq 'ice-sso')")}`);
    expect(byTag.body.value).toHaveLength(1);
    const byAppId = await graph(emu, token, 'GET', `/applications?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`);
    expect(byAppId.body.value).toHaveLength(1);
    const none = await graph(emu, token, 'GET', `/applications?$filter=${encodeURIComponent("displayName eq 'nope'")}`);
    expect(none.body.value).toEqual([]);
    const unsupported = await graph(emu, token, 'GET', `/applications?$filter=${encodeURIComponent("notes eq 'x'")}`);
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.code).toBe('Request_UnsupportedQuery');

    const patched = await graph(emu, token, 'PATCH', `/applications/${app.id}`, { identifierUris: [`api://${app.appId}`] });
    expect(patched.status).toBe(204);
    expect(patched.body).toBeUndefined();
    const after = await graph(emu, token, 'GET', `/applications/${app.id}`);
    expect(after.body.identifierUris).toEqual([`api://${app.appId}`]);
    expect(after.body.spa.redirectUris).toHaveLength(2); // untouched by the PATCH

    const del = await graph(emu, token, 'DELETE', `/applications/${app.id}`);
    expect(del.status).toBe(204);
    const gone = await graph(emu, token, 'GET', `/applications/${app.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('Request_ResourceNotFound');
    expect(gone.body.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages lists with $top and @odata.nextLink', async () => {
    for (let i = 0; i < 5; i++) emu.seedApplication({ displayName: `app ${i}`, signInAudience: 'AzureADMyOrg' });
    const p1 = await graph(emu, token, 'GET', '/applications?$top=2&$select=displayName');
    expect(p1.body.value).toHaveLength(2);
    const next = new URL(p1.body['@odata.nextLink']);
    const p2 = await graph(emu, token, 'GET', `${next.pathname.replace('/v1.0', '')}${next.search}`);
    expect(p2.body.value.map((a: { displayName: string }) => a.displayName)).toEqual(['app 2', 'app 3']);
    const bad = await graph(emu, token, 'GET', '/applications?$top=0');
    expect(bad.status).toBe(400);
  });

  it('upsert by uniqueName: 201 with the full object when missing, 204 when updating, 404 without Prefer', async () => {
    const path = "/applications(uniqueName='ice-sso-contoso')";
    const missing = await graph(emu, token, 'PATCH', path, iceAppBody());
    expect(missing.status).toBe(404);
    const created = await graph(emu, token, 'PATCH', path, iceAppBody(), { prefer: 'create-if-missing' });
    expect(created.status).toBe(201);
    expect(created.body.uniqueName).toBe('ice-sso-contoso');
    expect(created.body.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.api.oauth2PermissionScopes[0].id).toBe(ICE_SCOPE_ID);
    const updated = await graph(emu, token, 'PATCH', path, { notes: 'second run' }, { prefer: 'create-if-missing' });
    expect(updated.status).toBe(204);
    expect(updated.body).toBeUndefined();
    expect(emu.state.applications).toHaveLength(1);
    expect(emu.state.applications[0]!.notes).toBe('second run');
    const got = await graph(emu, token, 'GET', path);
    expect(got.body.id).toBe(created.body.id);
    const rename = await graph(emu, token, 'PATCH', `/applications/${created.body.id}`, { uniqueName: 'other' });
    expect(rename.status).toBe(400);
  });

  it('service principals: POST {appId}, 400 for an unknown appId, 409 for a second one, list by appId, grants', async () => {
    const app = (await graph(emu, token, 'POST', '/applications', iceAppBody())).body;
    const bad = await graph(emu, token, 'POST', '/servicePrincipals', { appId: '00000000-0000-0000-0000-000000000001' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('does not reference a valid application object');
    const sp = await graph(emu, token, 'POST', '/servicePrincipals', { appId: app.appId });
    expect(sp.status).toBe(201);
    expect(sp.body.appId).toBe(app.appId);
    expect(sp.body.oauth2PermissionScopes[0].value).toBe('UserProfile.ReadWrite');
    const dup = await graph(emu, token, 'POST', '/servicePrincipals', { appId: app.appId });
    expect(dup.status).toBe(409);
    const listed = await graph(emu, token, 'GET', `/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${app.appId}'`)}`);
    expect(listed.body.value.map((s: { id: string }) => s.id)).toEqual([sp.body.id]);
    const byAppId = await graph(emu, token, 'GET', `/servicePrincipals(appId='${app.appId}')`);
    expect(byAppId.body.id).toBe(sp.body.id);
    const graphSp = await graph(emu, token, 'GET', `/servicePrincipals(appId='${GRAPH_APP_ID}')`);
    expect(graphSp.status).toBe(200);
    expect(graphSp.body.id).toBe(emu.graphServicePrincipalId);

    const grantBody = { clientId: sp.body.id, consentType: 'AllPrincipals', principalId: null, resourceId: sp.body.id, scope: 'UserProfile.ReadWrite' };
    const grant = await graph(emu, token, 'POST', '/oauth2PermissionGrants', grantBody);
    expect(grant.status).toBe(201);
    expect(typeof grant.body.id).toBe('string');
    const again = await graph(emu, token, 'POST', '/oauth2PermissionGrants', grantBody);
    expect(again.status).toBe(409);
    const spGrants = await graph(emu, token, 'GET', `/servicePrincipals/${sp.body.id}/oauth2PermissionGrants`);
    expect(spGrants.body.value).toHaveLength(1);
    const filtered = await graph(emu, token, 'GET', `/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${sp.body.id}' and resourceId eq '${sp.body.id}'`)}`);
    expect(filtered.body.value).toHaveLength(1);
    const upd = await graph(emu, token, 'PATCH', `/oauth2PermissionGrants/${grant.body.id}`, { scope: 'UserProfile.ReadWrite other' });
    expect(upd.status).toBe(204);
    expect((await graph(emu, token, 'GET', `/oauth2PermissionGrants/${grant.body.id}`)).body.scope).toBe('UserProfile.ReadWrite other');
    const del = await graph(emu, token, 'DELETE', `/oauth2PermissionGrants/${grant.body.id}`);
    expect(del.status).toBe(204);
    expect(emu.state.oauth2PermissionGrants).toHaveLength(0);
  });

  it('counts Graph requests and round trips', async () => {
    await graph(emu, token, 'GET', '/me');
    await graph(emu, token, 'POST', '/applications', iceAppBody());
    expect(emu.stats.roundTrips).toBe(2);
    expect(emu.stats.byHost).toEqual({ login: 0, graph: 2 });
    expect(emu.stats.graphRequests).toBe(2);
    expect(emu.stats.graphWrites).toBe(1);
    expect(emu.stats.log.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/v1.0/me', 200],
      ['POST', '/v1.0/applications', 201],
    ]);
  });
});
