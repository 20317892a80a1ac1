// Desired state: Settings (+ appId once known, + the existing object to merge into) -> the Graph v1.0 bodies.
// Pure: no I/O, no randomness (the scope id is chosen by the caller).
//
// Graph PATCH replaces whole collections (redirect URIs, scopes, optional claims, required resource access),
// so when an existing application is given, everything the guide does not ask to change is kept: the user's
// other SPA URIs, other scopes, other optional claims, other resource access (Microsoft Graph excepted).
import { nativeClientRedirect } from './clouds';
import type {
  GraphApplication,
  GraphOAuth2PermissionGrant,
  GraphOptionalClaim,
  GraphPermissionScope,
  GraphRequiredResourceAccess,
  GraphServicePrincipal,
  GroupType,
  Settings,
} from './types';

/** Microsoft Graph's well-known application (client) id. */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Names of common Microsoft Graph delegated permissions, by id (for readable findings). */
export const GRAPH_PERMISSION_NAMES: Record<string, string> = {
  'e1fe6dd8-ba31-4d61-89e7-88639da4683d': 'User.Read',
  '37f7f235-527c-4136-accd-4a02d197296e': 'openid',
  '14dad69e-099b-42c9-810b-d002981feec1': 'profile',
  '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0': 'email',
  '7427e0e9-2fba-42fe-b0c0-848c9e6a8182': 'offline_access',
};

export const SAM_ACCOUNT_NAME = 'sam_account_name';
export const EXTERNAL_UPN = 'include_externally_authenticated_upn';

/** `api://<appId>`: the portal's default Application ID URI. */
export function defaultIdentifierUri(appId: string): string {
  return `api://${appId}`;
}

/** Audiences that include personal Microsoft accounts need v2 access tokens (Graph refuses null/1 there). */
export function audienceNeedsV2(signInAudience: string | null | undefined): boolean {
  return signInAudience === 'AzureADandPersonalMicrosoftAccount' || signInAudience === 'PersonalMicrosoftAccount';
}

// ---------------------------------------------------------------- groups claim

const GROUP_CLAIM_NAMES: Record<string, GroupType | 'None'> = {
  none: 'None',
  securitygroup: 'SecurityGroup',
  directoryrole: 'DirectoryRole',
  applicationgroup: 'ApplicationGroup',
  all: 'All',
};

/**
 * Graph stores groupMembershipClaims as one string: "None", "SecurityGroup", "All", or a comma-separated
 * combination such as "SecurityGroup, DirectoryRole". Returns the recognised types (None dropped) and the
 * parts it did not recognise.
 */
export function parseGroupMembershipClaims(value: string | null | undefined): { types: GroupType[]; unknown: string[] } {
  const types: GroupType[] = [];
  const unknown: string[] = [];
  for (const part of (value ?? '').split(',')) {
    const p = part.trim();
    if (!p) continue;
    const t = GROUP_CLAIM_NAMES[p.toLowerCase()];
    if (t === undefined) unknown.push(p);
    else if (t !== 'None' && !types.includes(t)) types.push(t);
  }
  return { types, unknown };
}

/**
 * Does a set of configured group types put the wanted type's groups in the token?
 * Per Graph's application resource docs: `SecurityGroup` covers security groups and directory roles;
 * `All` covers security groups, distribution groups and directory roles (and so every choice);
 * `ApplicationGroup` (only groups assigned to the app) is a filter only itself or `All` satisfies.
 */
export function groupTypeCovered(configured: readonly GroupType[], wanted: GroupType): boolean {
  if (configured.includes('All')) return true;
  switch (wanted) {
    case 'All':
      return false;
    case 'SecurityGroup':
      return configured.includes('SecurityGroup');
    case 'DirectoryRole':
      return configured.includes('DirectoryRole') || configured.includes('SecurityGroup');
    case 'ApplicationGroup':
      return configured.includes('ApplicationGroup');
  }
}

const GROUP_ORDER: GroupType[] = ['SecurityGroup', 'DirectoryRole', 'ApplicationGroup'];

/** The groupMembershipClaims string for a set of types ("All" alone, else "SecurityGroup, DirectoryRole" style). */
export function formatGroupMembershipClaims(types: readonly GroupType[]): string {
  if (types.includes('All')) return 'All';
  return GROUP_ORDER.filter((t) => types.includes(t)).join(', ');
}

/** The value to write: existing when it already covers the chosen types, else the union of both. */
export function desiredGroupMembershipClaims(settings: Settings, existing: string | null | undefined): string {
  const found = parseGroupMembershipClaims(existing);
  if (found.unknown.length === 0 && settings.groupTypes.every((t) => groupTypeCovered(found.types, t)) && existing) {
    return existing;
  }
  return formatGroupMembershipClaims([...found.types, ...settings.groupTypes]);
}

