// Graph's rules for application objects (the subset checklist.md lists), applied on POST and PATCH.
import { isGuid } from './http';
import type { Json } from './types';

export interface RuleError {
  status: number;
  code: string;
  message: string;
}

const bad = (message: string, code = 'Request_BadRequest', status = 400): RuleError => ({ status, code, message });

export const APP_WRITABLE = new Set([
  'displayName', 'description', 'signInAudience', 'identifierUris', 'isFallbackPublicClient', 'groupMembershipClaims',
  'tags', 'notes', 'api', 'appRoles', 'info', 'keyCredentials', 'passwordCredentials', 'optionalClaims',
  'parentalControlSettings', 'publicClient', 'requiredResourceAccess', 'spa', 'web', 'uniqueName',
  'serviceManagementReference', 'tokenEncryptionKeyId', 'isDeviceOnlyAuthSupported', 'defaultRedirectUri', 'addIns',
  'samlMetadataUrl', 'servicePrincipalLockConfiguration', 'requestSignatureVerification', 'nativeAuthenticationApisEnabled',
  'certification', 'logo',
]);
export const APP_READONLY = new Set(['id', 'appId', 'createdDateTime', 'publisherDomain', 'deletedDateTime', 'applicationTemplateId', 'disabledByMicrosoftStatus', 'verifiedPublisher']);

const SUBKEYS: Record<string, Set<string>> = {
  api: new Set(['acceptMappedClaims', 'knownClientApplications', 'oauth2PermissionScopes', 'preAuthorizedApplications', 'requestedAccessTokenVersion']),
  web: new Set(['homePageUrl', 'implicitGrantSettings', 'logoutUrl', 'redirectUris', 'redirectUriSettings']),
  spa: new Set(['redirectUris']),
  publicClient: new Set(['redirectUris']),
  optionalClaims: new Set(['accessToken', 'idToken', 'saml2Token']),
};
const SCOPE_KEYS = new Set(['id', 'value', 'type', 'isEnabled', 'adminConsentDisplayName', 'adminConsentDescription', 'userConsentDisplayName', 'userConsentDescription', 'origin']);
const AUDIENCES = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'];
const PERSONAL = new Set(['AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']);
const GROUP_CLAIMS = new Set(['None', 'SecurityGroup', 'DirectoryRole', 'ApplicationGroup', 'All']);

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shape checks of a POST/PATCH body (unknown or read-only properties, types). */
export function checkBody(body: unknown, current: Json | undefined): RuleError | undefined {
  if (!isObj(body)) return bad('Empty Payload. JSON content expected.', 'BadRequest');
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.')) continue;
    if (APP_READONLY.has(k)) {
      if (current && current[k] === v) continue;
      return bad(`Property '${k}' is read-only and cannot be set.`);
    }
    if (!APP_WRITABLE.has(k)) {
      return bad(`Property '${k}' does not exist on type 'microsoft.graph.application'. Make sure to only use property names that are defined by the type.`, 'BadRequest');
    }
    const sub = SUBKEYS[k];
    if (sub && v !== null) {
      if (!isObj(v)) return bad(`Invalid value specified for property '${k}' of resource 'Application': an object is expected.`);
      for (const sk of Object.keys(v)) {
        if (sk.startsWith('@odata.')) continue;
        if (!sub.has(sk)) return bad(`Property '${sk}' does not exist on type '${k}'. Make sure to only use property names that are defined by the type.`, 'BadRequest');
      }
    }
    if (['identifierUris', 'tags', 'requiredResourceAccess', 'appRoles'].includes(k) && !Array.isArray(v)) {
      return bad(`Invalid value specified for property '${k}' of resource 'Application': a collection is expected.`);
    }
  }
  const scalar: Record<string, string> = {
    displayName: 'string',
    description: 'string',
    signInAudience: 'string',
    isFallbackPublicClient: 'boolean',
    groupMembershipClaims: 'string',
    notes: 'string',
    uniqueName: 'string',
    isDeviceOnlyAuthSupported: 'boolean',
  };
  for (const [k, t] of Object.entries(scalar)) {
    if (k in body && body[k] !== null && typeof body[k] !== t) {
      return bad(`Invalid value specified for property '${k}' of resource 'Application': a ${t} (or null) is expected, got ${JSON.stringify(body[k])}.`);
    }
  }
  for (const k of ['identifierUris', 'tags'] as const) {
    if (Array.isArray(body[k]) && (body[k] as unknown[]).some((x) => typeof x !== 'string')) {
      return bad(`Invalid value specified for property '${k}' of resource 'Application': a collection of strings is expected.`);
    }
  }
  for (const k of ['spa', 'publicClient', 'web'] as const) {
    const v = body[k];
    if (isObj(v) && v.redirectUris !== undefined && (!Array.isArray(v.redirectUris) || v.redirectUris.some((u) => typeof u !== 'string'))) {
      return bad(`Invalid value specified for property '${k}.redirectUris' of resource 'Application': a collection of strings is expected.`);
    }
  }
  const api = body.api;
  if (isObj(api) && api.oauth2PermissionScopes !== undefined) {
    if (!Array.isArray(api.oauth2PermissionScopes)) return bad("Invalid value specified for property 'api.oauth2PermissionScopes': a collection is expected.");
    for (const s of api.oauth2PermissionScopes as unknown[]) {
      if (!isObj(s)) return bad("Invalid value specified for property 'api.oauth2PermissionScopes': objects expected.");
      for (const sk of Object.keys(s)) if (!SCOPE_KEYS.has(sk)) return bad(`Property '${sk}' does not exist on type 'microsoft.graph.permissionScope'.`, 'BadRequest');
    }
  }
  if ('uniqueName' in body && current && current.uniqueName && body.uniqueName !== current.uniqueName) {
    return bad("Property 'uniqueName' is read-only once set and cannot be changed.", 'Request_BadRequest');
  }
  return undefined;
}

