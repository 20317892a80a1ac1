// Graph's validation rules for applications (checklist.md "Graph facts").
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './index';
import { graph, ICE_SCOPE_ID, iceAppBody } from './test-helpers';

let emu: Emulator;
let token: string;
let app: { id: string; appId: string };

beforeAll(async () => {
  emu = await startEmulator({ verifiedDomains: ['contoso.com'] });
  token = emu.issueToken();
});
afterAll(async () => emu.stop());
beforeEach(async () => {
  emu.state.applications.length = 0;
  emu.faults.clear();
  app = (await graph(emu, token, 'POST', '/applications', iceAppBody())).body;
});

const patch = (body: unknown) => graph(emu, token, 'PATCH', `/applications/${app.id}`, body);
const scope = (over: Record<string, unknown> = {}) => ({ ...(iceAppBody().api as { oauth2PermissionScopes: Record<string, unknown>[] }).oauth2PermissionScopes[0], ...over });

describe('application rules', () => {
  it('replaces collections wholesale on PATCH and merges objects', async () => {
    expect((await patch({ spa: { redirectUris: ['https://only.example.com/sso'] } })).status).toBe(204);
    const got = (await graph(emu, token, 'GET', `/applications/${app.id}`)).body;
    expect(got.spa.redirectUris).toEqual(['https://only.example.com/sso']);
    expect(got.web.implicitGrantSettings.enableAccessTokenIssuance).toBe(true);
    expect((await patch({ web: { implicitGrantSettings: { enableIdTokenIssuance: true } } })).status).toBe(204);
    const again = (await graph(emu, token, 'GET', `/applications/${app.id}`)).body;
    expect(again.web.implicitGrantSettings).toEqual({ enableAccessTokenIssuance: true, enableIdTokenIssuance: true });
  });

  it.each([
    ['http://dc1.example.com/sso', 400],
    ['http://localhost:3000/sso', 204],
    ['https://dc1.example.com/sso', 204],
    [`https://dc1.example.com/${'a'.repeat(240)}`, 400],
    ["https://dc1.example.com/it's", 400],
    ['https://dc1.example.com/a,b', 400],
    ['https://dc1.example.com/a;b', 400],
    ['https://dc1.example.com/(x)', 400],
    ['https://dc1.example.com/$x', 400],
    ['https://dc1.example.com/x!', 400],
    ['not a uri', 400],
  ])('SPA redirect URI %s → %i', async (uri, status) => {
    const res = await patch({ spa: { redirectUris: [uri] } });
    expect(res.status).toBe(status);
    if (status === 400) expect(res.body.error.message).toContain('spa.redirectUris');
  });

  it.each([
    ['UserProfile.ReadWrite', 201],
    ['a', 201],
    ['x'.repeat(120), 201],
    ['x'.repeat(121), 400],
    ['', 400],
    ['has space', 400],
    ['.dot', 400],
  ])('scope value %j → %i', async (value, status) => {
    const res = await graph(emu, token, 'POST', '/applications', {
      displayName: 'scope test',
      signInAudience: 'AzureADMyOrg',
      api: { oauth2PermissionScopes: [scope({ id: '1b4f816e-5eaf-48b9-8613-7923830595ad', value })] },
    });
    expect(res.status).toBe(status);
  });

  it('scope ids must be unique GUIDs', async () => {
    const dup = await patch({ api: { oauth2PermissionScopes: [scope(), scope({ value: 'Other' })] } });
    expect(dup.status).toBe(400);
    const notGuid = await graph(emu, token, 'POST', '/applications', { displayName: 'x', api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [scope({ id: 'nope' })] } });
    expect(notGuid.status).toBe(400);
  });

  it('an enabled scope is disabled in one PATCH before another PATCH changes or removes it', async () => {
    const change = await patch({ api: { oauth2PermissionScopes: [scope({ value: 'Renamed' })] } });
    expect(change.status).toBe(400);
    expect(change.body.error.code).toBe('CannotDeleteOrUpdateEnabledEntitlement');
    const remove = await patch({ api: { oauth2PermissionScopes: [] } });
    expect(remove.body.error.code).toBe('CannotDeleteOrUpdateEnabledEntitlement');
    const disableAndChange = await patch({ api: { oauth2PermissionScopes: [scope({ isEnabled: false, type: 'Admin' })] } });
    expect(disableAndChange.body.error.code).toBe('CannotDeleteOrUpdateEnabledEntitlement');
    expect((await patch({ api: { oauth2PermissionScopes: [scope({ isEnabled: false })] } })).status).toBe(204);
    expect((await patch({ api: { oauth2PermissionScopes: [scope({ value: 'Renamed', type: 'Admin', isEnabled: true })] } })).status).toBe(204);
    const got = (await graph(emu, token, 'GET', `/applications/${app.id}`)).body;
    expect(got.api.oauth2PermissionScopes[0]).toMatchObject({ id: ICE_SCOPE_ID, value: 'Renamed', type: 'Admin', isEnabled: true });
    // unchanged enabled scope re-sent as is: fine
    expect((await patch({ api: { oauth2PermissionScopes: got.api.oauth2PermissionScopes } })).status).toBe(204);
  });

  it('identifierUris: api://<appId>, api://<verified domain>/..., https on a verified domain; others HostNameNotOnVerifiedDomain', async () => {
    for (const ok of [`api://${app.appId}`, 'api://contoso.com/ice', 'https://contoso.com/ice', 'https://sso.contoso.com', `api://${emu.tenantDomain}/ice`]) {
      expect((await patch({ identifierUris: [ok] })).status, ok).toBe(204);
    }
    for (const bad of ['api://11111111-2222-3333-4444-555555555555', 'https://fabrikam.com/ice', 'http://contoso.com/ice', 'api://unverified.example/ice']) {
      const res = await patch({ identifierUris: [bad] });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('HostNameNotOnVerifiedDomain');
    }
    expect((await patch({ identifierUris: [`api://${app.appId}`] })).status).toBe(204);
    const other = (await graph(emu, token, 'POST', '/applications', { displayName: 'other', signInAudience: 'AzureADMyOrg' })).body;
    const taken = await graph(emu, token, 'PATCH', `/applications/${other.id}`, { identifierUris: ['https://contoso.com/ice'] });
    expect(taken.status).toBe(204);
    const dup = await patch({ identifierUris: ['https://contoso.com/ice'] });
    expect(dup.status).toBe(400);
  });

  it('personal-account audiences need api.requestedAccessTokenVersion 2 (Graph defaults a bare create to it)', async () => {
    const bare = await graph(emu, token, 'POST', '/applications', { displayName: 'bare' });
    expect(bare.body.signInAudience).toBe('AzureADandPersonalMicrosoftAccount');
    expect(bare.body.api.requestedAccessTokenVersion).toBe(2);
    const bad = await patch({ signInAudience: 'AzureADandPersonalMicrosoftAccount' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('requestedAccessTokenVersion');
    expect((await patch({ signInAudience: 'AzureADandPersonalMicrosoftAccount', api: { requestedAccessTokenVersion: 2 } })).status).toBe(204);
    expect((await patch({ api: { requestedAccessTokenVersion: null } })).status).toBe(400);
    expect((await patch({ signInAudience: 'Everyone' })).status).toBe(400);
  });

  it('requiredResourceAccess to its own appId must name an existing scope', async () => {
    const bad = await patch({ requiredResourceAccess: [{ resourceAppId: app.appId, resourceAccess: [{ id: '0b0b0b0b-0000-0000-0000-000000000000', type: 'Scope' }] }] });
    expect(bad.status).toBe(400);
    const good = await patch({ requiredResourceAccess: [{ resourceAppId: app.appId, resourceAccess: [{ id: ICE_SCOPE_ID, type: 'Scope' }] }] });
    expect(good.status).toBe(204);
  });

  it('uniqueName cannot change once set; unknown and read-only properties are refused', async () => {
    expect((await patch({ uniqueName: 'first' })).status).toBe(204);
    expect((await patch({ uniqueName: 'first' })).status).toBe(204);
    const change = await patch({ uniqueName: 'second' });
    expect(change.status).toBe(400);
    expect(change.body.error.message).toContain('uniqueName');
    expect((await patch({ displayNme: 'typo' })).status).toBe(400);
    expect((await patch({ appId: '11111111-2222-3333-4444-555555555555' })).status).toBe(400);
    expect((await patch({ appId: app.appId, id: app.id })).status).toBe(204); // same values: harmless
    expect((await patch({ spa: { redirectUri: ['https://x.example.com'] } })).status).toBe(400);
    expect((await patch({ groupMembershipClaims: 'Everything' })).status).toBe(400);
    expect((await patch({ groupMembershipClaims: 'SecurityGroup, DirectoryRole' })).status).toBe(204);
    const typed = await patch({ isFallbackPublicClient: 'yes' });
    expect(typed.status).toBe(400);
    expect(typed.body.error.message).toContain("'isFallbackPublicClient'");
    expect((await patch({ identifierUris: 'api://x' })).status).toBe(400);
  });

  it('a POST without displayName, or with a body that is not JSON, is refused', async () => {
    expect((await graph(emu, token, 'POST', '/applications', { signInAudience: 'AzureADMyOrg' })).status).toBe(400);
    const res = await fetch(`${emu.graphUrl}/v1.0/applications`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
  });
});
