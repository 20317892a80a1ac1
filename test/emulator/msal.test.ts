// The emulator's identity side against the real, unmodified @azure/msal-node.
import { PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt, emulatedBrowser, GRAPH_APP_ID, msalConfigFor, startEmulator, type Emulator } from './index';
import { graph, iceAppBody, jsonOf } from './test-helpers';

const CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ deviceCodeIntervalSec: 0.02 });
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.faults.clear();
  emu.setAutoApprove(false);
  emu.signInAs('admin');
  emu.setAuthorizeBehaviour({ mode: 'auto' });
  emu.resetStats();
});

const browser = emulatedBrowser;

describe('MSAL device code flow', () => {
  it('polls authorization_pending until approved, then gets tokens MSAL turns into an account', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, CLIENT_ID));
    let message = '';
    const pending = pca.acquireTokenByDeviceCode({
      scopes: ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'],
      deviceCodeCallback: (d) => {
        message = d.message;
      },
    });
    const dc = await emu.waitForDeviceCode();
    // let MSAL poll (and be told authorization_pending) twice before approving
    while (emu.stats.log.filter((l) => l.path.includes('/oauth2/v2.0/token') && l.status === 400).length < 2) {
      await new Promise((r) => setTimeout(r, 5));
    }
    emu.approveDeviceCode(dc.userCode);
    const res = (await pending) as AuthenticationResult;
    expect(message).toContain(dc.userCode);
    expect(res.account?.username).toBe(`admin@${emu.tenantDomain}`);
    expect(res.account?.tenantId).toBe(emu.tenantId);
    expect(res.scopes).toEqual(expect.arrayContaining(['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']));
    const { header, payload } = decodeJwt(res.accessToken);
    expect(header.alg).toBe('RS256');
    expect(header.kid).toBeTruthy();
    expect(header.nonce).toBeTruthy(); // Graph tokens carry a header nonce, as Entra's do
    expect(payload).toMatchObject({ aud: GRAPH_APP_ID, tid: emu.tenantId, upn: `admin@${emu.tenantDomain}`, appid: CLIENT_ID });
    expect(String(payload.scp).split(' ')).toEqual(expect.arrayContaining(['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']));
    const polls = emu.stats.log.filter((l) => l.path.includes('/oauth2/v2.0/token'));
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.slice(0, -1).every((p) => p.status === 400)).toBe(true);
    // the token works on Graph
    const created = await graph(emu, res.accessToken, 'POST', '/applications', iceAppBody());
    expect(created.status).toBe(201);
    emu.state.applications.length = 0;
  });

  it('accepts the RFC grant name too, and answers authorization_declined / expired_token', async () => {
    const dc = await fetch(`${emu.loginUrl}/${emu.tenantDomain}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: CLIENT_ID, scope: 'openid offline_access Application.Read.All' }),
    }).then(jsonOf);
    expect(dc).toMatchObject({ verification_uri: `${emu.loginUrl}/devicelogin`, expires_in: 900, interval: 0.02 });
    expect(dc.user_code).toMatch(/^[A-Z0-9]{9}$/);
    const poll = (grant: string, code = dc.device_code) =>
      fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: CLIENT_ID, grant_type: grant, device_code: code }),
      }).then(async (r) => ({ status: r.status, body: await jsonOf(r) }));
    expect((await poll('device_code')).body.error).toBe('authorization_pending');
    emu.approveDeviceCode(dc.user_code, 'appadmin');
    const ok = await poll('urn:ietf:params:oauth:grant-type:device_code');
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.body.access_token).payload.upn).toBe(`appadmin@${emu.tenantDomain}`);
    expect(ok.body.refresh_token).toBeTruthy();
    expect((await poll('device_code')).body.error).toBe('invalid_grant'); // already redeemed

    const pca = new PublicClientApplication(msalConfigFor(emu, CLIENT_ID));
    const declined = pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => undefined });
    emu.declineDeviceCode((await emu.waitForDeviceCode()).userCode);
    await expect(declined).rejects.toThrow(/authorization_declined/);
    const expired = pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => undefined });
    emu.expireDeviceCode((await emu.waitForDeviceCode()).userCode);
    await expect(expired).rejects.toThrow(/expired_token/);
  });

  it('auto-approves after N ms as the chosen user, with a tenant given by domain or "organizations"', async () => {
    emu.setAutoApprove(30, 'user');
    for (const tenant of [emu.tenantDomain, 'organizations']) {
      const pca = new PublicClientApplication(msalConfigFor(emu, CLIENT_ID, { tenant }));
      const res = await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => undefined });
      expect(res?.account?.username).toBe(`user@${emu.tenantDomain}`);
      expect(res?.tenantId).toBe(emu.tenantId);
    }
  });

  it('refuses scopes the user may not consent to (AADSTS65001 consent_required)', async () => {
    emu.setAutoApprove(0, 'user');
    const pca = new PublicClientApplication(msalConfigFor(emu, CLIENT_ID));
    await expect(pca.acquireTokenByDeviceCode({ scopes: ['Application.ReadWrite.All'], deviceCodeCallback: () => undefined })).rejects.toThrow(
      /invalid_grant/,
    );
    // what Entra said (MSAL's device code client keeps only the error code)
    const raw = await fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: CLIENT_ID, scope: 'Application.ReadWrite.All' }),
    }).then(jsonOf);
    // Poll as a client does: the auto-approval is a timer, so under load the first poll may still be pending.
    const poll = () =>
      fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: CLIENT_ID, grant_type: 'device_code', device_code: raw.device_code }),
      }).then(jsonOf);
    let polled = await poll();
    for (let i = 0; i < 100 && polled.error === 'authorization_pending'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      polled = await poll();
    }
    expect(polled).toMatchObject({ error: 'invalid_grant', suberror: 'consent_required', error_codes: [65001] });
    // once an admin consented tenant-wide, the same user gets the scope
    emu.state.preConsentedScopes.push('Application.ReadWrite.All');
    const res = await pca.acquireTokenByDeviceCode({ scopes: ['Application.ReadWrite.All'], deviceCodeCallback: () => undefined });
    expect(decodeJwt(res!.accessToken).payload.scp).toContain('Application.ReadWrite.All');
    emu.state.preConsentedScopes.length = 0;
  });
});

describe('MSAL browser flow (authorization code + PKCE) and silent refresh', () => {
  it('signs in through /authorize, redeems the code with PKCE, then refreshes silently', async () => {
    const pca = new PublicClientApplication(msalConfigFor(emu, '9d4b6f0e-1c2a-4e55-8a0b-3c1d2e3f4a5b', { preloadMetadata: true }));
    const res = await pca.acquireTokenInteractive({ scopes: ['Application.Read.All'], openBrowser: browser });
    expect(res.account?.username).toBe(`admin@${emu.tenantDomain}`);
    const authorize = emu.stats.log.find((l) => l.path.includes('/authorize'));
    expect(authorize?.path).toContain('code_challenge_method=S256');
    expect(emu.stats.log.some((l) => l.path.includes('openid-configuration'))).toBe(false); // metadata preloaded

    const accounts = await pca.getAllAccounts();
    expect(accounts).toHaveLength(1);
    // cached: no round trip
    emu.resetStats();
    const cached = await pca.acquireTokenSilent({ account: accounts[0]!, scopes: ['Application.Read.All'] });
    expect(cached.accessToken).toBe(res.accessToken);
    expect(emu.stats.roundTrips).toBe(0);
    // forced refresh uses the refresh token
    const refreshed = await pca.acquireTokenSilent({ account: accounts[0]!, scopes: ['Application.Read.All'], forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(res.accessToken);
    expect(emu.stats.byHost.login).toBe(1);
    // a scope never consented needs interaction
    await expect(pca.acquireTokenSilent({ account: accounts[0]!, scopes: ['Application.ReadWrite.All'] })).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      subError: 'consent_required',
    });
    // revoked refresh tokens need interaction too
    emu.revokeRefreshTokens();
    await expect(pca.acquireTokenSilent({ account: accounts[0]!, scopes: ['Application.Read.All'], forceRefresh: true })).rejects.toThrow(/AADSTS50173/);
  });

  it('rejects a wrong PKCE verifier and a redirect URI that is not loopback', async () => {
    const verifier = 'a'.repeat(50);
    const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
    const q = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: 'http://localhost:1234/cb',
      scope: 'openid offline_access User.Read',
      state: 's1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const r = await fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
    const loc = new URL(r.headers.get('location')!);
    expect(loc.searchParams.get('state')).toBe('s1');
    const code = loc.searchParams.get('code')!;
    const redeem = (v: string) =>
      fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: CLIENT_ID, grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:1234/cb', code_verifier: v }),
      }).then(async (x) => ({ status: x.status, body: await jsonOf(x) }));
    const wrong = await redeem('b'.repeat(50));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error_description).toMatch(/AADSTS501481/);
    q.set('redirect_uri', 'https://evil.example.com/cb');
    const evil = await fetch(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
    expect(evil.status).toBe(400);
    expect(await evil.text()).toContain('AADSTS50011');
  });

  it('error mode redirects with the error, which MSAL reports', async () => {
    emu.setAuthorizeBehaviour({ mode: 'error', error: 'access_denied', errorDescription: 'AADSTS65004: User declined to consent.' });
    const pca = new PublicClientApplication(msalConfigFor(emu, CLIENT_ID));
    await expect(pca.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: browser })).rejects.toThrow(/access_denied|AADSTS65004/);
  });
});

describe('metadata', () => {
  it('serves OpenID metadata by tenant id, domain, organizations; 400 for an unknown tenant; JWKS with the signing key', async () => {
    const byId = await fetch(`${emu.loginUrl}/${emu.tenantId}/v2.0/.well-known/openid-configuration`).then(jsonOf);
    expect(byId.issuer).toBe(`${emu.loginUrl}/${emu.tenantId}/v2.0`);
    expect(byId.token_endpoint).toBe(`${emu.loginUrl}/${emu.tenantId}/oauth2/v2.0/token`);
    const byDomain = await fetch(`${emu.loginUrl}/${emu.tenantDomain}/v2.0/.well-known/openid-configuration`).then(jsonOf);
    expect(byDomain.issuer).toBe(byId.issuer);
    const orgs = await fetch(`${emu.loginUrl}/organizations/v2.0/.well-known/openid-configuration`).then(jsonOf);
    expect(orgs.issuer).toBe(`${emu.loginUrl}/{tenantid}/v2.0`);
    const unknown = await fetch(`${emu.loginUrl}/nope.example.com/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect((await jsonOf(unknown)).error_description).toMatch(/AADSTS90002/);
    const jwks = await fetch(byId.jwks_uri).then(jsonOf);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });
    const inst = await fetch(`${emu.loginUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=x`).then(jsonOf);
    expect(inst.metadata[0].preferred_network).toBe(new URL(emu.loginUrl).host);
  });
});
