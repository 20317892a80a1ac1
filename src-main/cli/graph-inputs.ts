// Reading Graph objects saved as files: an application (GET /applications/{id}, or the portal's Manifest in the
// Microsoft Graph format), its service principal, its consent grants. Each refusal says what is wrong and what to do.
import { z } from 'zod';
import { issuePath } from '../lib/zod-issues';
import type { GraphApplication, GraphOAuth2PermissionGrant, GraphServicePrincipal } from '../core/types';
import { UsageError } from './errors';
import { readJsonInput, type CliIO } from './io';

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

function shapeError(option: string, label: string, what: string, error: z.ZodError): UsageError {
  const first = error.issues.slice(0, 3).map((i) => `${issuePath(i.path) || '(top)'}: ${i.message}`);
  return new UsageError(`${option} ${label}: not a usable ${what}: ${first.join('; ')}.`);
}

function odataKind(v: Record<string, unknown>): string {
  const ctx = v['@odata.context'];
  return typeof ctx === 'string' ? ctx : '';
}

/** Validates a parsed JSON value as one Graph application. */
export function toApplication(v: unknown, label: string, option = '--app'): GraphApplication {
  const hint = "Give one application as GET /applications/{id} returns it (the portal's Manifest in the Microsoft Graph format is the same).";
  if (v === null || typeof v !== 'object') throw new UsageError(`${option} ${label}: not an application object (the JSON is ${v === null ? 'null' : typeof v}). ${hint}`);
  if (Array.isArray(v)) throw new UsageError(`${option} ${label}: a JSON array of ${v.length} item(s), not an application object. ${hint}`);
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.value)) {
    throw new UsageError(`${option} ${label}: a list response (value: ${o.value.length} item(s)), not one application. ${hint}`);
  }
  const ctx = odataKind(o);
  if (/#servicePrincipals/.test(ctx) || 'servicePrincipalNames' in o || 'appOwnerOrganizationId' in o) {
    throw new UsageError(`${option} ${label}: this is a service principal, not an application: pass it with --service-principal. ${hint}`);
  }
  if (/#oauth2PermissionGrants/.test(ctx) || ('consentType' in o && 'resourceId' in o)) {
    throw new UsageError(`${option} ${label}: this is a consent grant, not an application: pass grants with --grants. ${hint}`);
  }
  const legacy = LEGACY_KEYS.filter((k) => k in o);
  if (legacy.length) {
    throw new UsageError(
      `${option} ${label}: this is the legacy Azure AD Graph manifest (it has ${legacy.join(', ')}). Download the manifest in the Microsoft Graph format (portal: Manifest > "Microsoft Graph App Manifest"), or save GET /applications/{id}.`,
    );
  }
  if (!('appId' in o) && !('id' in o) && !('displayName' in o)) {
    throw new UsageError(`${option} ${label}: not an application object (no id, appId or displayName). ${hint}`);
  }
  const r = ApplicationShape.safeParse(o);
  if (!r.success) throw shapeError(option, label, 'application object', r.error);
  return r.data as GraphApplication;
}

/** A service principal object, a list response holding one (or none: null), or JSON null. */
export function toServicePrincipal(v: unknown, label: string, option = '--service-principal'): GraphServicePrincipal | null {
  const hint = "Give GET /servicePrincipals(appId='<client id>') or GET /servicePrincipals?$filter=appId eq '<client id>'.";
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`${option} ${label}: not a service principal object. ${hint}`);
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.value)) {
    if (o.value.length === 0) return null;
    if (o.value.length > 1) throw new UsageError(`${option} ${label}: a list of ${o.value.length} service principals; give the one for this app. ${hint}`);
    return toServicePrincipal(o.value[0], label, option);
  }
  if (/#applications/.test(odataKind(o)) || ('signInAudience' in o && 'identifierUris' in o)) {
    throw new UsageError(`${option} ${label}: this is an application, not a service principal: pass it with --app. ${hint}`);
  }
  const r = ServicePrincipalShape.safeParse(o);
  if (!r.success) throw shapeError(option, label, 'service principal', r.error);
  return r.data as GraphServicePrincipal;
}

/** Grants: a Graph list response {value:[...]} or a plain array. */
export function toGrants(v: unknown, label: string, option = '--grants'): GraphOAuth2PermissionGrant[] {
  const hint = "Give GET /oauth2PermissionGrants?$filter=clientId eq '<service principal id>' (a list response) or a JSON array of grants.";
  let items: unknown;
  if (Array.isArray(v)) items = v;
  else if (v && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).value)) items = (v as Record<string, unknown>).value;
  else throw new UsageError(`${option} ${label}: not a list of grants. ${hint}`);
  const r = z.array(GrantShape).safeParse(items);
  if (!r.success) throw shapeError(option, label, 'list of oauth2PermissionGrant objects', r.error);
  return r.data as GraphOAuth2PermissionGrant[];
}

export async function loadApplication(name: string, io: CliIO): Promise<GraphApplication> {
  const { value, label } = await readJsonInput(name, '--app', io);
  return toApplication(value, label);
}

export async function loadServicePrincipal(name: string, io: CliIO): Promise<GraphServicePrincipal | null> {
  const { value, label } = await readJsonInput(name, '--service-principal', io);
  return toServicePrincipal(value, label);
}

export async function loadGrants(name: string, io: CliIO): Promise<GraphOAuth2PermissionGrant[]> {
  const { value, label } = await readJsonInput(name, '--grants', io);
  return toGrants(value, label);
}
