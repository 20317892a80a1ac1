// THE parser of Graph objects saved as files, for every front end (`audit --app`, `plan`, Review offline): an
// application (GET /applications/{id}, a list answer holding exactly one, or the portal's Manifest in the Microsoft
// Graph format), its service principal, its consent grants. Pure: text or parsed JSON in, typed objects out. Each
// refusal (AppError graph-file.invalid) names the source (`--app x.json`, or the file) and says what to do.
import { z } from 'zod';
import { AppError } from '../lib/errors';
import { checkJsonDepth } from '../lib/input-limits';
import { jsonErrorOffset, lineColumn } from '../lib/json-position';
import { issuePath } from '../lib/zod-issues';
import type { GraphApplication, GraphOAuth2PermissionGrant, GraphServicePrincipal } from '../core/types';

function refuse(message: string): AppError {
  return new AppError('graph-file.invalid', message);
}

/** Parses JSON text (a BOM is skipped); a refusal names the line and column where parsing stopped. */
export function parseGraphJson(text: string, source: string): unknown {
  const t = text.replace(/^\uFEFF/, '');
  if (t.trim() === '') throw refuse(`${source}: the file is empty; it must hold a JSON object.`);
  checkJsonDepth(t, source); // InputLimitError (file.too-deep) naming the source and the limit
  try {
    return JSON.parse(t);
  } catch (e) {
    const offset = jsonErrorOffset(t);
    const at = offset >= 0 ? offset : t.length;
    const { line, column } = lineColumn(t, at);
    const where = at >= t.length ? `the text ends too early (line ${line}, column ${column}): it looks cut short` : `line ${line}, column ${column} (near ${JSON.stringify(t.slice(at, at + 12))})`;
    throw refuse(`${source}: not JSON: parsing stopped at ${where}; ${(e as Error).message}. Save the Graph response (or the portal's Manifest) unchanged.`);
  }
}

const strArr = z.array(z.string()).nullish();
const optionalClaim = z.looseObject({ name: z.string(), additionalProperties: z.array(z.string()).nullish() });

/** The parts of an application the checklist reads, with the types Graph gives them. Other keys pass through. */
const ApplicationShape = z.looseObject({
  id: z.string().optional(),
  appId: z.string().optional(),
  displayName: z.string().nullish(),
  signInAudience: z.string().nullish(),
  identifierUris: strArr,
  isFallbackPublicClient: z.boolean().nullish(),
  groupMembershipClaims: z.string().nullish(),
  api: z
    .looseObject({
      requestedAccessTokenVersion: z.number().nullish(),
      oauth2PermissionScopes: z.array(z.looseObject({ id: z.string(), value: z.string().nullish(), type: z.string().nullish(), isEnabled: z.boolean().nullish() })).nullish(),
    })
    .nullish(),
  publicClient: z.looseObject({ redirectUris: strArr }).nullish(),
  spa: z.looseObject({ redirectUris: strArr }).nullish(),
  web: z
    .looseObject({
      redirectUris: strArr,
      implicitGrantSettings: z.looseObject({ enableAccessTokenIssuance: z.boolean().nullish(), enableIdTokenIssuance: z.boolean().nullish() }).nullish(),
    })
    .nullish(),
  requiredResourceAccess: z.array(z.looseObject({ resourceAppId: z.string(), resourceAccess: z.array(z.looseObject({ id: z.string(), type: z.string() })) })).nullish(),
  optionalClaims: z.looseObject({ accessToken: z.array(optionalClaim).nullish(), idToken: z.array(optionalClaim).nullish(), saml2Token: z.array(optionalClaim).nullish() }).nullish(),
});

const ServicePrincipalShape = z.looseObject({ id: z.string(), appId: z.string(), displayName: z.string().nullish() });
const GrantShape = z.looseObject({
  id: z.string(),
  clientId: z.string(),
  consentType: z.string(),
  principalId: z.string().nullish(),
  resourceId: z.string(),
  scope: z.string().nullish(),
});

const LEGACY_KEYS = ['replyUrlsWithType', 'oauth2Permissions', 'oauth2AllowImplicitFlow', 'accessTokenAcceptedVersion', 'allowPublicClient', 'availableToOtherTenants'];

function shapeError(source: string, what: string, error: z.ZodError): AppError {
  const first = error.issues.slice(0, 3).map((i) => `${issuePath(i.path) || '(top)'}: ${i.message}`);
  return refuse(`${source}: not a usable ${what}: ${first.join('; ')}.`);
}

