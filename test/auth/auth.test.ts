// Sign-in pieces that need no server: scopes, tenant checks, browser command, cache plugin, error mapping.
import { describe, expect, it } from 'vitest';
import { MemoryTokenCacheStore, cachePlugin } from '../../src-main/auth/cache';
import { toSignInError } from '../../src-main/auth/errors';
import { systemBrowserCommand } from '../../src-main/auth/browser';
import { graphPermissions, graphScopes } from '../../src-main/auth/scopes';
import { DEFAULT_CLIENT_ID, SignInClient, checkTenant } from '../../src-main/auth/signin';
import { CLOUDS, customCloud } from '../../src-main/core/clouds';

describe('scopes', () => {
  it('verify asks only for read permissions', () => {
    const p = graphPermissions({ action: 'verify' });
    expect(p).toEqual(['Application.Read.All', 'Directory.Read.All']);
    expect(p.some((s) => /ReadWrite/.test(s))).toBe(false);
  });
  it('apply asks for the grant permission only for "Admins only"; it always reads grants (Directory.Read.All otherwise)', () => {
    // serviceprincipal-list-oauth2permissiongrants: Directory.Read.All is the least privileged delegated permission.
    expect(graphPermissions({ action: 'apply', consent: 'users' })).toEqual(['Application.ReadWrite.All', 'Directory.Read.All']);
    expect(graphPermissions({ action: 'apply', consent: 'admins' })).toEqual(['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All']);
  });
  it('qualifies scopes with the cloud Graph URL', () => {
    expect(graphScopes(CLOUDS.usgov, { action: 'apply', consent: 'users' })).toEqual(['https://graph.microsoft.us/Application.ReadWrite.All', 'https://graph.microsoft.us/Directory.Read.All']);
    expect(graphScopes(CLOUDS.china, { action: 'verify' })[0]).toBe('https://microsoftgraph.chinacloudapi.cn/Application.Read.All');
    expect(graphScopes(customCloud('https://127.0.0.1:9/', 'https://127.0.0.1:10/'), { action: 'verify' })[0]).toBe('https://127.0.0.1:10/Application.Read.All');
  });
});

describe('tenant', () => {
  it('accepts an id or a domain, refuses multi-tenant words and junk', () => {
    expect(checkTenant('contoso.onmicrosoft.com')).toBeNull();
    expect(checkTenant('72f988bf-86f1-41af-91ab-2d7cd011db47')).toBeNull();
    expect(checkTenant('common')).toMatch(/not one tenant/);
    expect(checkTenant('')).toMatch(/missing/);
    expect(checkTenant('contoso')).toMatch(/neither a tenant id/);
    expect(checkTenant('a b.com')).toMatch(/neither/);
  });
  it('builds the authority from the cloud login URL and the tenant', () => {
    const c = new SignInClient({ cloud: CLOUDS.usgov, tenant: 'contoso.onmicrosoft.us' });
    expect(c.authority).toBe('https://login.microsoftonline.us/contoso.onmicrosoft.us');
    expect(c.clientId).toBe(DEFAULT_CLIENT_ID);
    expect(new SignInClient({ cloud: CLOUDS.global, tenant: 'x.com', clientId: ' abc ' }).clientId).toBe('abc');
    expect(() => new SignInClient({ cloud: CLOUDS.global, tenant: 'common' })).toThrow(/not one tenant/);
  });
});

describe('system browser', () => {
  it('uses a fixed program with the URL as a single argument', () => {
    const url = 'https://login.example/authorize?a=1&b=2;rm -rf';
    expect(systemBrowserCommand(url, 'linux')).toEqual({ command: 'xdg-open', args: [new URL(url).href] });
    expect(systemBrowserCommand(url, 'darwin').command).toBe('open');
    expect(systemBrowserCommand(url, 'win32')).toEqual({ command: 'rundll32', args: ['url.dll,FileProtocolHandler', new URL(url).href] });
    expect(() => systemBrowserCommand('file:///etc/passwd', 'linux')).toThrow(/non-web/);
    expect(() => systemBrowserCommand('not a url', 'linux')).toThrow();
  });
});

describe('token cache plugin', () => {
  it('loads before access and saves only when changed', async () => {
    const store = new MemoryTokenCacheStore();
    const plugin = cachePlugin(store);
    let deserialized = '';
    const cache = { deserialize: (s: string) => (deserialized = s), serialize: () => '{"x":1}' };
    await plugin.beforeCacheAccess({ tokenCache: cache, cacheHasChanged: false } as never);
    expect(deserialized).toBe('');
    await plugin.afterCacheAccess({ tokenCache: cache, cacheHasChanged: false } as never);
    expect(await store.load()).toBeNull();
    await plugin.afterCacheAccess({ tokenCache: cache, cacheHasChanged: true } as never);
    expect(await store.load()).toBe('{"x":1}');
    await plugin.beforeCacheAccess({ tokenCache: cache, cacheHasChanged: false } as never);
    expect(deserialized).toBe('{"x":1}');
    await store.clear();
    expect(await store.load()).toBeNull();
  });
});

describe('sign-in errors', () => {
  const ctx = { scopes: ['https://graph.microsoft.com/Application.ReadWrite.All'], authority: 'https://login.microsoftonline.com/t', clientId: 'c' };
  it('names the role and scope when consent is missing', () => {
    const e = toSignInError({ errorCode: 'invalid_grant', subError: 'consent_required', errorMessage: 'AADSTS65001: The user or administrator has not consented' }, ctx);
    expect(e.code).toBe('consent-required');
    expect(e.message).toMatch(/Application Administrator or Cloud Application Administrator/);
    expect(e.message).toContain('Application.ReadWrite.All');
  });
  it('maps declined, expired, cancelled and network failures', () => {
    expect(toSignInError({ errorCode: 'authorization_declined' }, ctx).code).toBe('declined');
    expect(toSignInError({ errorCode: 'expired_token' }, ctx).code).toBe('expired');
    expect(toSignInError({ errorCode: 'device_code_polling_cancelled' }, ctx).code).toBe('cancelled');
    const n = toSignInError({ errorCode: 'network_error', errorMessage: 'connect ECONNREFUSED 127.0.0.1:1' }, ctx);
    expect(n.code).toBe('network');
    expect(n.message).toMatch(/NODE_EXTRA_CA_CERTS/);
  });
});
