import { describe, expect, it } from 'vitest';
import { audit, auditExitCode } from '../../src-main/core/audit';
import { CLOUDS } from '../../src-main/core/clouds';
import { settingsOrThrow, type SettingsInput } from '../../src-main/core/settings';
import {
  STEP_IDS,
  type GraphApplication,
  type GraphOAuth2PermissionGrant,
  type GraphServicePrincipal,
  type Observed,
  type StepId,
  type StepResult,
} from '../../src-main/core/types';
import { COMPLIANT, fixture } from '../support/fixtures';

const GRAPH_SP = '1804a6f8-e623-4520-8f40-ba1b0c11c42d';

function settings(extra: Partial<SettingsInput> = {}) {
  return settingsOrThrow({ hosts: COMPLIANT.hosts, ...extra });
}
function app(): GraphApplication {
  return fixture<GraphApplication>('compliant-application.json');
}
function sp(): GraphServicePrincipal {
  return fixture<GraphServicePrincipal>('compliant-service-principal.json');
}
function adminGrants(): GraphOAuth2PermissionGrant[] {
  return fixture<{ value: GraphOAuth2PermissionGrant[] }>('compliant-grants-admins.json').value;
}
function observed(a: GraphApplication | null = app(), more: Partial<Observed> = {}): Observed {
  return { application: a, servicePrincipal: sp(), grants: [], tenantId: COMPLIANT.tenantId, graphServicePrincipalId: GRAPH_SP, ...more };
}
function step(result: { steps: StepResult[] }, id: StepId): StepResult {
  const s = result.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
}
function statusOf(o: Observed, id: StepId, s = settings()) {
  return step(audit(o, s), id);
}
function mutate(f: (a: GraphApplication) => void): Observed {
  const a = app();
  f(a);
  return observed(a);
}

describe('audit on the compliant registration', () => {
  it('returns one result per step id, in order, with titles; nothing fails', () => {
    const r = audit(observed(), settings());
    expect(r.steps.map((s) => s.id)).toEqual([...STEP_IDS]);
    for (const s of r.steps) {
      expect(s.title.length).toBeGreaterThan(3);
      expect(s.found.length).toBeGreaterThan(3);
      expect(s.expected.length).toBeGreaterThan(3);
    }
    const notPass = r.steps.filter((s) => s.status !== 'pass').map((s) => `${s.id}:${s.status}`);
    expect(notPass).toEqual(['auth.public-client-flows:info', 'consent.admin-grant:info', 'proof.token:unknown', 'server.sso-meta:unknown']);
    expect(auditExitCode(r)).toBe(0);
  });

  it('states the eight values', () => {
    const r = audit(observed(), settings());
    expect(r.values).toEqual({
      audience: `api://${COMPLIANT.appId}`,
      authorizationUrl: `https://login.microsoftonline.com/${COMPLIANT.tenantId}/oauth2/v2.0/authorize`,
      tokenUrl: `https://login.microsoftonline.com/${COMPLIANT.tenantId}/oauth2/v2.0/token`,
      redirectUrl: 'https://login.microsoftonline.com/common/oauth2/nativeclient',
      tenantId: COMPLIANT.tenantId,
      clientId: COMPLIANT.appId,
      openIdConfUrl: `https://login.microsoftonline.com/${COMPLIANT.tenantId}/v2.0/.well-known/openid-configuration`,
      scope: `api://${COMPLIANT.appId}/UserProfile.ReadWrite`,
    });
  });

  it('passes consent.admin-grant with "Admins only" when the self grant covers the scope', () => {
    const s = settings({ consent: 'admins' });
    const a = app();
    (a.api?.oauth2PermissionScopes ?? [])[0]!.type = 'Admin';
    const r = audit(observed(a, { grants: adminGrants() }), s);
    expect(step(r, 'consent.admin-grant').status).toBe('pass');
    expect(step(r, 'api.scope').status).toBe('pass');
    expect(auditExitCode(r)).toBe(0);
  });
});

