// The apply preview in the portal's words: each planned write as the blade and setting it changes, what it
// adds and removes named, the target app named. Plain data: real plans of the core over the Graph fixtures.
import { describe, expect, it } from 'vitest';
import { plan } from '../../src-main/core/plan';
import { describePlan } from '../../src-main/core/portal-changes';
import { settingsOrThrow } from '../../src-main/core/settings';
import type { GraphApplication, GraphOAuth2PermissionGrant, GraphServicePrincipal, Observed } from '../../src-main/core/types';
import { COMPLIANT, fixture } from '../support/fixtures';

const GRAPH_SP = '1804a6f8-e623-4520-8f40-ba1b0c11c42d';
const OPTS = { newScopeId: '11111111-2222-4333-8444-555555555555', uniqueName: 'ice-sso-test.icnow.app' };
const settings = (extra: Record<string, unknown> = {}) => settingsOrThrow({ hosts: ['ice1.example.com', 'ice2.example.com'], displayName: 'ICE SSO', ...extra });
const sp = () => fixture<GraphServicePrincipal>('compliant-service-principal.json');

function texts(observed: Observed, s = settings()) {
  const p = plan(observed, s, OPTS);
  return describePlan(p.writes, { application: observed.application, displayName: observed.application?.displayName ?? s.displayName, grants: observed.grants ?? null, ...(observed.graphServicePrincipalId ? { graphServicePrincipalId: observed.graphServicePrincipalId } : {}) });
}

describe('describePlan', () => {
  it('an empty tenant: register, then each setting as the portal names it; the own scope requested by name', () => {
    const d = texts({ application: null, servicePrincipal: null, grants: [] });
    expect(d.map((w) => w.target)).toEqual(['App registration "ICE SSO"', 'App registration "ICE SSO"', 'Enterprise application "ICE SSO"']);
    const create = d[0]!.changes.map((c) => c.text);
    expect(create[0]).toBe('App registrations: register "ICE SSO"');
    expect(create).toContain('Authentication › Single-page application: add https://ice1.example.com/sso, https://ice2.example.com/sso');
    expect(create).toContain('Authentication › Implicit grant and hybrid flows: add Access tokens');
    expect(create).toContain('Expose an API › Scopes: add UserProfile.ReadWrite (Admins and users)');
    expect(create.some((t) => t.startsWith('Authentication › Mobile and desktop applications: add https://login.microsoftonline.com/common/oauth2/nativeclient'))).toBe(true);
    expect(create.some((t) => t.startsWith('Token configuration › Optional claims (Access token): add') && t.includes('upn (include_externally_authenticated_upn)'))).toBe(true);
    const ids = d[1]!.changes.map((c) => c.text);
    expect(ids).toEqual(['Expose an API › Application ID URI: set to api://<client id>', 'API permissions: add ICE SSO (this app) › UserProfile.ReadWrite']);
    expect(d[2]!.changes[0]!.text).toMatch(/^Enterprise applications: create "ICE SSO"/);
    // No Graph words in the lines people read.
    for (const w of d) for (const c of w.changes) expect(c.text).not.toMatch(/PATCH|POST|\/applications|requiredResourceAccess|\{app/);
  });

  it('the portal default registration: User.Read removed by name, the SPA URIs added, nothing silently dropped', () => {
    const app = fixture<GraphApplication>('portal-default-registration.json');
    const d = texts({ application: app, servicePrincipal: sp(), grants: [], graphServicePrincipalId: GRAPH_SP });
    const all = d.flatMap((w) => w.changes.map((c) => c.text));
    expect(all).toContain('API permissions: remove Microsoft Graph › User.Read');
    expect(all).toContain('Authentication › Single-page application: add https://ice1.example.com/sso, https://ice2.example.com/sso');
    expect(d[0]!.target).toBe(`App registration ${JSON.stringify(app.displayName)} (client id ${app.appId})`);
    const perms = d[0]!.changes.find((c) => c.blade === 'API permissions' && c.action === 'add');
    expect(perms?.items).toEqual([`${app.displayName} (this app) › UserProfile.ReadWrite`]);
  });

  it('a half-wrong registration: only what differs, an extra SPA URI kept, a leftover Graph grant revoked by name', () => {
    const app = fixture<GraphApplication>('compliant-application.json');
    app.web = { ...app.web, implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } };
    app.spa = { redirectUris: ['https://test.icnow.app/sso', 'https://old.example.com/sso'] };
    const grant: GraphOAuth2PermissionGrant = { id: 'g-graph', clientId: COMPLIANT.spId, consentType: 'AllPrincipals', resourceId: GRAPH_SP, scope: 'User.Read openid' } as GraphOAuth2PermissionGrant;
    const d = texts({ application: app, servicePrincipal: sp(), grants: [grant], tenantId: COMPLIANT.tenantId, graphServicePrincipalId: GRAPH_SP }, settingsOrThrow({ hosts: COMPLIANT.hosts }));
    const all = d.flatMap((w) => w.changes.map((c) => c.text));
    expect(all).toContain('Authentication › Implicit grant and hybrid flows: add Access tokens');
    expect(all).toContain('Authentication › Single-page application: add https://dc2.icnow.app/sso');
    expect(all.some((t) => t.includes('remove') && t.includes('old.example.com'))).toBe(false);
    expect(all).toContain('API permissions › Admin consent: revoke Microsoft Graph › User.Read, Microsoft Graph › openid');
  });
});