/** Deep-merges a PATCH: objects merge, collections (arrays) and scalars are replaced wholesale. */
export function mergePatch(current: Json, patch: Json): Json {
  const out: Json = structuredClone(current);
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('@odata.')) continue;
    if (isObj(v) && isObj(out[k])) out[k] = mergePatch(out[k] as Json, v);
    else out[k] = structuredClone(v);
  }
  return out;
}

function checkSpaUri(u: string): string | undefined {
  if (u.length > 256) return `'${u.slice(0, 40)}...' is longer than 256 characters`;
  if (/[!$'(),;]/.test(u)) return `'${u}' contains a character SPA redirect URIs may not use (! $ ' ( ) , ;)`;
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return `'${u}' is not an absolute URI`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && url.hostname === 'localhost') return undefined;
  return `'${u}' must use https (only http://localhost may use http)`;
}

function checkWebUri(u: string): string | undefined {
  if (u.length > 256) return `'${u.slice(0, 40)}...' is longer than 256 characters`;
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return `'${u}' is not an absolute URI`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname))) return undefined;
  return `'${u}' must use https (only http://localhost may use http)`;
}

function domainVerified(host: string, verified: string[]): boolean {
  const h = host.toLowerCase();
  return verified.some((d) => h === d.toLowerCase() || h.endsWith(`.${d.toLowerCase()}`));
}

export interface TenantInfo {
  tenantId: string;
  verifiedDomains: string[];
  /** identifierUris of every other application in the tenant (uniqueness). */
  otherIdentifierUris: Set<string>;
}

const sameScope = (a: Json, b: Json): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (k !== 'isEnabled' && JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) return false;
  return true;
};

