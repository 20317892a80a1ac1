import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src-main/core/audit';
import { plan } from '../../src-main/core/plan';
import { settingsOrThrow, type SettingsInput } from '../../src-main/core/settings';
import type {
  GraphApplication,
  GraphOAuth2PermissionGrant,
  GraphPermissionScope,
  GraphServicePrincipal,
  Observed,
  Plan,
  Settings,
} from '../../src-main/core/types';
import { COMPLIANT, fixture } from '../support/fixtures';

const GRAPH_SP = '1804a6f8-e623-4520-8f40-ba1b0c11c42d';
const NEW_SCOPE = '11111111-2222-4333-8444-555555555555';
const OPTS = { newScopeId: NEW_SCOPE, uniqueName: 'ice-sso-test.icnow.app' };

function settings(extra: Partial<SettingsInput> = {}): Settings {
  return settingsOrThrow({ hosts: COMPLIANT.hosts, ...extra });
}
const app = () => fixture<GraphApplication>('compliant-application.json');
const sp = () => fixture<GraphServicePrincipal>('compliant-service-principal.json');
const adminGrants = () => fixture<{ value: GraphOAuth2PermissionGrant[] }>('compliant-grants-admins.json').value;

function observed(a: GraphApplication | null = app(), more: Partial<Observed> = {}): Observed {
  return { application: a, servicePrincipal: sp(), grants: [], tenantId: COMPLIANT.tenantId, graphServicePrincipalId: GRAPH_SP, ...more };
}
function mutate(f: (a: GraphApplication) => void, more: Partial<Observed> = {}): Observed {
  const a = app();
  f(a);
  return observed(a, more);
}

// ---- a small model of Graph's write semantics, to run plans against (top-level PATCH replaces the property)
function subst(v: unknown, ids: Record<string, string>): unknown {
  if (typeof v === 'string') return v.replace(/\{(appId|appObjectId|servicePrincipalId)\}/g, (m) => ids[m] ?? m);
  if (Array.isArray(v)) return v.map((x) => subst(x, ids));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x, ids)]));
  return v;
}
function checkScopeRule(before: GraphPermissionScope[], after: GraphPermissionScope[]) {
  for (const old of before) {
    if (old.isEnabled !== true) continue;
    const now = after.find((s) => s.id === old.id);
    if (!now) throw new Error(`CannotDeleteOrUpdateEnabledEntitlement: removed enabled scope ${old.value}`);
    const { origin: _o, ...o } = old;
    const changed = Object.entries(now).some(([k, v]) => k !== 'isEnabled' && JSON.stringify(v) !== JSON.stringify((o as Record<string, unknown>)[k]));
    if (changed && now.isEnabled !== false) throw new Error(`CannotDeleteOrUpdateEnabledEntitlement: changed enabled scope ${old.value}`);
    if (changed) throw new Error(`scope ${old.value} disabled and changed in the same PATCH`);
  }
}
function run(o: Observed, p: Plan): Observed {
  const next: Observed = structuredClone(o);
  const ids: Record<string, string> = {};
  if (next.application) {
    ids['{appId}'] = next.application.appId ?? '';
    ids['{appObjectId}'] = next.application.id ?? '';
  }
  if (next.servicePrincipal) ids['{servicePrincipalId}'] = next.servicePrincipal.id;
  const done = new Set<string>();
  for (const w0 of p.writes) {
    for (const d of w0.dependsOn) if (!done.has(d)) throw new Error(`${w0.key} runs before ${d}`);
    const w = { ...w0, path: subst(w0.path, ids) as string, body: subst(w0.body, ids) as Record<string, unknown> | undefined };
    if (w.method === 'PATCH' && w.path.startsWith('/applications(uniqueName=')) {
      expect(w.headers?.Prefer).toBe('create-if-missing');
      next.application = { id: 'new-object-id', appId: 'new-app-id', identifierUris: [], requiredResourceAccess: [], ...(w.body as GraphApplication) };
      ids['{appId}'] = 'new-app-id';
      ids['{appObjectId}'] = 'new-object-id';
    } else if (w.method === 'PATCH' && w.path.startsWith('/applications/')) {
      const a = next.application!;
      expect(w.path).toBe(`/applications/${a.id}`);
      const body = w.body as GraphApplication;
      if (body.api) checkScopeRule(a.api?.oauth2PermissionScopes ?? [], body.api.oauth2PermissionScopes ?? []);
      Object.assign(a, body);
    } else if (w.method === 'POST' && w.path === '/servicePrincipals') {
      if (next.servicePrincipal) throw new Error('a second service principal');
      next.servicePrincipal = { id: 'new-sp-id', appId: (w.body as { appId: string }).appId };
      ids['{servicePrincipalId}'] = 'new-sp-id';
    } else if (w.method === 'POST' && w.path === '/oauth2PermissionGrants') {
      const g = w.body as Omit<GraphOAuth2PermissionGrant, 'id'>;
      if ((next.grants ?? []).some((x) => x.clientId === g.clientId && x.resourceId === g.resourceId && x.consentType === g.consentType)) throw new Error('a second grant');
      next.grants = [...(next.grants ?? []), { id: `grant-${next.grants?.length ?? 0}`, ...g }];
    } else if (w.method === 'PATCH' && w.path.startsWith('/oauth2PermissionGrants/')) {
      const id = w.path.split('/')[2];
      next.grants = (next.grants ?? []).map((g) => (g.id === id ? { ...g, ...(w.body as object) } : g));
    } else if (w.method === 'DELETE' && w.path.startsWith('/oauth2PermissionGrants/')) {
      const id = w.path.split('/')[2];
      next.grants = (next.grants ?? []).filter((g) => g.id !== id);
    } else throw new Error(`unexpected write ${w.method} ${w.path}`);
    done.add(w0.key);
  }
  return next;
}
function failing(o: Observed, s: Settings) {
  return audit(o, s).steps.filter((x) => x.status === 'fail').map((x) => x.id);
}
/** Runs the plan, then checks: nothing fails, and a second plan is empty (idempotent). */
function converges(o: Observed, s: Settings) {
  const p = plan(o, s, OPTS);
  const after = run(o, p);
  expect(failing(after, s)).toEqual([]);
  expect(plan(after, s, OPTS).writes).toEqual([]);
  return p;
}