describe('each step fails (or warns) on its own deviation', () => {
  it('register.app: missing -> fail everywhere the app is needed; any name passes unless the site chose one', () => {
    const r = audit(observed(null, { servicePrincipal: null }), settings());
    expect(step(r, 'register.app')).toMatchObject({ status: 'fail', found: 'No app registration was found.' });
    for (const id of STEP_IDS.filter((i) => !['auth.public-client-flows', 'consent.admin-grant', 'proof.token', 'server.sso-meta'].includes(i))) {
      expect(step(r, id).status, id).toBe('fail');
    }
    // The guide: "e.g., ICE": the name is the customer's choice.
    const anyName = audit(observed(Object.assign(app(), { displayName: 'ICE' })), settings());
    expect(step(anyName, 'register.app').status).toBe('pass');
    // A name chosen for this site that the registration does not carry: a warning only.
    const chosen = audit(observed(Object.assign(app(), { displayName: 'ICE' })), settings({ displayName: 'Instant Connect Enterprise' }));
    const w = step(chosen, 'register.app');
    expect(w.status).toBe('warn');
    expect(w.fix).toMatch(/only labels/);
  });

  it('register.app with candidates: names each as "<name>" (client id <appId>) with its traits and the --adopt fix; never "not found"', () => {
    const candidates = [
      { appId: '11111111-1111-1111-1111-111111111111', objectId: '22222222-2222-2222-2222-222222222222', displayName: 'ICE', createdDateTime: '2025-01-02T03:04:05Z', matches: ['spaRedirectUri'], details: ['SPA redirect URI https://dc1.example.com/sso'] },
    ];
    const r = audit(observed(null, { servicePrincipal: null, candidates }), settings());
    const s = step(r, 'register.app');
    expect(s.status).toBe('fail');
    expect(s.found).toContain('"ICE" (client id 11111111-1111-1111-1111-111111111111) has SPA redirect URI https://dc1.example.com/sso');
    expect(s.fix).toContain('--app-id 11111111-1111-1111-1111-111111111111 --adopt');
    for (const x of r.steps) expect(x.found, x.id).not.toBe('No app registration was found.');
  });

  it('register.audience', () => {
    const s = statusOf(mutate((a) => (a.signInAudience = 'AzureADMultipleOrgs')), 'register.audience');
    expect(s).toMatchObject({ status: 'fail', found: 'signInAudience is AzureADMultipleOrgs.' });
    expect(s.fix).toMatch(/AzureADMyOrg/);
    expect(statusOf(observed(), 'register.audience', settings({ signInAudience: 'AzureADMultipleOrgs' })).status).toBe('fail');
  });

  it('register.native-redirect, including the national-cloud host', () => {
    expect(statusOf(mutate((a) => (a.publicClient = { redirectUris: [] })), 'register.native-redirect').status).toBe('fail');
    const gov = statusOf(observed(), 'register.native-redirect', settings({ cloud: 'usgov' }));
    expect(gov.status).toBe('fail');
    expect(gov.fix).toMatch(/https:\/\/login\.microsoftonline\.us\/common\/oauth2\/nativeclient/);
    expect(gov.fix).toMatch(/another cloud's/);
    const a = app();
    a.publicClient = { redirectUris: ['https://login.microsoftonline.us/common/oauth2/nativeclient'] };
    expect(statusOf(observed(a), 'register.native-redirect', settings({ cloud: 'usgov' })).status).toBe('pass');
  });

  it('tenant.service-principal: pass, missing, someone else\'s, not read', () => {
    expect(statusOf(observed(), 'tenant.service-principal').status).toBe('pass');
    expect(statusOf(observed(app(), { servicePrincipal: null }), 'tenant.service-principal')).toMatchObject({ status: 'fail', fix: expect.stringContaining('POST /servicePrincipals') });
    expect(statusOf(observed(app(), { servicePrincipal: { ...sp(), appId: 'other' } }), 'tenant.service-principal').found).toMatch(/belongs to client id other/);
    const u = statusOf({ application: app() }, 'tenant.service-principal');
    expect(u.status).toBe('unknown');
    expect(u.found).toMatch(/service principal not read: pass --service-principal FILE/i);
  });

  it('auth.spa-redirects lists the missing hosts, and warns about others', () => {
    const f = statusOf(mutate((a) => (a.spa = { redirectUris: ['https://test.icnow.app/sso'] })), 'auth.spa-redirects', settings({ hosts: [...COMPLIANT.hosts, 'alias.icnow.app'] }));
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('https://dc2.icnow.app/sso, https://alias.icnow.app/sso');
    const w = statusOf(mutate((a) => a.spa?.redirectUris?.push('https://old.icnow.app/sso')), 'auth.spa-redirects');
    expect(w.status).toBe('warn');
    expect(w.fix).toContain('https://old.icnow.app/sso');
    const web = statusOf(mutate((a) => {
      a.spa = { redirectUris: [] };
      a.web = { ...a.web, redirectUris: ['https://test.icnow.app/sso'] };
    }), 'auth.spa-redirects');
    expect(web.fix).toMatch(/under the Web platform/);
  });

  it('auth.implicit-access-token', () => {
    expect(statusOf(mutate((a) => (a.web = { implicitGrantSettings: { enableAccessTokenIssuance: false } })), 'auth.implicit-access-token').status).toBe('fail');
    expect(statusOf(mutate((a) => (a.web = null)), 'auth.implicit-access-token').status).toBe('fail');
  });

  it('auth.public-client-flows is info whatever its value', () => {
    for (const v of [true, false, null]) {
      expect(statusOf(mutate((a) => (a.isFallbackPublicClient = v)), 'auth.public-client-flows').status).toBe('info');
    }
  });

  it('api.identifier-uri: empty fails, another form warns', () => {
    expect(statusOf(mutate((a) => (a.identifierUris = [])), 'api.identifier-uri').status).toBe('fail');
    const w = statusOf(mutate((a) => (a.identifierUris = ['api://contoso.com/ice'])), 'api.identifier-uri');
    expect(w.status).toBe('warn');
    expect(w.fix).toContain('api://contoso.com/ice');
  });

  it('api.identifier-uri warns when tokens would be v2 (aud = client id, not ICE\'s Audience) unless personal accounts need it', () => {
    const o = mutate((a) => (a.api!.requestedAccessTokenVersion = 2));
    const w = statusOf(o, 'api.identifier-uri');
    expect(w.status).toBe('warn');
    expect(w.fix).toMatch(/requestedAccessTokenVersion back to null/);
    const personal = mutate((a) => {
      a.api!.requestedAccessTokenVersion = 2;
      a.signInAudience = 'AzureADandPersonalMicrosoftAccount';
    });
    expect(statusOf(personal, 'api.identifier-uri', settings({ signInAudience: 'AzureADandPersonalMicrosoftAccount' })).status).toBe('pass');
  });

  it('api.scope: missing, disabled, wrong consent type, empty text', () => {
    const scope = (a: GraphApplication) => (a.api?.oauth2PermissionScopes ?? [])[0]!;
    expect(statusOf(mutate((a) => (a.api = { oauth2PermissionScopes: [] })), 'api.scope').status).toBe('fail');
    expect(statusOf(mutate((a) => (scope(a).isEnabled = false)), 'api.scope').found).toMatch(/disabled/);
    const t = statusOf(observed(), 'api.scope', settings({ consent: 'admins' }));
    expect(t.status).toBe('fail');
    expect(t.found).toMatch(/Admins and users \(type User\)/);
    expect(statusOf(mutate((a) => (scope(a).userConsentDescription = ' ')), 'api.scope').found).toMatch(/empty consent text: userConsentDescription/);
    const other = statusOf(observed(), 'api.scope', settings({ scopeValue: 'Ice.Access' }));
    expect(other.found).toMatch(/Scopes defined: UserProfile.ReadWrite; none is "Ice.Access"/);
  });

  it('permissions.no-graph names the Graph permissions', () => {
    const s = statusOf(mutate((a) => a.requiredResourceAccess?.push({ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] })), 'permissions.no-graph');
    expect(s.status).toBe('fail');
    expect(s.found).toContain('User.Read (e1fe6dd8-ba31-4d61-89e7-88639da4683d)');
  });

  it('permissions.own-scope', () => {
    expect(statusOf(mutate((a) => (a.requiredResourceAccess = [])), 'permissions.own-scope').status).toBe('fail');
    expect(statusOf(mutate((a) => (a.requiredResourceAccess = [{ resourceAppId: COMPLIANT.appId, resourceAccess: [{ id: 'other', type: 'Scope' }] }])), 'permissions.own-scope').status).toBe('fail');
    expect(statusOf(mutate((a) => (a.api = { oauth2PermissionScopes: [] })), 'permissions.own-scope').found).toMatch(/does not exist/);
  });

  it('permissions.only-own warns about other APIs (Graph is counted by no-graph only)', () => {
    const w = statusOf(mutate((a) => a.requiredResourceAccess?.push({ resourceAppId: '00000002-0000-0ff1-ce00-000000000000', resourceAccess: [{ id: 'x', type: 'Scope' }] })), 'permissions.only-own');
    expect(w.status).toBe('warn');
    expect(w.found).toContain('00000002-0000-0ff1-ce00-000000000000 (1 permission)');
    expect(statusOf(mutate((a) => a.requiredResourceAccess?.push({ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [] })), 'permissions.only-own').status).toBe('pass');
  });

  it('consent.admin-grant: admins without/with partial grant fail, leftovers warn, unread is unknown', () => {
    const s = settings({ consent: 'admins' });
    expect(statusOf(observed(app(), { grants: [] }), 'consent.admin-grant', s).status).toBe('fail');
    const partial = [{ ...adminGrants()[0]!, scope: 'Other.Scope' }];
    const p = statusOf(observed(app(), { grants: partial }), 'consent.admin-grant', s);
    expect(p.status).toBe('fail');
    expect(p.found).toMatch(/does not cover "UserProfile.ReadWrite"/);
    expect(statusOf({ application: app(), servicePrincipal: sp() }, 'consent.admin-grant', s)).toMatchObject({ status: 'unknown', found: expect.stringMatching(/Grants not read: pass --grants FILE/) });
    const leftover: GraphOAuth2PermissionGrant = { id: 'g1', clientId: COMPLIANT.spId, consentType: 'AllPrincipals', principalId: null, resourceId: GRAPH_SP, scope: 'User.Read' };
    const w = statusOf(observed(app(), { grants: [leftover] }), 'consent.admin-grant');
    expect(w.status).toBe('warn');
    expect(w.found).toContain('Microsoft Graph grant g1 (User.Read)');
    expect(statusOf(observed(app(), { grants: [...adminGrants(), leftover] }), 'consent.admin-grant', s).status).toBe('warn');
    expect(statusOf({ application: app() }, 'consent.admin-grant').status).toBe('info');
  });

  it('token.groups-claim: None/missing fail; coverage follows Graph semantics', () => {
    const g = (v: string | null, types?: string) => statusOf(mutate((a) => (a.groupMembershipClaims = v)), 'token.groups-claim', settings(types ? { groupTypes: types } : {})).status;
    expect(g(null)).toBe('fail');
    expect(g('None')).toBe('fail');
    expect(g('SecurityGroup')).toBe('pass');
    expect(g('All')).toBe('pass');
    expect(g('DirectoryRole')).toBe('fail');
    expect(g('SecurityGroup', 'DirectoryRole')).toBe('pass'); // SecurityGroup also emits directory roles
    expect(g('SecurityGroup, DirectoryRole', 'SecurityGroup,DirectoryRole')).toBe('pass');
    expect(g('SecurityGroup', 'ApplicationGroup')).toBe('fail');
    expect(g('ApplicationGroup, SecurityGroup', 'ApplicationGroup')).toBe('pass');
    expect(g('SecurityGroup', 'All')).toBe('fail');
    expect(g('All', 'All')).toBe('pass');
  });

  it('token.groups-sam-account-name', () => {
    expect(statusOf(mutate((a) => (a.optionalClaims!.accessToken = a.optionalClaims!.accessToken!.filter((c) => c.name !== 'groups'))), 'token.groups-sam-account-name').found).toMatch(/No groups entry for access tokens \(there is one for ID tokens only\)/);
    expect(statusOf(mutate((a) => (a.optionalClaims!.accessToken!.find((c) => c.name === 'groups')!.additionalProperties = [])), 'token.groups-sam-account-name').status).toBe('fail');
  });

  it('token.upn-claim and token.upn-external', () => {
    const noUpn = mutate((a) => (a.optionalClaims!.accessToken = a.optionalClaims!.accessToken!.filter((c) => c.name !== 'upn')));
    expect(statusOf(noUpn, 'token.upn-claim').status).toBe('fail');
    expect(statusOf(noUpn, 'token.upn-external').status).toBe('fail');
    const noExt = mutate((a) => (a.optionalClaims!.accessToken!.find((c) => c.name === 'upn')!.additionalProperties = []));
    expect(statusOf(noExt, 'token.upn-claim').status).toBe('pass');
    expect(statusOf(noExt, 'token.upn-external').status).toBe('fail');
    expect(statusOf(mutate((a) => (a.optionalClaims = null)), 'token.upn-claim').status).toBe('fail');
  });

  it('overview.values: unknown without a tenant id, fail when the app lacks values', () => {
    const u = statusOf(observed(app(), { tenantId: undefined }), 'overview.values');
    expect(u.status).toBe('unknown');
    expect(u.found).toMatch(/pass --tenant/);
    const f = statusOf(mutate((a) => (a.identifierUris = [])), 'overview.values');
    expect(f.status).toBe('fail');
    expect(f.found).toMatch(/missing: Audience, Scope/);
  });

  it('proof.token and server.sso-meta are unknown unless given', () => {
    const r = audit(observed(), settings());
    expect(step(r, 'proof.token').status).toBe('unknown');
    expect(step(r, 'server.sso-meta').found).toMatch(/Not run/);
    const given = audit(observed(), settings(), {
      proof: { id: 'proof.token', status: 'fail', title: 'x', found: 'nonce in header', expected: 'no nonce', fix: 'remove Graph permissions' },
      ssoMeta: { id: 'server.sso-meta', status: 'pass', title: 'x', found: 'same', expected: 'same', fix: '' },
    });
    expect(step(given, 'proof.token')).toMatchObject({ status: 'fail', found: 'nonce in header', title: 'A real access token is accepted' });
    expect(step(given, 'server.sso-meta').status).toBe('pass');
    expect(auditExitCode(given)).toBe(1);
  });
});

