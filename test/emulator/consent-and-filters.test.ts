// The emulator's consent model and the application $filter support the candidate search relies on, checked
// against Microsoft's documentation:
// - Consent is per client, user (or tenant) and resource; a silent (refresh token) request for scopes never consented
//   answers invalid_grant AADSTS65001 with suberror consent_required, and the client must then send an interactive
//   request, where the user (or an admin) consents:
//   https://learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS65001 DelegationDoesNotExist),
//   https://learn.microsoft.com/entra/msal/dotnet/advanced/exceptions/msal-error-handling ("MsalUiRequiredException ...
//   consent_required"), https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow (refresh errors).
// - An unknown client id: unauthorized_client AADSTS700016 "Application with identifier ... was not found in the
//   directory" (reference-error-codes).
// - Application $filter: displayName, tags/any and identifierUris/any are default queries; spa/redirectUris/any is an
//   advanced query only (ConsistencyLevel: eventual and $count=true): https://learn.microsoft.com/graph/aad-advanced-queries
import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt, msalConfigFor, startEmulator, type Emulator } from './index';
import { graph } from './test-helpers';

const CLIENT_ID = '6b9f0d4e-0c1a-4c4f-8c1e-2f6a1b7d9e01';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ deviceCodeIntervalSec: 0.02, autoApproveDeviceCodeAfterMs: 0 });
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.resetDirectory();
  emu.state.knownClients = null;
  emu.signInAs('admin');
});

describe('consent per client and scope', () => {
  it('a refresh for a scope not consented answers AADSTS65001 consent_required; an interactive sign-in consents; then silent works', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, CLIENT_ID));
    const read = await pca.acquireTokenByDeviceCode({ scopes: ['Application.Read.All'], deviceCodeCallback: () => undefined });
    expect(decodeJwt(read!.accessToken).payload.scp).toBe('Application.Read.All');
    // Silent for more: MSAL refreshes with the refresh token; Entra answers 65001 consent_required.
    const err = await pca.acquireTokenSilent({ scopes: ['Application.ReadWrite.All'], account: read!.account! }).catch((e) => e);
    expect(err.errorCode).toBe('invalid_grant');
    expect(err.subError).toBe('consent_required');
    expect(String(err.errorMessage)).toMatch(/AADSTS65001/);
    // Interactive: the (admin) user consents; the token then carries both scopes (Entra returns all consented ones).
    const more = await pca.acquireTokenByDeviceCode({ scopes: ['Application.ReadWrite.All'], deviceCodeCallback: () => undefined });
    expect(String(decodeJwt(more!.accessToken).payload.scp).split(' ')).toEqual(expect.arrayContaining(['Application.Read.All', 'Application.ReadWrite.All']));
    const silent = await pca.acquireTokenSilent({ scopes: ['Application.ReadWrite.All'], account: more!.account!, forceRefresh: true });
    expect(decodeJwt(silent.accessToken).payload.scp).toContain('Application.ReadWrite.All');
  });

  it('consent is per client: another client of the same user asks again', async () => {
    const a = new PublicClientApplication(msalConfigFor(emu, CLIENT_ID));
    await a.acquireTokenByDeviceCode({ scopes: ['Application.Read.All'], deviceCodeCallback: () => undefined });
    emu.signInAs('user');
    // 'user' may consent only to User.Read: the admin's consent for CLIENT_ID does not help another user or client.
    const b = new PublicClientApplication(msalConfigFor(emu, 'c1c2c3c4-0000-4000-8000-000000000002'));
    await expect(b.acquireTokenByDeviceCode({ scopes: ['Application.Read.All'], deviceCodeCallback: () => undefined })).rejects.toThrow(/invalid_grant/);
  });

  it('an unknown client id is refused at the device code endpoint when the directory lists its clients (AADSTS700016)', async () => {
    emu.state.knownClients = [CLIENT_ID];
    const res = await fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: '00000000-1111-4222-8333-444444444444', scope: 'Application.Read.All' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_codes: number[]; error_description: string };
    expect(body.error).toBe('unauthorized_client');
    expect(body.error_codes).toEqual([700016]);
    expect(body.error_description).toMatch(/^AADSTS700016: Application with identifier '00000000-1111-4222-8333-444444444444' was not found/);
    const ok = await fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: CLIENT_ID, scope: 'Application.Read.All' }),
    });
    expect(ok.status).toBe(200);
  });
});

describe('application $filter: default and advanced queries', () => {
  it('spa/redirectUris/any needs ConsistencyLevel: eventual and $count=true; tags/any and displayName do not', async () => {
    const token = emu.issueToken();
    const made = emu.seedApplication({ displayName: 'ICE', signInAudience: 'AzureADMyOrg', spa: { redirectUris: ['https://dc1.example.com/sso'] }, tags: ['x'] });
    emu.seedApplication({ displayName: 'Other', signInAudience: 'AzureADMyOrg', spa: { redirectUris: ['https://other.example.com/sso'] } });
    const spa = encodeURIComponent("spa/redirectUris/any(p:p eq 'https://dc1.example.com/sso') or spa/redirectUris/any(p:p eq 'https://dc2.example.com/sso')");
    const plain = await graph(emu, token, 'GET', `/applications?$filter=${spa}`);
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('Request_UnsupportedQuery');
    const noCount = await graph(emu, token, 'GET', `/applications?$filter=${spa}`, undefined, { ConsistencyLevel: 'eventual' });
    expect(noCount.status).toBe(400);
    const adv = await graph(emu, token, 'GET', `/applications?$filter=${spa}&$count=true&$select=id,displayName`, undefined, { ConsistencyLevel: 'eventual' });
    expect(adv.status).toBe(200);
    expect(adv.body['@odata.count']).toBe(1);
    expect(adv.body.value).toEqual([{ id: made.id, displayName: 'ICE' }]);
    const tags = await graph(emu, token, 'GET', `/applications?$filter=${encodeURIComponent("tags/any(t:t eq 'x')")}&$select=id`);
    expect(tags.body.value).toEqual([{ id: made.id }]);
    const name = await graph(emu, token, 'GET', `/applications?$filter=${encodeURIComponent("displayName eq 'ICE'")}&$select=id`);
    expect(name.body.value).toEqual([{ id: made.id }]);
    // Inside $batch, the header travels with the inner request.
    const batch = await graph(emu, token, 'POST', '/$batch', {
      requests: [{ id: '1', method: 'GET', url: `/applications?$filter=${spa}&$count=true&$select=id`, headers: { ConsistencyLevel: 'eventual' } }],
    });
    expect(batch.body.responses[0].status).toBe(200);
    expect(batch.body.responses[0].body.value).toEqual([{ id: made.id }]);
  });
});