// ---------------------------------------------------------------- small helpers

/**
 * Do two redirect URIs name the same place? Scheme and host ignore case; the path does not (Entra matches
 * redirect URI paths case-sensitively). A default port counts as absent.
 */
export function sameRedirectUri(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.protocol === y.protocol && x.host === y.host && x.pathname === y.pathname && x.search === y.search;
  } catch {
    return false;
  }
}

function sameUri(a: string, b: string): boolean {
  return sameRedirectUri(a, b);
}

/** existing + the wanted items it lacks (see sameRedirectUri); the same array when nothing is missing. */
export function mergeUris(existing: readonly string[] | null | undefined, wanted: readonly string[]): string[] {
  const base = [...(existing ?? [])];
  const missing = wanted.filter((w) => !base.some((e) => sameUri(e, w)));
  return missing.length ? [...base, ...missing] : base;
}

/** Scope as Graph accepts it in a write: without the read-only `origin`. */
export function writableScope(s: GraphPermissionScope): GraphPermissionScope {
  const { origin: _origin, ...rest } = s;
  return rest;
}

/** Finds the scope with the chosen value (exact match first, then ignoring case). */
export function findScope(app: GraphApplication | null | undefined, value: string): GraphPermissionScope | undefined {
  const scopes = app?.api?.oauth2PermissionScopes ?? [];
  return scopes.find((s) => s.value === value) ?? scopes.find((s) => (s.value ?? '').toLowerCase() === value.toLowerCase());
}

function nonEmpty(s: string | null | undefined): s is string {
  return typeof s === 'string' && s.trim() !== '';
}

/** The scope the guide wants: the existing one (same id, its non-empty texts kept) or a new one with scopeId. */
export function desiredScope(settings: Settings, existing: GraphPermissionScope | undefined, scopeId: string): GraphPermissionScope {
  const t = settings.consentTexts;
  const type = settings.consent === 'admins' ? 'Admin' : 'User';
  if (!existing) {
    return {
      id: scopeId,
      value: settings.scopeValue,
      type,
      isEnabled: true,
      adminConsentDisplayName: t.adminConsentDisplayName,
      adminConsentDescription: t.adminConsentDescription,
      userConsentDisplayName: t.userConsentDisplayName,
      userConsentDescription: t.userConsentDescription,
    };
  }
  return {
    ...writableScope(existing),
    value: settings.scopeValue,
    type,
    isEnabled: true,
    adminConsentDisplayName: nonEmpty(existing.adminConsentDisplayName) ? existing.adminConsentDisplayName : t.adminConsentDisplayName,
    adminConsentDescription: nonEmpty(existing.adminConsentDescription) ? existing.adminConsentDescription : t.adminConsentDescription,
    userConsentDisplayName: nonEmpty(existing.userConsentDisplayName) ? existing.userConsentDisplayName : t.userConsentDisplayName,
    userConsentDescription: nonEmpty(existing.userConsentDescription) ? existing.userConsentDescription : t.userConsentDescription,
  };
}

function mergeClaim(list: GraphOptionalClaim[], name: string, property: string): GraphOptionalClaim[] {
  const i = list.findIndex((c) => c.name === name);
  if (i < 0) return [...list, { name, source: null, essential: false, additionalProperties: [property] }];
  const c = list[i] as GraphOptionalClaim;
  const props = c.additionalProperties ?? [];
  if (props.includes(property)) return list;
  const out = [...list];
  out[i] = { ...c, additionalProperties: [...props, property] };
  return out;
}

/** optionalClaims with accessToken groups(sam_account_name) and upn(include_externally_authenticated_upn) merged in. */
export function desiredOptionalClaims(existing: GraphApplication['optionalClaims']): NonNullable<GraphApplication['optionalClaims']> {
  const accessToken0 = existing?.accessToken ?? [];
  const accessToken = mergeClaim(mergeClaim(accessToken0, 'groups', SAM_ACCOUNT_NAME), 'upn', EXTERNAL_UPN);
  return {
    idToken: existing?.idToken ?? [],
    accessToken,
    saml2Token: existing?.saml2Token ?? [],
  };
}

