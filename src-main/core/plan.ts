// Plan: observed + settings -> the minimal ordered list of Graph writes, respecting Graph's rules:
// - appId exists only after the create, so api://{appId} and the own-scope permission come in a second write;
// - an enabled scope is disabled in one PATCH before a later PATCH changes it (CannotDeleteOrUpdateEnabledEntitlement);
// - collections are replaced whole by PATCH, so bodies carry the merged collections (desired.ts);
// - one consent grant per client/resource pair: an existing grant is updated, never duplicated.
// Pure data: the engine (issue 3) runs it and substitutes the placeholders.
import { audit } from './audit';
import {
  desiredAdminGrant,
  desiredApplication,
  desiredServicePrincipal,
  findScope,
  grantScopes,
  writableScope,
} from './desired';
import type { Observed, Plan, PlannedWrite, Settings, StepId } from './types';

export interface PlanOptions {
  /** GUID for the scope when it has to be created (the client chooses scope ids). */
  newScopeId: string;
  /** Alternate key for the idempotent create: PATCH /applications(uniqueName='...') with Prefer: create-if-missing. */
  uniqueName: string;
}

/** Which checklist steps each top-level application property serves. */
const PROPERTY_STEPS: Record<string, StepId[]> = {
  displayName: ['register.app'],
  signInAudience: ['register.audience'],
  publicClient: ['register.native-redirect'],
  spa: ['auth.spa-redirects'],
  web: ['auth.implicit-access-token'],
  identifierUris: ['api.identifier-uri'],
  api: ['api.scope', 'register.audience', 'api.identifier-uri'],
  requiredResourceAccess: ['permissions.no-graph', 'permissions.own-scope'],
  groupMembershipClaims: ['token.groups-claim'],
  optionalClaims: ['token.groups-sam-account-name', 'token.upn-claim', 'token.upn-external'],
};

/** OData string literal: single quotes doubled. */
export function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Deep equality for JSON values where null, undefined and a missing key count as the same. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!jsonEqual(ao[k], bo[k])) return false;
    return true;
  }
  return false;
}

/** Compares a desired complex property with the existing one, looking only at the keys desired sets. */
function differs(desired: unknown, existing: unknown): boolean {
  if (desired && typeof desired === 'object' && !Array.isArray(desired) && existing && typeof existing === 'object' && !Array.isArray(existing)) {
    const d = desired as Record<string, unknown>;
    const e = existing as Record<string, unknown>;
    return Object.keys(d).some((k) => differs(d[k], e[k]));
  }
  if (Array.isArray(desired) && desired.length === 0 && existing == null) return false;
  if (Array.isArray(desired) && Array.isArray(existing)) {
    return desired.length !== existing.length || desired.some((x, i) => differs(x, existing[i]));
  }
  return !jsonEqual(desired, existing);
}

function stepsFor(keys: string[], failing: Set<StepId>): StepId[] {
  const all = [...new Set(keys.flatMap((k) => PROPERTY_STEPS[k] ?? []))];
  const relevant = all.filter((s) => failing.has(s));
  return relevant.length ? relevant : all;
}

function appCreateBody(settings: Settings, scopeId: string): Record<string, unknown> {
  const body = desiredApplication(settings, { scopeId });
  delete body.identifierUris;
  delete body.requiredResourceAccess;
  return body as Record<string, unknown>;
}