/** Validates the application as it would be after the write (`prev` undefined for a create). */
export function checkApplication(next: Json, prev: Json | undefined, t: TenantInfo): RuleError | undefined {
  // displayName
  if (typeof next.displayName !== 'string' || next.displayName.trim() === '') {
    return bad("Property 'displayName' is required and must not be empty.", 'Request_BadRequest');
  }
  if (next.displayName.length > 256) return bad("Property 'displayName' is longer than 256 characters.");
  // signInAudience and token version
  const aud = String(next.signInAudience);
  if (!AUDIENCES.includes(aud)) {
    return bad(`Invalid value specified for property 'signInAudience' of resource 'Application': '${aud}'. Valid values: ${AUDIENCES.join(', ')}.`);
  }
  const api = (next.api ?? {}) as Json;
  if (PERSONAL.has(aud) && api.requestedAccessTokenVersion !== 2) {
    return bad(
      `Property api.requestedAccessTokenVersion is invalid: applications whose signInAudience is '${aud}' (personal Microsoft accounts) require api.requestedAccessTokenVersion 2.`,
    );
  }
  if (api.requestedAccessTokenVersion !== undefined && api.requestedAccessTokenVersion !== null && ![1, 2].includes(api.requestedAccessTokenVersion as number)) {
    return bad('Property api.requestedAccessTokenVersion is invalid: 1, 2 or null expected.');
  }
  // redirect URIs
  for (const [k, check] of [['spa', checkSpaUri], ['web', checkWebUri]] as const) {
    const uris = ((next[k] as Json | null | undefined)?.redirectUris as string[] | undefined) ?? [];
    for (const u of uris) {
      const why = check(u);
      if (why) return bad(`Invalid value specified for property '${k}.redirectUris' of resource 'Application': ${why}.`);
    }
    if (new Set(uris).size !== uris.length) return bad(`Property '${k}.redirectUris' contains duplicate values.`);
  }
  for (const u of ((next.publicClient as Json | null | undefined)?.redirectUris as string[] | undefined) ?? []) {
    if (u.length > 256) return bad("Invalid value specified for property 'publicClient.redirectUris' of resource 'Application': longer than 256 characters.");
  }
  // scopes
  const scopes = (api.oauth2PermissionScopes ?? []) as Json[];
  const ids = new Set<string>();
  const values = new Set<string>();
  for (const s of scopes) {
    if (!isGuid(s.id)) return bad(`Invalid value specified for property 'id' of resource 'PermissionScope': '${String(s.id)}' is not a GUID.`);
    if (ids.has(String(s.id).toLowerCase())) return bad(`Permission scope ids must be unique: '${String(s.id)}' appears twice.`);
    ids.add(String(s.id).toLowerCase());
    const v = s.value;
    if (typeof v !== 'string' || v.length < 1 || v.length > 120 || /\s/.test(v) || v.startsWith('.')) {
      return bad(
        `Invalid value specified for property 'value' of resource 'PermissionScope': '${String(v)}'. A scope value is 1 to 120 characters, has no spaces and does not start with '.'.`,
      );
    }
    if (values.has(v.toLowerCase())) return bad(`Permission scope values must be unique: '${v}' appears twice.`);
    values.add(v.toLowerCase());
    if (s.type !== undefined && s.type !== null && s.type !== 'User' && s.type !== 'Admin') {
      return bad(`Invalid value specified for property 'type' of resource 'PermissionScope': '${String(s.type)}' (User or Admin).`);
    }
  }
  // enabled scopes: disable first, change later
  if (prev) {
    const prevScopes = (((prev.api ?? {}) as Json).oauth2PermissionScopes ?? []) as Json[];
    for (const old of prevScopes) {
      if (old.isEnabled !== true) continue;
      const now = scopes.find((s) => String(s.id).toLowerCase() === String(old.id).toLowerCase());
      if (!now || !sameScope(old, now)) {
        return bad(
          `Permission (scope or role) cannot be deleted or updated unless disabled first. Scope '${String(old.value)}' (${String(old.id)}) is enabled: set isEnabled to false in one request, then change or remove it in another.`,
          'CannotDeleteOrUpdateEnabledEntitlement',
        );
      }
    }
  }
  // identifierUris
  const uris = (next.identifierUris ?? []) as string[];
  if (new Set(uris.map((u) => u.toLowerCase())).size !== uris.length) return bad("Property 'identifierUris' contains duplicate values.");
  for (const u of uris) {
    if (typeof u !== 'string') return bad("Invalid value specified for property 'identifierUris'.");
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      return bad(`Invalid value specified for property 'identifierUris' of resource 'Application': '${u}' is not an absolute URI.`);
    }
    const appIdUri = `api://${String(next.appId)}`;
    let ok = false;
    if (url.protocol === 'api:') {
      const lower = u.toLowerCase();
      ok =
        lower === appIdUri.toLowerCase() ||
        lower.startsWith(`${appIdUri.toLowerCase()}/`) ||
        lower === `api://${t.tenantId}/${String(next.appId)}`.toLowerCase() ||
        (url.host !== '' && domainVerified(url.host, t.verifiedDomains));
    } else if (url.protocol === 'https:') {
      ok = domainVerified(url.hostname, t.verifiedDomains);
    }
    if (!ok) {
      return bad(
        `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${u}'. Use api://${String(next.appId)} or a URI on ${t.verifiedDomains.join(', ')}.`,
        'HostNameNotOnVerifiedDomain',
      );
    }
    if (t.otherIdentifierUris.has(u.toLowerCase())) {
      return bad(`Another object with the same value for property identifierUris already exists: '${u}'.`, 'Request_MultipleObjectsWithSameKeyValue');
    }
  }
  // requiredResourceAccess
  for (const r of (next.requiredResourceAccess ?? []) as Json[]) {
    if (!isObj(r) || !isGuid(r.resourceAppId) || !Array.isArray(r.resourceAccess)) {
      return bad("Invalid value specified for property 'requiredResourceAccess' of resource 'Application': resourceAppId (GUID) and resourceAccess expected.");
    }
    for (const ra of r.resourceAccess as Json[]) {
      if (!isGuid(ra.id) || (ra.type !== 'Scope' && ra.type !== 'Role')) {
        return bad("Invalid value specified for property 'resourceAccess' of resource 'RequiredResourceAccess': id (GUID) and type (Scope or Role) expected.");
      }
      if (String(r.resourceAppId).toLowerCase() === String(next.appId).toLowerCase()) {
        const pool = ra.type === 'Scope' ? scopes : ((next.appRoles ?? []) as Json[]);
        if (!pool.some((p) => String(p.id).toLowerCase() === String(ra.id).toLowerCase())) {
          return bad(
            `Invalid value specified for property 'resourceAccess' of resource 'RequiredResourceAccess': this application's own ${ra.type === 'Scope' ? 'scope' : 'app role'} '${String(ra.id)}' does not exist.`,
          );
        }
      }
    }
  }
  // groupMembershipClaims
  if (next.groupMembershipClaims !== null && next.groupMembershipClaims !== undefined) {
    const parts = String(next.groupMembershipClaims).split(',').map((s) => s.trim());
    if (parts.some((p) => !GROUP_CLAIMS.has(p))) {
      return bad(`Invalid value specified for property 'groupMembershipClaims': '${String(next.groupMembershipClaims)}'. Valid: None, SecurityGroup, DirectoryRole, ApplicationGroup, All.`);
    }
  }
  if (next.uniqueName !== undefined && next.uniqueName !== null) {
    if (typeof next.uniqueName !== 'string' || !/^[^\s'"/\\]{1,256}$/.test(next.uniqueName)) {
      return bad(`Invalid value specified for property 'uniqueName': '${String(next.uniqueName)}'.`);
    }
  }
  return undefined;
}