/** requiredResourceAccess without Microsoft Graph and with the app's own scope (other resources kept). */
export function desiredRequiredResourceAccess(
  existing: readonly GraphRequiredResourceAccess[] | null | undefined,
  appId: string,
  scopeId: string,
): GraphRequiredResourceAccess[] {
  const out: GraphRequiredResourceAccess[] = [];
  let own = false;
  for (const r of existing ?? []) {
    if (r.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID) continue;
    if (r.resourceAppId.toLowerCase() === appId.toLowerCase()) {
      own = true;
      const has = r.resourceAccess.some((a) => a.id.toLowerCase() === scopeId.toLowerCase() && a.type === 'Scope');
      out.push(has ? r : { ...r, resourceAccess: [...r.resourceAccess, { id: scopeId, type: 'Scope' }] });
      continue;
    }
    out.push(r);
  }
  if (!own) out.push({ resourceAppId: appId, resourceAccess: [{ id: scopeId, type: 'Scope' }] });
  return out;
}

// ---------------------------------------------------------------- the bodies

export interface DesiredIds {
  /** The client id, once Graph assigned one. Without it the appId-dependent fields are left out. */
  appId?: string;
  /** The id for a new scope (a GUID the client chooses); an existing scope with the chosen value keeps its id. */
  scopeId: string;
  /** The application as it is now: its collections are merged, not replaced. */
  existing?: GraphApplication | null;
}

/**
 * The application body the guide wants (Graph v1.0). Without appId, `identifierUris` and the own-scope
 * `requiredResourceAccess` are omitted (they need the id Graph assigns on create).
 */
export function desiredApplication(settings: Settings, ids: DesiredIds): GraphApplication {
  const existing = ids.existing ?? undefined;
  const appId = ids.appId ?? existing?.appId;
  const oldScope = findScope(existing, settings.scopeValue);
  const scope = desiredScope(settings, oldScope, ids.scopeId);
  const otherScopes = (existing?.api?.oauth2PermissionScopes ?? []).filter((s) => s !== oldScope).map(writableScope);
  const scopes = oldScope
    ? (existing?.api?.oauth2PermissionScopes ?? []).map((s) => (s === oldScope ? scope : writableScope(s)))
    : [...otherScopes, scope];

  // v1 tokens (null, as the portal leaves it) carry aud = the Application ID URI, which is ICE's "Audience";
  // Graph insists on v2 when personal accounts may sign in.
  const version = audienceNeedsV2(settings.signInAudience) ? 2 : null;

  const existingWeb = existing?.web ?? {};
  const web = {
    ...existingWeb,
    implicitGrantSettings: { ...(existingWeb.implicitGrantSettings ?? {}), enableAccessTokenIssuance: true },
  };
  const body: GraphApplication = {
    // The name only labels the registration (guide 3A): an existing app keeps the name its owners gave it.
    displayName: existing?.displayName ?? settings.displayName,
    signInAudience: settings.signInAudience,
    publicClient: { ...(existing?.publicClient ?? {}), redirectUris: mergeUris(existing?.publicClient?.redirectUris, [nativeClientRedirect(settings.cloud)]) },
    spa: { ...(existing?.spa ?? {}), redirectUris: mergeUris(existing?.spa?.redirectUris, settings.hosts) },
    web,
    api: {
      ...(existing?.api ?? {}),
      requestedAccessTokenVersion: version,
      oauth2PermissionScopes: scopes,
    },
    groupMembershipClaims: desiredGroupMembershipClaims(settings, existing?.groupMembershipClaims),
    optionalClaims: desiredOptionalClaims(existing?.optionalClaims),
  };
  if (appId) {
    const uris = existing?.identifierUris ?? [];
    body.identifierUris = uris.length ? [...uris] : [defaultIdentifierUri(appId)];
    body.requiredResourceAccess = desiredRequiredResourceAccess(existing?.requiredResourceAccess, appId, scope.id);
  } else if (existing?.requiredResourceAccess?.some((r) => r.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID)) {
    body.requiredResourceAccess = existing.requiredResourceAccess.filter((r) => r.resourceAppId.toLowerCase() !== MICROSOFT_GRAPH_APP_ID);
  }
  return body;
}

/** The service principal to create for the app (POST /servicePrincipals). */
export function desiredServicePrincipal(appId: string): Pick<GraphServicePrincipal, 'appId'> {
  return { appId };
}

/** The tenant-wide consent grant for "Admins only": from the app's service principal to itself, for the scope. */
export function desiredAdminGrant(spId: string, scopeValue: string): Omit<GraphOAuth2PermissionGrant, 'id'> {
  return { clientId: spId, consentType: 'AllPrincipals', resourceId: spId, scope: scopeValue };
}

/** Space-separated scope list of a grant. */
export function grantScopes(g: Pick<GraphOAuth2PermissionGrant, 'scope'>): string[] {
  return (g.scope ?? '').split(/\s+/).filter(Boolean);
}