/** The ordered Graph writes that bring the observed tenant to what the settings and the guide want. */
export function plan(observed: Observed, settings: Settings, opts: PlanOptions): Plan {
  const writes: PlannedWrite[] = [];
  const app = observed.application;
  const admins = settings.consent === 'admins';

  if (!app) {
    writes.push({
      key: 'create-app',
      method: 'PATCH',
      path: `/applications(uniqueName=${odataString(opts.uniqueName)})`,
      headers: { Prefer: 'create-if-missing' },
      body: appCreateBody(settings, opts.newScopeId),
      dependsOn: [],
      steps: [
        'register.app',
        'register.audience',
        'register.native-redirect',
        'auth.spa-redirects',
        'auth.implicit-access-token',
        'api.scope',
        'permissions.no-graph',
        'token.groups-claim',
        'token.groups-sam-account-name',
        'token.upn-claim',
        'token.upn-external',
      ],
      summary: `Create the app registration ${JSON.stringify(settings.displayName)} with everything that does not need its client id (idempotent: found again by its unique name ${JSON.stringify(opts.uniqueName)}).`,
    });
    writes.push({
      key: 'set-app-id-fields',
      method: 'PATCH',
      path: '/applications/{appObjectId}',
      body: {
        identifierUris: ['api://{appId}'],
        requiredResourceAccess: [{ resourceAppId: '{appId}', resourceAccess: [{ id: opts.newScopeId, type: 'Scope' }] }],
      },
      dependsOn: ['create-app'],
      steps: ['api.identifier-uri', 'permissions.own-scope', 'permissions.only-own'],
      summary: 'Set the Application ID URI api://{appId} and request the app\'s own scope: both need the client id Graph assigned.',
    });
    writes.push({
      key: 'create-service-principal',
      method: 'POST',
      path: '/servicePrincipals',
      body: { ...desiredServicePrincipal('{appId}') },
      dependsOn: ['create-app'],
      steps: ['tenant.service-principal'],
      summary: 'Create the service principal (enterprise application): the portal does this on Register, Graph does not.',
    });
    if (admins) {
      writes.push({
        key: 'admin-consent',
        method: 'POST',
        path: '/oauth2PermissionGrants',
        body: { ...desiredAdminGrant('{servicePrincipalId}', settings.scopeValue) },
        dependsOn: ['create-service-principal'],
        steps: ['consent.admin-grant'],
        summary: `Grant admin consent for the organisation to ${JSON.stringify(settings.scopeValue)} ("Admins only").`,
      });
    }
    return { writes };
  }

  // ---- an existing application: one PATCH with every changed property (after disabling a scope that changes)
  const failing = new Set(
    audit(observed, settings)
      .steps.filter((s) => s.status === 'fail' || s.status === 'warn')
      .map((s) => s.id),
  );
  const appPath = app.id ? `/applications/${app.id}` : '/applications/{appObjectId}';
  const desired = desiredApplication(settings, { appId: app.appId, scopeId: opts.newScopeId, existing: app });
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(desired)) {
    if (k === 'displayName') continue; // an existing registration keeps its name (it only labels the resource)
    if (differs(v, (app as Record<string, unknown>)[k])) patch[k] = v;
  }
  const deps: string[] = [];
  const oldScope = findScope(app, settings.scopeValue);
  if (oldScope && oldScope.isEnabled === true && patch.api) {
    const newScope = (desired.api?.oauth2PermissionScopes ?? []).find((s) => s.id === oldScope.id);
    if (newScope && differs(newScope, writableScope(oldScope))) {
      const scopes = (app.api?.oauth2PermissionScopes ?? []).map((s) => (s === oldScope ? { ...writableScope(s), isEnabled: false } : writableScope(s)));
      writes.push({
        key: 'disable-scope',
        method: 'PATCH',
        path: appPath,
        body: { api: { ...(app.api ?? {}), oauth2PermissionScopes: scopes } },
        dependsOn: [],
        steps: ['api.scope'],
        summary: `Disable the scope ${JSON.stringify(oldScope.value)} first: Graph refuses to change an enabled scope.`,
      });
      deps.push('disable-scope');
    }
  }
  const keys = Object.keys(patch);
  if (keys.length) {
    writes.push({
      key: 'update-app',
      method: 'PATCH',
      path: appPath,
      body: patch,
      dependsOn: deps,
      steps: stepsFor(keys, failing),
      summary: `Update the app registration: ${keys.join(', ')}.`,
    });
  }

  // ---- service principal
  const sp = observed.servicePrincipal;
  let spRef: string | undefined = sp ? sp.id : undefined;
  if (sp === null || (sp && app.appId && sp.appId !== app.appId)) {
    writes.push({
      key: 'create-service-principal',
      method: 'POST',
      path: '/servicePrincipals',
      body: { ...desiredServicePrincipal(app.appId ?? '{appId}') },
      dependsOn: [],
      steps: ['tenant.service-principal'],
      summary: 'Create the service principal (enterprise application) for the app.',
    });
    spRef = '{servicePrincipalId}';
  }

  // ---- consent grants
  const grants = spRef === '{servicePrincipalId}' ? [] : observed.grants;
  if (admins && spRef && grants !== undefined) {
    const self = (grants ?? []).filter((g) => g.consentType === 'AllPrincipals' && g.clientId === spRef && g.resourceId === spRef);
    const covering = self.find((g) => grantScopes(g).includes(settings.scopeValue));
    if (!covering) {
      const existing = self[0];
      const scopeDeps = writes.some((w) => w.key === 'update-app' && (w.body as Record<string, unknown>).api) ? ['update-app'] : [];
      if (existing) {
        writes.push({
          key: 'admin-consent',
          method: 'PATCH',
          path: `/oauth2PermissionGrants/${existing.id}`,
          body: { scope: [...grantScopes(existing), settings.scopeValue].join(' ') },
          dependsOn: scopeDeps,
          steps: ['consent.admin-grant'],
          summary: `Add ${JSON.stringify(settings.scopeValue)} to the existing organisation-wide consent grant ${existing.id}.`,
        });
      } else {
        writes.push({
          key: 'admin-consent',
          method: 'POST',
          path: '/oauth2PermissionGrants',
          body: { ...desiredAdminGrant(spRef, settings.scopeValue) },
          dependsOn: [...(spRef === '{servicePrincipalId}' ? ['create-service-principal'] : []), ...scopeDeps],
          steps: ['consent.admin-grant'],
          summary: `Grant admin consent for the organisation to ${JSON.stringify(settings.scopeValue)} ("Admins only").`,
        });
      }
    }
  }
  const gsp = observed.graphServicePrincipalId;
  if (gsp && observed.grants) {
    for (const g of observed.grants) {
      if (g.resourceId !== gsp) continue;
      writes.push({
        key: `revoke-graph-grant-${g.id}`,
        method: 'DELETE',
        path: `/oauth2PermissionGrants/${g.id}`,
        dependsOn: [],
        steps: ['consent.admin-grant'],
        summary: `Revoke the leftover Microsoft Graph grant ${g.id} (${(g.scope ?? '').trim()}): removing a permission in the portal leaves its grant behind.`,
      });
    }
  }
  return { writes };
}
