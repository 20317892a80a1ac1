// Trust of the test CA by Node's two HTTP stacks, the Graph SDK against the emulator, and tokens for the ICE app itself.
import { Client } from '@microsoft/microsoft-graph-client';
import { PublicClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, emulatedBrowser, graphClientOptionsFor, msalConfigFor, startEmulator, type Emulator } from './index';
import { graph, ICE_SCOPE_ID, iceAppBody, jsonOf } from './test-helpers';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ autoApproveDeviceCodeAfterMs: 0, deviceCodeIntervalSec: 0.01 });
});
afterAll(async () => emu.stop());

describe('TLS trust through NODE_EXTRA_CA_CERTS', () => {
  it('the test runs with the test CA trusted', () => {
    expect(process.env.NODE_EXTRA_CA_CERTS).toMatch(/test\/emulator\/tls\/ca\.pem$/);
  });

  it('node:https and global fetch (undici) both accept the emulator on 127.0.0.1 and localhost', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      https.get(`${emu.loginUrl}/${emu.tenantId}/discovery/v2.0/keys`, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    expect((await fetch(`${emu.graphUrl.replace('127.0.0.1', 'localhost')}/v1.0/me`)).status).toBe(401);
  });

  it('a client that does not trust the CA is refused', async () => {
    const err = await new Promise<Error>((resolve) => {
      https.get(`${emu.loginUrl}/`, { ca: [...tls.rootCertificates] }, () => resolve(new Error('connected'))).on('error', resolve);
    });
    expect(String(err.message)).toMatch(/certificate|self.signed|issuer/i);
  });
});

describe('@microsoft/microsoft-graph-client against the emulator', () => {
  it('talks to the emulator with customHosts and an MSAL token, including batching', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, 'c0c0c0c0-1111-2222-3333-444444444444'));
    const auth = await pca.acquireTokenByDeviceCode({ scopes: ['Application.ReadWrite.All', 'User.Read'], deviceCodeCallback: () => undefined });
    const client = Client.initWithMiddleware({
      ...graphClientOptionsFor(emu),
      authProvider: { getAccessToken: async () => auth!.accessToken },
    });
    const me = await client.api('/me').get();
    expect(me.userPrincipalName).toBe(`admin@${emu.tenantDomain}`);
    const created = await client.api("/applications(uniqueName='sdk-test')").header('Prefer', 'create-if-missing').patch(iceAppBody('SDK test'));
    expect(created.appId).toBeTruthy();
    const list = await client.api('/applications').filter("uniqueName eq 'sdk-test'").select('id,appId').get();
    expect(list.value).toEqual([{ id: created.id, appId: created.appId }]);
    const batch = await client.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: `/applications/${created.id}?$select=displayName` },
        { id: '2', method: 'POST', url: '/servicePrincipals', headers: { 'Content-Type': 'application/json' }, body: { appId: created.appId } },
      ],
    });
    const statuses = Object.fromEntries(batch.responses.map((r: { id: string; status: number }) => [r.id, r.status]));
    expect(statuses).toEqual({ '1': 200, '2': 201 });
    await expect(client.api('/applications/00000000-0000-0000-0000-000000000000').get()).rejects.toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
  });
});

