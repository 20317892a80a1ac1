import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { msalConfigFor, startEmulator, type Emulator } from './index';
import { graph, iceAppBody, jsonOf } from './test-helpers';

let emu: Emulator;
let token: string;

beforeAll(async () => {
  emu = await startEmulator({ autoApproveDeviceCodeAfterMs: 0, deviceCodeIntervalSec: 0.01 });
  token = emu.issueToken();
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.resetDirectory();
  emu.faults.clear();
  emu.resetStats();
});

describe('faults', () => {
  it('latency is added to every round trip, identity and Graph', async () => {
    emu.faults.latency(80);
    let t = Date.now();
    await graph(emu, token, 'GET', '/me');
    expect(Date.now() - t).toBeGreaterThanOrEqual(75);
    t = Date.now();
    await fetch(`${emu.loginUrl}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(Date.now() - t).toBeGreaterThanOrEqual(75);
    const slow = await startEmulator({ latencyMs: 60 });
    try {
      t = Date.now();
      await fetch(`${slow.loginUrl}/${slow.tenantId}/v2.0/.well-known/openid-configuration`);
      expect(Date.now() - t).toBeGreaterThanOrEqual(55);
    } finally {
      await slow.stop();
    }
  });

  it('429 with Retry-After (fractional or integer) for matching requests, count times', async () => {
    const h = emu.faults.throttle(0.5, { method: 'POST', path: '/applications', count: 2 });
    const a = await graph(emu, token, 'POST', '/applications', iceAppBody());
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('0.5');
    expect(a.body.error.code).toBe('TooManyRequests');
    expect((await graph(emu, token, 'GET', '/applications')).status).toBe(200); // GET does not match
    expect((await graph(emu, token, 'POST', '/applications', iceAppBody())).status).toBe(429);
    expect((await graph(emu, token, 'POST', '/applications', iceAppBody())).status).toBe(201);
    expect(h.fired).toBe(2);
    emu.faults.throttle(3);
    const b = await graph(emu, token, 'GET', '/me');
    expect(b.headers.get('retry-after')).toBe('3');
  });

  it('503 and 504, on Graph and on the token endpoint', async () => {
    emu.faults.error(503, { retryAfter: 0 });
    const a = await graph(emu, token, 'GET', '/me');
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('0');
    emu.faults.error(504);
    expect((await graph(emu, token, 'GET', '/me')).status).toBe(504);
    expect((await graph(emu, token, 'GET', '/me')).status).toBe(200);
    emu.faults.error(503, { host: 'login', path: /\/token$/ });
    const t = await fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: 'grant_type=x&client_id=y' });
    expect(t.status).toBe(503);
    expect((await jsonOf(t)).error).toBe('temporarily_unavailable');
  });

  it('a dropped connection: before processing nothing happens, after processing the write happened but the answer is lost', async () => {
    emu.faults.drop({ path: '/applications' });
    await expect(graph(emu, token, 'POST', '/applications', iceAppBody())).rejects.toThrow();
    expect(emu.state.applications).toHaveLength(0);
    emu.faults.drop({ path: "/applications(uniqueName='ice')", phase: 'after' });
    await expect(graph(emu, token, 'PATCH', "/applications(uniqueName='ice')", iceAppBody(), { prefer: 'create-if-missing' })).rejects.toThrow();
    expect(emu.state.applications).toHaveLength(1);
    const retry = await graph(emu, token, 'PATCH', "/applications(uniqueName='ice')", iceAppBody(), { prefer: 'create-if-missing' });
    expect(retry.status).toBe(204);
    expect(emu.state.applications).toHaveLength(1);
    expect(emu.stats.log.filter((l) => l.status === 0)).toHaveLength(2);
  });

  it('a dropped connection on the identity side makes MSAL fail with a network error', async () => {
    emu.faults.drop({ host: 'login', path: /\/devicecode$/ });
    const pca = new PublicClientApplication(msalConfigFor(emu, '0a0a0a0a-1111-2222-3333-444444444444'));
    await expect(pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => undefined })).rejects.toThrow();
    const ok = await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => undefined });
    expect(ok?.accessToken).toBeTruthy();
  });

  it('replication lag by requests: 404 on GET/PATCH, missing from lists, 400 on POST /servicePrincipals, then visible', async () => {
    emu.faults.replicationLag({ requests: 4 }, { path: '/applications' });
    const app = (await graph(emu, token, 'POST', '/applications', iceAppBody())).body;
    const get = await graph(emu, token, 'GET', `/applications/${app.id}`);
    expect(get.status).toBe(404);
    expect(get.body.error.code).toBe('Request_ResourceNotFound');
    expect((await graph(emu, token, 'PATCH', `/applications/${app.id}`, { notes: 'x' })).status).toBe(404);
    expect((await graph(emu, token, 'GET', `/applications?$filter=appId eq '${app.appId}'`)).body.value).toEqual([]);
    const sp = await graph(emu, token, 'POST', '/servicePrincipals', { appId: app.appId });
    expect(sp.status).toBe(400);
    expect(sp.body.error.message).toContain('does not reference a valid application object');
    expect((await graph(emu, token, 'GET', `/applications/${app.id}`)).status).toBe(200);
    expect((await graph(emu, token, 'POST', '/servicePrincipals', { appId: app.appId })).status).toBe(201);
  });

  it('replication lag by time, for service principals too', async () => {
    // generous windows: the checks right after a create must land inside them even on a loaded machine
    emu.faults.replicationLag({ ms: 600 }, { count: 1 });
    const app = (await graph(emu, token, 'POST', '/applications', iceAppBody())).body;
    expect((await graph(emu, token, 'GET', `/applications(appId='${app.appId}')`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 650));
    emu.faults.replicationLag({ ms: 600 }, { count: 1 });
    const sp = (await graph(emu, token, 'POST', '/servicePrincipals', { appId: app.appId })).body;
    expect((await graph(emu, token, 'GET', `/servicePrincipals/${sp.id}`)).status).toBe(404);
    const grant = await graph(emu, token, 'POST', '/oauth2PermissionGrants', {
      clientId: sp.id,
      consentType: 'AllPrincipals',
      resourceId: sp.id,
      scope: 'UserProfile.ReadWrite',
    });
    expect(grant.status).toBe(400);
    await new Promise((r) => setTimeout(r, 650));
    expect((await graph(emu, token, 'GET', `/servicePrincipals/${sp.id}`)).status).toBe(200);
  });

  it('403 Authorization_RequestDenied: a user without the role, a token without the scope, or the forbidden fault', async () => {
    const noRole = emu.issueToken({ user: 'user', scopes: ['Application.ReadWrite.All'] });
    const denied = await graph(emu, noRole, 'POST', '/applications', iceAppBody());
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    expect((await graph(emu, noRole, 'GET', '/applications')).status).toBe(200); // reads need no role
    const appAdmin = emu.issueToken({ user: 'appadmin', scopes: ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'] });
    expect((await graph(emu, appAdmin, 'POST', '/applications', iceAppBody())).status).toBe(201);
    const readOnly = emu.issueToken({ scopes: ['Application.Read.All'] });
    expect((await graph(emu, readOnly, 'GET', '/applications')).status).toBe(200);
    expect((await graph(emu, readOnly, 'POST', '/applications', iceAppBody())).status).toBe(403);
    expect((await graph(emu, readOnly, 'GET', '/me')).status).toBe(403); // /me needs User.Read
    // granting consent to Microsoft Graph needs more than Application Administrator
    const grant = await graph(emu, appAdmin, 'POST', '/oauth2PermissionGrants', {
      clientId: emu.graphServicePrincipalId,
      consentType: 'AllPrincipals',
      resourceId: emu.graphServicePrincipalId,
      scope: 'User.Read',
    });
    expect(grant.status).toBe(403);
    emu.faults.forbidden({ count: 1 });
    expect((await graph(emu, token, 'GET', '/me')).status).toBe(403);
    expect((await graph(emu, token, 'GET', '/me')).status).toBe(200);
    emu.setUser({ userPrincipalName: 'user', roles: ['Cloud Application Administrator'] });
    expect((await graph(emu, noRole, 'POST', '/applications', iceAppBody())).status).toBe(201);
    emu.setUser({ userPrincipalName: 'user', roles: [] });
  });

  it('401 InvalidAuthenticationToken for a missing, forged, expired or foreign-audience token', async () => {
    expect((await graph(emu, undefined, 'GET', '/me')).body.error.code).toBe('InvalidAuthenticationToken');
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await graph(emu, forged, 'GET', '/me')).status).toBe(401);
    const expired = emu.issueToken({ expiresInSec: -10 });
    const e = await graph(emu, expired, 'GET', '/me');
    expect(e.status).toBe(401);
    expect(e.body.error.message).toMatch(/expired/);
    expect(e.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrongAud = emu.issueToken({ audience: 'api://something-else' });
    expect((await graph(emu, wrongAud, 'GET', '/me')).body.error.message).toMatch(/audience/);
    const other = await startEmulator();
    try {
      expect((await graph(emu, other.issueToken(), 'GET', '/me')).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});
