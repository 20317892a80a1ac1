// Sign-in through MSAL against the emulator: device code, browser (loopback + PKCE), silent, accounts, sign-out,
// least-privilege scopes, consent errors.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTokenCacheStore } from '../../src-main/auth/cache';
import { SignInError } from '../../src-main/auth/errors';
import { graphScopes } from '../../src-main/auth/scopes';
import { SignInClient, signIn, type DeviceCodeInfo } from '../../src-main/auth/signin';
import { customCloud } from '../../src-main/core/clouds';
import { decodeJwt, emulatedBrowser, type Emulator } from '../emulator/index';
import { emulator } from '../support/emulator';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

function client(e: Emulator, cache = new MemoryTokenCacheStore(), tenant = e.tenantDomain) {
  return new SignInClient({ cloud: customCloud(e.loginUrl, e.graphUrl), tenant, cache, clientId: '0f6c5b0e-1111-4222-8333-944445555666' });
}

function scp(token: string): string[] {
  return String((decodeJwt(token).payload as { scp?: string }).scp ?? '').split(' ');
}

describe('device code', () => {
  it('shows code, URL, expiry and message; the token carries only the read scopes verify asks for', async () => {
    emu = await emulator({ autoApproveDeviceCodeAfterMs: 50 });
    const c = client(emu);
    const scopes = graphScopes(c.cloud, { action: 'verify' });
    let info: DeviceCodeInfo | undefined;
    const r = await c.deviceCode(scopes, { onCode: (i) => (info = i) });
    expect(info!.userCode).toMatch(/\w{6,}/);
    expect(info!.verificationUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    expect(info!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(info!.message).toContain(info!.userCode);
    expect(r.tenantId).toBe(emu.tenantId);
    expect(r.account.username).toBe(`admin@${emu.tenantDomain}`);
    const granted = scp(r.accessToken);
    expect(granted).toEqual(expect.arrayContaining(['Application.Read.All', 'Directory.Read.All']));
    expect(granted.filter((x) => /ReadWrite/.test(x))).toEqual([]);
  });

  it('apply asks for DelegatedPermissionGrant.ReadWrite.All only for "Admins only"', async () => {
    emu = await emulator();
    const users = await client(emu).deviceCode(graphScopes(customCloud(emu.loginUrl, emu.graphUrl), { action: 'apply', consent: 'users' }), { onCode: () => undefined });
    expect(scp(users.accessToken)).toContain('Application.ReadWrite.All');
    expect(scp(users.accessToken)).not.toContain('DelegatedPermissionGrant.ReadWrite.All');
    const admins = await client(emu).deviceCode(graphScopes(customCloud(emu.loginUrl, emu.graphUrl), { action: 'apply', consent: 'admins' }), { onCode: () => undefined });
    expect(scp(admins.accessToken)).toEqual(expect.arrayContaining(['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']));
  });

  it('is cancellable with an AbortSignal', async () => {
    emu = await emulator({ autoApproveDeviceCodeAfterMs: undefined });
    emu.setAutoApprove(false);
    const ac = new AbortController();
    const c = client(emu);
    const p = c.deviceCode(graphScopes(c.cloud, { action: 'verify' }), { onCode: () => setTimeout(() => ac.abort(), 100), signal: ac.signal });
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect(err.code).toBe('cancelled');
  });

  it('reports a declined sign-in', async () => {
    emu = await emulator();
    emu.setAutoApprove(false);
    const c = client(emu);
    const p = c.deviceCode(graphScopes(c.cloud, { action: 'verify' }), { onCode: () => setTimeout(() => emu!.declineDeviceCode(), 50) });
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect(err.code).toBe('declined');
  });

  it('names the role and the missing permission when consent is required', async () => {
    emu = await emulator();
    emu.signInAs('user');
    const c = client(emu);
    const err = await c.deviceCode(graphScopes(c.cloud, { action: 'apply', consent: 'users' }), { onCode: () => undefined }).catch((e) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect(err.code).toBe('consent-required');
    expect(err.message).toMatch(/Application Administrator or Cloud Application Administrator/);
    expect(err.message).toContain('Application.ReadWrite.All');
  });
});

describe('browser, silent, accounts, sign-out', () => {
  it('signs in in the (emulated) browser via the loopback redirect, then silently from the cache', async () => {
    emu = await emulator();
    const cache = new MemoryTokenCacheStore();
    const c = client(emu, cache);
    const scopes = graphScopes(c.cloud, { action: 'verify' });
    const opened: string[] = [];
    const first = await signIn(c, scopes, {
      method: 'browser',
      openBrowser: async (url) => {
        opened.push(url);
        await emulatedBrowser(url);
      },
    });
    expect(opened).toHaveLength(1);
    const u = new URL(opened[0]!);
    expect(u.origin).toBe(emu.loginUrl);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+/);
    expect(first.signedIn.tenantId).toBe(emu.tenantId);
    expect(await cache.load()).toBeTruthy();

    // A new client on the same cache: the account is listed, picked, and used without any browser.
    const c2 = client(emu, cache);
    const accounts = await c2.accounts();
    expect(accounts.map((a) => a.username)).toEqual([`admin@${emu.tenantDomain}`]);
    expect((await c2.pickAccount(`ADMIN@${emu.tenantDomain}`))!.homeAccountId).toBe(accounts[0]!.homeAccountId);
    expect(await c2.pickAccount('nobody@x.com')).toBeNull();
    const again = await signIn(c2, scopes, { method: 'browser', user: `admin@${emu.tenantDomain}`, openBrowser: async () => { throw new Error('no browser expected'); } });
    expect(again.signedIn.account.homeAccountId).toBe(accounts[0]!.homeAccountId);
    expect(await again.getToken()).toBe(again.signedIn.accessToken);

    await c2.signOut();
    expect(await c2.accounts()).toEqual([]);
    expect(await c2.pickAccount()).toBeNull();
  });

  it('a browser error comes back as a clear sign-in error', async () => {
    emu = await emulator();
    emu.setAuthorizeBehaviour({ mode: 'error', error: 'access_denied', errorDescription: 'AADSTS65004: User declined to consent to access the app.' });
    const c = client(emu);
    const err = await c.browser(graphScopes(c.cloud, { action: 'verify' }), { openBrowser: emulatedBrowser }).catch((e) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect(err.code).toBe('declined');
  });

  it('a cancelled browser sign-in stops listening on the loopback port; an abandoned one times out', async () => {
    emu = await emulator();
    const c = client(emu);
    const scopes = graphScopes(c.cloud, { action: 'verify' });
    const ac = new AbortController();
    let loopback = '';
    const err = await c
      .browser(scopes, {
        signal: ac.signal,
        openBrowser: async (url) => {
          loopback = new URL(url).searchParams.get('redirect_uri')!;
          setTimeout(() => ac.abort(), 50);
        },
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect(err.code).toBe('cancelled');
    await expect(fetch(loopback)).rejects.toThrow();
    const late = await c.browser(scopes, { timeoutMs: 100, openBrowser: async () => undefined }).catch((e) => e);
    expect(late.code).toBe('expired');
    expect(late.message).toMatch(/not completed in time/);
  });

  it('accepts the tenant by id as well as by domain', async () => {
    emu = await emulator();
    const r = await client(emu, new MemoryTokenCacheStore(), emu.tenantId).deviceCode(graphScopes(customCloud(emu.loginUrl, emu.graphUrl), { action: 'verify' }), { onCode: () => undefined });
    expect(r.tenantId).toBe(emu.tenantId);
  });

  it('a wrong tenant is reported as such', async () => {
    emu = await emulator();
    const err = await client(emu, new MemoryTokenCacheStore(), 'nope.onmicrosoft.com')
      .deviceCode(graphScopes(customCloud(emu.loginUrl, emu.graphUrl), { action: 'verify' }), { onCode: () => undefined })
      .catch((e) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect(err.message).toMatch(/nope\.onmicrosoft\.com/);
  });
});