describe('plan', () => {
  it('plans nothing for a compliant registration (users and admins)', () => {
    expect(plan(observed(), settings(), OPTS).writes).toEqual([]);
    const a = app();
    a.api!.oauth2PermissionScopes![0]!.type = 'Admin';
    expect(plan(observed(a, { grants: adminGrants() }), settings({ consent: 'admins' }), OPTS).writes).toEqual([]);
    // not read: nothing to decide about, nothing planned
    expect(plan({ application: app() }, settings(), OPTS).writes).toEqual([]);
  });

  it('from nothing: idempotent create with everything not needing the appId, then the appId fields and the SP in parallel', () => {
    const p = plan({ application: null, servicePrincipal: null, grants: [] }, settings(), OPTS);
    expect(p.writes.map((w) => [w.key, w.method, w.path, w.dependsOn])).toEqual([
      ['create-app', 'PATCH', "/applications(uniqueName='ice-sso-test.icnow.app')", []],
      ['set-app-id-fields', 'PATCH', '/applications/{appObjectId}', ['create-app']],
      ['create-service-principal', 'POST', '/servicePrincipals', ['create-app']],
    ]);
    const create = p.writes[0]!;
    expect(create.headers).toEqual({ Prefer: 'create-if-missing' });
    const body = create.body as GraphApplication;
    expect(body.identifierUris).toBeUndefined();
    expect(body.requiredResourceAccess).toBeUndefined();
    expect(body.api?.oauth2PermissionScopes?.[0]).toMatchObject({ id: NEW_SCOPE, value: 'UserProfile.ReadWrite', type: 'User', isEnabled: true });
    expect(body.api?.requestedAccessTokenVersion).toBeNull();
    expect(body.spa?.redirectUris).toEqual(['https://test.icnow.app/sso', 'https://dc2.icnow.app/sso']);
    expect(body.publicClient?.redirectUris).toEqual(['https://login.microsoftonline.com/common/oauth2/nativeclient']);
    expect(p.writes[1]!.body).toEqual({
      identifierUris: ['api://{appId}'],
      requiredResourceAccess: [{ resourceAppId: '{appId}', resourceAccess: [{ id: NEW_SCOPE, type: 'Scope' }] }],
    });
    expect(p.writes[2]!.body).toEqual({ appId: '{appId}' });
    converges({ application: null, servicePrincipal: null, grants: [] }, settings());
  });

  it('from nothing with "Admins only": the consent grant after the service principal', () => {
    const s = settings({ consent: 'admins' });
    const p = converges({ application: null, servicePrincipal: null, grants: [] }, s);
    const consent = p.writes.find((w) => w.key === 'admin-consent')!;
    expect(consent).toMatchObject({
      method: 'POST',
      path: '/oauth2PermissionGrants',
      dependsOn: ['create-service-principal'],
      body: { clientId: '{servicePrincipalId}', consentType: 'AllPrincipals', resourceId: '{servicePrincipalId}', scope: 'UserProfile.ReadWrite' },
    });
  });

  it('personal-account audiences get v2 access tokens', () => {
    const p = plan({ application: null, servicePrincipal: null }, settings({ signInAudience: 'AzureADandPersonalMicrosoftAccount' }), OPTS);
    expect((p.writes[0]!.body as GraphApplication).api?.requestedAccessTokenVersion).toBe(2);
  });

  const deviations: Array<[string, (a: GraphApplication) => void, string[]]> = [
    ['audience', (a) => (a.signInAudience = 'AzureADMultipleOrgs'), ['signInAudience']],
    ['native redirect', (a) => (a.publicClient = { redirectUris: [] }), ['publicClient']],
    ['a missing SPA host', (a) => (a.spa = { redirectUris: ['https://test.icnow.app/sso'] }), ['spa']],
    ['implicit access tokens', (a) => (a.web!.implicitGrantSettings!.enableAccessTokenIssuance = false), ['web']],
    ['identifier URI', (a) => (a.identifierUris = []), ['identifierUris']],
    ['User.Read left on Graph', (a) => a.requiredResourceAccess!.push({ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] }), ['requiredResourceAccess']],
    ['own scope permission', (a) => (a.requiredResourceAccess = []), ['requiredResourceAccess']],
    ['groups claim', (a) => (a.groupMembershipClaims = 'None'), ['groupMembershipClaims']],
    ['sAMAccountName', (a) => (a.optionalClaims!.accessToken!.find((c) => c.name === 'groups')!.additionalProperties = []), ['optionalClaims']],
    ['upn claim', (a) => (a.optionalClaims!.accessToken = a.optionalClaims!.accessToken!.filter((c) => c.name !== 'upn')), ['optionalClaims']],
    ['upn external', (a) => (a.optionalClaims!.accessToken!.find((c) => c.name === 'upn')!.additionalProperties = []), ['optionalClaims']],
    ['a disabled scope', (a) => (a.api!.oauth2PermissionScopes![0]!.isEnabled = false), ['api']],
    ['a missing scope', (a) => (a.api!.oauth2PermissionScopes = []), ['api', 'requiredResourceAccess']],
    ['v2 access tokens', (a) => (a.api!.requestedAccessTokenVersion = 2), ['api']],
  ];
  for (const [name, f, keys] of deviations) {
    it(`one deviation, one fix: ${name}`, () => {
      const o = mutate(f);
      const p = converges(o, settings());
      expect(p.writes).toHaveLength(1);
      const w = p.writes[0]!;
      expect([w.key, w.method, w.path]).toEqual(['update-app', 'PATCH', `/applications/${COMPLIANT.objectId}`]);
      expect(Object.keys(w.body ?? {}).sort()).toEqual([...keys].sort());
    });
  }

  it('keeps what the user has: other SPA URIs, other scopes, other claims, other APIs; drops only Graph', () => {
    const o = mutate((a) => {
      a.spa!.redirectUris = ['https://legacy.example/app'];
      a.api!.oauth2PermissionScopes!.push({ id: 'aaaaaaaa-0000-4000-8000-000000000001', value: 'Other.Scope', type: 'User', isEnabled: true, adminConsentDisplayName: 'o', adminConsentDescription: 'o', userConsentDisplayName: 'o', userConsentDescription: 'o' });
      a.api!.oauth2PermissionScopes![0]!.isEnabled = false;
      a.optionalClaims!.accessToken = [{ name: 'email', source: null, essential: false, additionalProperties: [] }];
      a.requiredResourceAccess = [
        { resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] },
        { resourceAppId: '00000002-0000-0ff1-ce00-000000000000', resourceAccess: [{ id: 'x', type: 'Scope' }] },
      ];
    });
    const p = converges(o, settings());
    const body = p.writes[0]!.body as GraphApplication;
    expect(body.spa?.redirectUris).toEqual(['https://legacy.example/app', 'https://test.icnow.app/sso', 'https://dc2.icnow.app/sso']);
    expect(body.api?.oauth2PermissionScopes?.map((s) => s.value)).toEqual(['UserProfile.ReadWrite', 'Other.Scope']);
    expect(body.api?.oauth2PermissionScopes?.[0]?.id).toBe(COMPLIANT.scopeId); // the existing scope keeps its id
    expect(body.optionalClaims?.accessToken?.map((c) => c.name)).toEqual(['email', 'groups', 'upn']);
    expect(body.requiredResourceAccess?.map((r) => r.resourceAppId)).toEqual(['00000002-0000-0ff1-ce00-000000000000', COMPLIANT.appId]);
  });

  it('a changed scope (enabled) is disabled first, then changed', () => {
    const s = settings({ consent: 'admins' });
    const p = converges(observed(app(), { grants: adminGrants() }), s);
    expect(p.writes.map((w) => w.key)).toEqual(['disable-scope', 'update-app']);
    const [disable, change] = p.writes;
    const scopes = (disable!.body as GraphApplication).api!.oauth2PermissionScopes!;
    expect(scopes[0]).toMatchObject({ id: COMPLIANT.scopeId, isEnabled: false, type: 'User' });
    expect(change!.dependsOn).toEqual(['disable-scope']);
    expect((change!.body as GraphApplication).api!.oauth2PermissionScopes![0]).toMatchObject({ id: COMPLIANT.scopeId, isEnabled: true, type: 'Admin' });
    // the Graph model refuses the change without the disable step
    expect(() => run(observed(app(), { grants: adminGrants() }), { writes: [p.writes[1]!].map((w) => ({ ...w, dependsOn: [] })) })).toThrow(/CannotDeleteOrUpdateEnabledEntitlement/);
  });

  it('an empty consent text on an enabled scope also goes disable-then-change; a disabled scope changes in one PATCH', () => {
    const p = converges(mutate((a) => (a.api!.oauth2PermissionScopes![0]!.userConsentDescription = '')), settings());
    expect(p.writes.map((w) => w.key)).toEqual(['disable-scope', 'update-app']);
    const q = converges(mutate((a) => {
      a.api!.oauth2PermissionScopes![0]!.isEnabled = false;
      a.api!.oauth2PermissionScopes![0]!.type = 'Admin';
    }), settings());
    expect(q.writes.map((w) => w.key)).toEqual(['update-app']);
  });

  it('missing service principal: created; with "Admins only" the grant follows it', () => {
    const p = converges(observed(app(), { servicePrincipal: null }), settings());
    expect(p.writes.map((w) => [w.key, w.method, w.path])).toEqual([['create-service-principal', 'POST', '/servicePrincipals']]);
    expect(p.writes[0]!.body).toEqual({ appId: COMPLIANT.appId });
    const a = app();
    a.api!.oauth2PermissionScopes![0]!.type = 'Admin';
    const q = converges(observed(a, { servicePrincipal: null, grants: undefined }), settings({ consent: 'admins' }));
    expect(q.writes.map((w) => [w.key, w.dependsOn])).toEqual([
      ['create-service-principal', []],
      ['admin-consent', ['create-service-principal']],
    ]);
  });

  it('admin consent: a missing grant is created; a grant without the scope is updated, never duplicated', () => {
    const a = app();
    a.api!.oauth2PermissionScopes![0]!.type = 'Admin';
    const s = settings({ consent: 'admins' });
    const none = converges(observed(a, { grants: [] }), s);
    expect(none.writes.map((w) => [w.key, w.method, w.path])).toEqual([['admin-consent', 'POST', '/oauth2PermissionGrants']]);
    expect(none.writes[0]!.body).toEqual({ clientId: COMPLIANT.spId, consentType: 'AllPrincipals', resourceId: COMPLIANT.spId, scope: 'UserProfile.ReadWrite' });
    const partial = [{ ...adminGrants()[0]!, scope: 'Other.Scope' }];
    const upd = converges(observed(a, { grants: partial }), s);
    expect(upd.writes.map((w) => [w.method, w.path, w.body])).toEqual([['PATCH', `/oauth2PermissionGrants/${partial[0]!.id}`, { scope: 'Other.Scope UserProfile.ReadWrite' }]]);
  });

  it('leftover Microsoft Graph grants are revoked (only when Graph\'s service principal id is known)', () => {
    const leftover: GraphOAuth2PermissionGrant = { id: 'g1', clientId: COMPLIANT.spId, consentType: 'AllPrincipals', principalId: null, resourceId: GRAPH_SP, scope: 'User.Read' };
    const p = plan(observed(app(), { grants: [leftover] }), settings(), OPTS);
    expect(p.writes.map((w) => [w.method, w.path])).toEqual([['DELETE', '/oauth2PermissionGrants/g1']]);
    expect(plan(observed(app(), { grants: [leftover], graphServicePrincipalId: undefined }), settings(), OPTS).writes).toEqual([]);
  });

  it('repairs the real Graph documentation examples and the portal default until nothing fails', () => {
    for (const name of ['docs-application-get.json', 'docs-application-upsert-created.json', 'portal-default-registration.json']) {
      const a = fixture<GraphApplication>(name);
      const o: Observed = { application: a, servicePrincipal: null, grants: [], tenantId: COMPLIANT.tenantId };
      const s = settings({ consent: 'admins' });
      const p = converges(o, s);
      const update = p.writes.find((w) => w.key === 'update-app')!;
      expect(update.path).toBe(`/applications/${a.id}`);
      if (name.startsWith('docs-application')) {
        // personal-account audience -> AzureADMyOrg, and v2 tokens back to the portal's null (aud = Application ID URI)
        expect((update.body as GraphApplication).signInAudience).toBe('AzureADMyOrg');
        expect((update.body as GraphApplication).api?.requestedAccessTokenVersion).toBeNull();
      }
    }
  });

  it('quotes the unique name as an OData string', () => {
    const p = plan({ application: null, servicePrincipal: null }, settings(), { ...OPTS, uniqueName: "o'brien" });
    expect(p.writes[0]!.path).toBe("/applications(uniqueName='o''brien')");
  });
});