describe('audit on real Graph documentation examples', () => {
  it('application-get.md Example 1: a bare registration fails the ICE steps, for the right reasons', () => {
    const a = fixture<GraphApplication>('docs-application-get.json');
    const r = audit({ application: a }, settings());
    const st = Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
    expect(st).toEqual({
      'register.app': 'pass',
      'register.audience': 'fail',
      'register.native-redirect': 'fail',
      'tenant.service-principal': 'unknown',
      'auth.spa-redirects': 'fail',
      'auth.implicit-access-token': 'fail',
      'auth.public-client-flows': 'info',
      'api.identifier-uri': 'fail',
      'api.scope': 'fail',
      'permissions.no-graph': 'pass',
      'permissions.own-scope': 'fail',
      'permissions.only-own': 'pass',
      'consent.admin-grant': 'info',
      'token.groups-claim': 'fail',
      'token.groups-sam-account-name': 'fail',
      'token.upn-claim': 'fail',
      'token.upn-external': 'fail',
      'overview.values': 'fail',
      'proof.token': 'unknown',
      'server.sso-meta': 'unknown',
    });
    expect(step(r, 'register.audience').found).toBe('signInAudience is AzureADandPersonalMicrosoftAccount.');
    expect(r.values.clientId).toBe('631a96bc-a705-4eda-9f99-fdaf9f54f6a2');
  });

  it('application-get.md Example 2 (PostmanWeb, $select): four Graph permissions fail permissions.no-graph', () => {
    const a = fixture<GraphApplication>('docs-application-get-select.json');
    const s = step(audit({ application: a }, settings()), 'permissions.no-graph');
    expect(s.status).toBe('fail');
    expect(s.found).toContain('User.Read (e1fe6dd8-ba31-4d61-89e7-88639da4683d)');
    expect(s.found).toContain('ad902697-1014-4ef5-81ef-2b4301988e8c');
  });

  it('application-upsert.md 201 response: fails like a fresh Graph-made app', () => {
    const a = fixture<GraphApplication>('docs-application-upsert-created.json');
    const r = audit({ application: a, servicePrincipal: null }, settings());
    expect(step(r, 'tenant.service-principal').status).toBe('fail');
    expect(step(r, 'auth.implicit-access-token').status).toBe('fail');
  });

  it('serviceprincipal-get.md: a service principal for another app id is not this app\'s', () => {
    const s = step(audit({ application: app(), servicePrincipal: fixture<GraphServicePrincipal>('docs-serviceprincipal-get.json') }, settings()), 'tenant.service-principal');
    expect(s.status).toBe('fail');
    expect(s.found).toMatch(/belongs to client id appId-value/);
  });

  it('oauth2permissiongrant-list.md: grants of another client are leftovers to other APIs, Graph ones named when Graph\'s id is known', () => {
    const grants = fixture<{ value: GraphOAuth2PermissionGrant[] }>('docs-oauth2permissiongrant-list.json').value;
    const o: Observed = { application: app(), servicePrincipal: null, grants, graphServicePrincipalId: '943603e4-e787-4fe9-93d1-e30f749aae39' };
    const s = step(audit(o, settings()), 'consent.admin-grant');
    expect(s.status).toBe('warn');
    expect(s.found).toContain('Microsoft Graph grant AVs6JuUDjkCFV7q2gd8QTOQDNpSH5-lPk9HjD3Sarjk');
    expect(s.found).toContain('resource 1804a6f8-e623-4520-8f40-ba1b0c11c42d (User.Read Group.ReadWrite.All)');
  });

  it("the portal's default registration fails exactly the steps the guide's later steps fix", () => {
    const a = fixture<GraphApplication>('portal-default-registration.json');
    const r = audit({ application: a, servicePrincipal: { id: 'sp', appId: a.appId as string }, grants: [], tenantId: COMPLIANT.tenantId }, settings());
    const failing = r.steps.filter((s) => s.status === 'fail').map((s) => s.id);
    expect(failing).toEqual([
      'auth.spa-redirects',
      'auth.implicit-access-token',
      'api.identifier-uri',
      'api.scope',
      'permissions.no-graph',
      'permissions.own-scope',
      'token.groups-claim',
      'token.groups-sam-account-name',
      'token.upn-claim',
      'token.upn-external',
      'overview.values',
    ]);
    expect(step(r, 'register.native-redirect').status).toBe('pass');
    // Any display name passes (no name was chosen for the site).
    expect(step(r, 'register.app').status).toBe('pass');
  });

  it('uses the cloud\'s login host for the values', () => {
    const a = app();
    a.publicClient = { redirectUris: ['https://login.partner.microsoftonline.cn/common/oauth2/nativeclient'] };
    const r = audit(observed(a), settings({ cloud: 'china' }));
    expect(r.values.tokenUrl).toBe(`${CLOUDS.china.loginUrl}/${COMPLIANT.tenantId}/oauth2/v2.0/token`);
    expect(r.values.redirectUrl).toBe(`${CLOUDS.china.loginUrl}/common/oauth2/nativeclient`);
  });
});

describe('finer points', () => {
  it('redirect URI paths are case-sensitive, hosts are not', () => {
    const a = fixture<GraphApplication>('compliant-application.json');
    a.spa = { redirectUris: ['https://TEST.icnow.app/sso', 'https://dc2.icnow.app/SSO'] };
    const s = step(audit({ application: a }, settings()), 'auth.spa-redirects');
    expect(s.status).toBe('fail');
    expect(s.fix).toMatch(/^Add https:\/\/dc2\.icnow\.app\/sso under/);
  });

  it('"Admins only" with no service principal fails consent even without grants read', () => {
    const s = step(audit({ application: app(), servicePrincipal: null }, settings({ consent: 'admins' })), 'consent.admin-grant');
    expect(s.status).toBe('fail');
    expect(s.found).toMatch(/No service principal/);
  });

  it('a tenant domain is not the tenant id ICE needs', () => {
    const r = audit(observed(app(), { tenantId: 'contoso.onmicrosoft.com' }), settings());
    expect(r.values.tenantId).toBeNull();
    expect(r.values.tokenUrl).toBeNull();
    expect(step(r, 'overview.values')).toMatchObject({ status: 'unknown', found: expect.stringMatching(/contoso\.onmicrosoft\.com is a domain/) });
  });
});