describe('tokens for the ICE application (proof.token)', () => {
  it('issues a v1 token for api://<appId>/<scope>: aud = Application ID URI, scp, upn, group names, no header nonce, verifiable with the JWKS', async () => {
    const admin = emu.issueToken();
    const app = (await graph(emu, admin, 'PATCH', "/applications(uniqueName='ice-proof')", iceAppBody('ICE proof'), { prefer: 'create-if-missing' })).body;
    expect((await graph(emu, admin, 'PATCH', `/applications/${app.id}`, { identifierUris: [`api://${app.appId}`], publicClient: { redirectUris: ['http://localhost'] } })).status).toBe(204);
    const pca = new PublicClientApplication(msalConfigFor(emu, app.appId));
    // without a service principal the resource is unknown to the tenant
    await expect(pca.acquireTokenInteractive({ scopes: [`api://${app.appId}/UserProfile.ReadWrite`], openBrowser: emulatedBrowser })).rejects.toThrow(
      /invalid_resource|AADSTS500011/,
    );
    expect((await graph(emu, admin, 'POST', '/servicePrincipals', { appId: app.appId })).status).toBe(201);
    const res = await pca.acquireTokenInteractive({ scopes: [`api://${app.appId}/UserProfile.ReadWrite`], openBrowser: emulatedBrowser });
    const { header, payload } = decodeJwt(res.accessToken);
    expect(header.nonce).toBeUndefined();
    expect(payload).toMatchObject({ aud: `api://${app.appId}`, ver: '1.0', upn: `admin@${emu.tenantDomain}`, scp: 'UserProfile.ReadWrite' });
    expect(payload.groups).toEqual(expect.arrayContaining(['ice-operators'])); // sam_account_name → names where the group has one
    const meta = await fetch(`${emu.loginUrl}/${emu.tenantId}/v2.0/.well-known/openid-configuration`).then(jsonOf);
    const verified = await jwtVerify(res.accessToken, createRemoteJWKSet(new URL(meta.jwks_uri)), { algorithms: ['RS256'], audience: `api://${app.appId}` });
    expect(verified.payload.tid).toBe(emu.tenantId);
    // a Graph token does not verify that way: its header nonce breaks the plain signature check, as with Entra
    const graphToken = await pca.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: emulatedBrowser });
    await expect(jwtVerify(graphToken!.accessToken, createRemoteJWKSet(new URL(meta.jwks_uri)))).rejects.toThrow(/signature/);

    // device code with the app's own client id needs "Allow public client flows"
    await expect(pca.acquireTokenByDeviceCode({ scopes: [`api://${app.appId}/UserProfile.ReadWrite`], deviceCodeCallback: () => undefined })).rejects.toThrow(/invalid_client/);
    expect((await graph(emu, admin, 'PATCH', `/applications/${app.id}`, { isFallbackPublicClient: true })).status).toBe(204);
    // v2 tokens: aud = client id, upn only with the optional claim; Admin scopes need admin consent
    emu.signInAs('user');
    expect((await graph(emu, admin, 'PATCH', `/applications/${app.id}`, { api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [{ ...(iceAppBody().api as { oauth2PermissionScopes: object[] }).oauth2PermissionScopes[0], isEnabled: false }] } })).status).toBe(204);
    expect((await graph(emu, admin, 'PATCH', `/applications/${app.id}`, { api: { oauth2PermissionScopes: [{ ...(iceAppBody().api as { oauth2PermissionScopes: object[] }).oauth2PermissionScopes[0], type: 'Admin' }] } })).status).toBe(204);
    const pca2 = new PublicClientApplication(msalConfigFor(emu, app.appId));
    await expect(pca2.acquireTokenByDeviceCode({ scopes: [`api://${app.appId}/UserProfile.ReadWrite`], deviceCodeCallback: () => undefined })).rejects.toThrow(/invalid_grant/);
    const sp = emu.state.servicePrincipals.find((s) => s.appId === app.appId)!;
    emu.seedGrant({ clientId: String(sp.id), resourceId: String(sp.id), scope: 'UserProfile.ReadWrite' });
    const v2 = await pca2.acquireTokenByDeviceCode({ scopes: [`api://${app.appId}/UserProfile.ReadWrite`], deviceCodeCallback: () => undefined });
    const p2 = decodeJwt(v2!.accessToken).payload;
    expect(p2).toMatchObject({ aud: app.appId, ver: '2.0', scp: 'UserProfile.ReadWrite', upn: `user@${emu.tenantDomain}` });
    expect(p2.iss).toBe(`${emu.loginUrl}/${emu.tenantId}/v2.0`);
    emu.signInAs('admin');
    void ICE_SCOPE_ID;
  });
});