describe('plan, property-based', () => {
  it('any mix of deviations and settings: the plan runs under Graph\'s rules, nothing fails after, and a re-plan is empty', () => {
    const devs = [
      (a: GraphApplication) => (a.signInAudience = 'AzureADMultipleOrgs'),
      (a: GraphApplication) => (a.publicClient = null),
      (a: GraphApplication) => (a.spa = { redirectUris: ['https://old.example/sso'] }),
      (a: GraphApplication) => (a.web = null),
      (a: GraphApplication) => (a.identifierUris = []),
      (a: GraphApplication) => a.requiredResourceAccess!.push({ resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }] }),
      (a: GraphApplication) => (a.requiredResourceAccess = []),
      (a: GraphApplication) => (a.groupMembershipClaims = 'DirectoryRole'),
      (a: GraphApplication) => (a.optionalClaims = null),
      (a: GraphApplication) => (a.api!.oauth2PermissionScopes![0]!.isEnabled = false),
      (a: GraphApplication) => (a.api!.oauth2PermissionScopes![0]!.type = 'Admin'),
      (a: GraphApplication) => (a.api!.oauth2PermissionScopes![0]!.adminConsentDescription = ''),
      (a: GraphApplication) => (a.api = null),
    ];
    fc.assert(
      fc.property(
        fc.subarray(devs.map((_, i) => i)),
        fc.constantFrom<'users' | 'admins'>('users', 'admins'),
        fc.subarray(['test.icnow.app', 'dc2.icnow.app', 'alias.icnow.app'], { minLength: 1 }),
        fc.constantFrom('SecurityGroup', 'DirectoryRole', 'All', 'ApplicationGroup,SecurityGroup'),
        fc.constantFrom('UserProfile.ReadWrite', 'Ice.Access'),
        fc.constantFrom<'sp' | 'no-sp'>('sp', 'no-sp'),
        fc.boolean(),
        (chosen, consent, hosts, groupTypes, scopeValue, spState, leftover) => {
          const a = app();
          for (const i of chosen) devs[i]!(a);
          const grants: GraphOAuth2PermissionGrant[] = leftover && spState === 'sp' ? [{ id: 'g1', clientId: COMPLIANT.spId, consentType: 'AllPrincipals', principalId: null, resourceId: GRAPH_SP, scope: 'User.Read' }] : [];
          const o = observed(a, { servicePrincipal: spState === 'sp' ? sp() : null, grants });
          const s = settingsOrThrow({ hosts, consent, groupTypes, scopeValue });
          const p = plan(o, s, OPTS);
          const keys = p.writes.map((w) => w.key);
          expect(new Set(keys).size).toBe(keys.length);
          expect(keys.filter((k) => k === 'update-app').length).toBeLessThanOrEqual(1);
          const after = run(o, p);
          expect(failing(after, s)).toEqual([]);
          expect(plan(after, s, OPTS).writes).toEqual([]);
          if (leftover && spState === 'sp') expect(after.grants?.some((g) => g.resourceId === GRAPH_SP)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