function odataKind(v: Record<string, unknown>): string {
  const ctx = v['@odata.context'];
  return typeof ctx === 'string' ? ctx : '';
}

/** Validates a parsed JSON value as one Graph application (`source` names it in messages, e.g. "--app x.json"). */
export function toApplication(v: unknown, source: string): GraphApplication {
  const hint = "Give one application as GET /applications/{id} returns it (the portal's Manifest in the Microsoft Graph format is the same).";
  if (v === null || typeof v !== 'object') throw refuse(`${source}: not an application object (the JSON is ${v === null ? 'null' : typeof v}). ${hint}`);
  if (Array.isArray(v)) throw refuse(`${source}: a JSON array of ${v.length} item(s), not an application object. ${hint}`);
  let o = v as Record<string, unknown>;
  // A list answer (GET /applications?$filter=...) holding exactly one application is that application.
  if (Array.isArray(o.value)) {
    if (o.value.length !== 1) throw refuse(`${source}: a list response with ${o.value.length} applications (value: ${o.value.length} item(s)), not one application. ${hint}`);
    const only: unknown = o.value[0];
    if (only === null || typeof only !== 'object' || Array.isArray(only)) throw refuse(`${source}: the list response's one item is not an application object. ${hint}`);
    o = only as Record<string, unknown>;
  }
  const ctx = odataKind(o);
  if (/#servicePrincipals/.test(ctx) || 'servicePrincipalNames' in o || 'appOwnerOrganizationId' in o) {
    throw refuse(`${source}: this is a service principal, not an application: pass it with --service-principal. ${hint}`);
  }
  if (/#oauth2PermissionGrants/.test(ctx) || ('consentType' in o && 'resourceId' in o)) {
    throw refuse(`${source}: this is a consent grant, not an application: pass grants with --grants. ${hint}`);
  }
  const legacy = LEGACY_KEYS.filter((k) => k in o);
  if (legacy.length) {
    throw refuse(
      `${source}: this is the legacy Azure AD Graph manifest (it has ${legacy.join(', ')}). Download the manifest in the Microsoft Graph format (portal: Manifest > "Microsoft Graph App Manifest"), or save GET /applications/{id}.`,
    );
  }
  if (!('appId' in o) && !('id' in o) && !('displayName' in o)) {
    throw refuse(`${source}: not an application object (no id, appId or displayName). ${hint}`);
  }
  const r = ApplicationShape.safeParse(o);
  if (!r.success) throw shapeError(source, 'application object', r.error);
  return r.data as GraphApplication;
}

/** A service principal object, a list response holding one (or none: null), or JSON null. */
export function toServicePrincipal(v: unknown, source: string): GraphServicePrincipal | null {
  const hint = "Give GET /servicePrincipals(appId='<client id>') or GET /servicePrincipals?$filter=appId eq '<client id>'.";
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw refuse(`${source}: not a service principal object. ${hint}`);
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.value)) {
    if (o.value.length === 0) return null;
    if (o.value.length > 1) throw refuse(`${source}: a list of ${o.value.length} service principals; give the one for this app. ${hint}`);
    return toServicePrincipal(o.value[0], source);
  }
  if (/#applications/.test(odataKind(o)) || ('signInAudience' in o && 'identifierUris' in o)) {
    throw refuse(`${source}: this is an application, not a service principal: pass it with --app. ${hint}`);
  }
  const r = ServicePrincipalShape.safeParse(o);
  if (!r.success) throw shapeError(source, 'service principal', r.error);
  return r.data as GraphServicePrincipal;
}

/** Grants: a Graph list response {value:[...]} or a plain array. */
export function toGrants(v: unknown, source: string): GraphOAuth2PermissionGrant[] {
  const hint = "Give GET /oauth2PermissionGrants?$filter=clientId eq '<service principal id>' (a list response) or a JSON array of grants.";
  let items: unknown;
  if (Array.isArray(v)) items = v;
  else if (v && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).value)) items = (v as Record<string, unknown>).value;
  else throw refuse(`${source}: not a list of grants. ${hint}`);
  const r = z.array(GrantShape).safeParse(items);
  if (!r.success) throw shapeError(source, 'list of oauth2PermissionGrant objects', r.error);
  return r.data as GraphOAuth2PermissionGrant[];
}
