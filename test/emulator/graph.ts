// Microsoft Graph v1.0 subset: /me, /organization, /applications (+ alternate keys and upsert),
// /servicePrincipals, /oauth2PermissionGrants, /$batch. Bearer token checks, delegated scope checks,
// directory role checks, validation rules (validation.ts) and faults (faults.ts).
import { randomBytes } from 'node:crypto';
import { GRAPH_APP_ID, type Ctx } from './context';
import type { RequestInfo } from './faults';
import { graphError, isGuid, json, newGuid, sleep, type EmuRequest, type Reply } from './http';
import { b64url, verifyJwt } from './jwt';
import { parseFilter, parseSelect, project, QueryError } from './odata';
import type { EmuUser, Json } from './types';
import { APP_READONLY, APP_WRITABLE, checkApplication, checkBody, mergePatch } from './validation';

// ---- permissions ----

const DIR_ALL = ['Directory.AccessAsUser.All'];
const SCOPES = {
  readApp: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', ...DIR_ALL],
  writeApp: ['Application.ReadWrite.All', ...DIR_ALL],
  readGrants: ['DelegatedPermissionGrant.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', ...DIR_ALL],
  writeGrants: ['DelegatedPermissionGrant.ReadWrite.All', ...DIR_ALL],
  me: ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', ...DIR_ALL],
  org: ['User.Read', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', ...DIR_ALL],
};
const APP_ADMIN_ROLES = ['Global Administrator', 'Application Administrator', 'Cloud Application Administrator'];
const GRAPH_CONSENT_ROLES = ['Global Administrator', 'Privileged Role Administrator'];
const GRANT_ROLES = [...GRAPH_CONSENT_ROLES, 'Application Administrator', 'Cloud Application Administrator'];

interface Caller {
  user: EmuUser;
  scopes: Set<string>;
  clientId: string;
}

interface Inner {
  method: string;
  /** Relative to the version root, no query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  inner: boolean;
  /** For logs: the path with query. */
  raw: string;
}

const INSUFFICIENT = 'Insufficient privileges to complete the operation.';

// ---- object shapes ----

function nowIso(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1' + '0000Z');
}

export function newApplication(ctx: Ctx, body: Json): Json {
  const audience = (body.signInAudience as string | undefined) ?? 'AzureADandPersonalMicrosoftAccount';
  const personal = audience === 'AzureADandPersonalMicrosoftAccount' || audience === 'PersonalMicrosoftAccount';
  const base: Json = {
    id: newGuid(),
    deletedDateTime: null,
    appId: newGuid(),
    applicationTemplateId: null,
    disabledByMicrosoftStatus: null,
    createdDateTime: nowIso(),
    displayName: null,
    description: null,
    groupMembershipClaims: null,
    identifierUris: [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: null,
    nativeAuthenticationApisEnabled: null,
    notes: null,
    publisherDomain: ctx.state.tenantDomain,
    serviceManagementReference: null,
    signInAudience: audience,
    tags: [],
    tokenEncryptionKeyId: null,
    uniqueName: null,
    samlMetadataUrl: null,
    defaultRedirectUri: null,
    certification: null,
    optionalClaims: null,
    requestSignatureVerification: null,
    servicePrincipalLockConfiguration: null,
    addIns: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: personal ? 2 : null,
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
    },
    appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    passwordCredentials: [],
    publicClient: { redirectUris: [] },
    requiredResourceAccess: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: [],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      redirectUriSettings: [],
    },
    spa: { redirectUris: [] },
  };
  return mergePatch(base, body);
}

/** A service principal as read: its scopes mirror the application's (live). */
function viewServicePrincipal(ctx: Ctx, sp: Json): Json {
  const app = ctx.state.applications.find((a) => a.appId === sp.appId);
  if (!app) return sp;
  return {
    ...sp,
    displayName: app.displayName,
    signInAudience: app.signInAudience,
    servicePrincipalNames: [String(app.appId), ...((app.identifierUris as string[]) ?? [])],
    oauth2PermissionScopes: structuredClone(((app.api as Json | null)?.oauth2PermissionScopes as Json[]) ?? []),
    appRoles: structuredClone((app.appRoles as Json[]) ?? []),
    replyUrls: [
      ...(((app.web as Json | null)?.redirectUris as string[]) ?? []),
      ...(((app.spa as Json | null)?.redirectUris as string[]) ?? []),
      ...(((app.publicClient as Json | null)?.redirectUris as string[]) ?? []),
    ],
  };
}

export function newServicePrincipal(ctx: Ctx, app: Json, extra: Json = {}): Json {
  return {
    id: newGuid(),
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDisplayName: app.displayName,
    appDescription: null,
    appId: app.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: ctx.state.tenantId,
    appRoleAssignmentRequired: false,
    createdDateTime: nowIso(),
    description: null,
    displayName: app.displayName,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    servicePrincipalType: 'Application',
    signInAudience: app.signInAudience,
    tags: [],
    tokenEncryptionKeyId: null,
    appRoles: [],
    oauth2PermissionScopes: [],
    replyUrls: [],
    servicePrincipalNames: [app.appId],
    ...extra,
  };
}

const SP_PROPS = new Set(['id', 'deletedDateTime', 'accountEnabled', 'alternativeNames', 'appDisplayName', 'appDescription', 'appId', 'applicationTemplateId', 'appOwnerOrganizationId', 'appRoleAssignmentRequired', 'createdDateTime', 'description', 'displayName', 'homepage', 'loginUrl', 'logoutUrl', 'notes', 'notificationEmailAddresses', 'preferredSingleSignOnMode', 'servicePrincipalType', 'signInAudience', 'tags', 'tokenEncryptionKeyId', 'appRoles', 'oauth2PermissionScopes', 'replyUrls', 'servicePrincipalNames']);
const SP_WRITABLE = new Set(['accountEnabled', 'alternativeNames', 'appDescription', 'appRoleAssignmentRequired', 'description', 'homepage', 'loginUrl', 'logoutUrl', 'notes', 'notificationEmailAddresses', 'preferredSingleSignOnMode', 'tags', 'tokenEncryptionKeyId', 'appId']);
const GRANT_PROPS = new Set(['id', 'clientId', 'consentType', 'principalId', 'resourceId', 'scope']);
const APP_PROPS = new Set([...APP_WRITABLE, ...APP_READONLY]);

// ---- helpers ----

function requestInfo(r: Inner): RequestInfo {
  return { host: 'graph', method: r.method, path: r.path, inner: r.inner };
}

function denied(r: Inner, why: string): Reply {
  const rep = graphError(403, 'Authorization_RequestDenied', INSUFFICIENT, r.headers['client-request-id']);
  rep.headers['x-emulator-denied'] = why;
  return rep;
}

function needScope(c: Caller, r: Inner, any: string[]): Reply | undefined {
  if (any.some((s) => c.scopes.has(s))) return undefined;
  return denied(r, `token scp lacks one of: ${any.join(', ')}`);
}

function needRole(c: Caller, r: Inner, roles: string[]): Reply | undefined {
  if (c.user.roles.some((x) => roles.includes(x))) return undefined;
  return denied(r, `user ${c.user.userPrincipalName} lacks a role: ${roles.join(' or ')}`);
}

function notFound(r: Inner, key: string): Reply {
  return graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
    r.headers['client-request-id'],
  );
}

function badRequest(r: Inner, message: string, code = 'Request_BadRequest', status = 400): Reply {
  return graphError(status, code, message, r.headers['client-request-id']);
}

function ok(ctx: Ctx, r: Inner, status: number, body: Json, context: string): Reply {
  const requestId = newGuid();
  return json(
    status,
    { '@odata.context': `${ctx.graphUrl}/v1.0/$metadata#${context}`, ...body },
    {
      'request-id': requestId,
      'client-request-id': r.headers['client-request-id'] ?? requestId,
      'odata-version': '4.0',
    },
  );
}

function noContent(r: Inner): Reply {
  const requestId = newGuid();
  return { status: 204, headers: { 'request-id': requestId, 'client-request-id': r.headers['client-request-id'] ?? requestId } };
}

function list(
  ctx: Ctx,
  r: Inner,
  items: Json[],
  opts: { resource: string; context: string; props: Set<string>; filterProps: string[]; collections: string[]; advancedOnly?: string[] },
): Reply {
  let sel: string[] | undefined;
  let filtered = items;
  // Advanced query capabilities: the ConsistencyLevel: eventual header and $count=true
  // (https://learn.microsoft.com/graph/aad-advanced-queries).
  const consistency = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'consistencylevel')?.[1];
  const advanced = String(consistency ?? '').toLowerCase() === 'eventual' && r.query.get('$count') === 'true';
  try {
    const f = r.query.get('$filter');
    if (f !== null) {
      const pred = parseFilter(f, opts.resource, opts.filterProps, opts.collections, { advancedOnly: opts.advancedOnly ?? [], advanced });
      filtered = items.filter(pred);
    }
    sel = parseSelect(r.query.get('$select'), opts.props, opts.resource);
  } catch (e) {
    if (e instanceof QueryError) return badRequest(r, e.message, e.code);
    throw e;
  }
  const topRaw = r.query.get('$top');
  let top = 100;
  if (topRaw !== null) {
    top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > 999) return badRequest(r, `Invalid page size specified: '${topRaw}'. Must be between 1 and 999 inclusive.`);
  }
  const skipTok = r.query.get('$skiptoken');
  const start = skipTok ? Number(Buffer.from(skipTok, 'base64url').toString('utf8')) || 0 : 0;
  const page = filtered.slice(start, start + top);
  const body: Json = { ...(advanced ? { '@odata.count': filtered.length } : {}), value: page.map((o) => project(o, sel)) };
  if (start + top < filtered.length) {
    const q = new URLSearchParams(r.query);
    q.set('$skiptoken', Buffer.from(String(start + top)).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.graphUrl}/v1.0${r.path}?${q.toString()}`;
  }
  const context = sel ? `${opts.context}(${sel.join(',')})` : opts.context;
  return ok(ctx, r, 200, body, context);
}

function one(ctx: Ctx, r: Inner, o: Json, props: Set<string>, resource: string, context: string, status = 200): Reply {
  let sel: string[] | undefined;
  try {
    sel = parseSelect(r.query.get('$select'), props, resource);
  } catch (e) {
    if (e instanceof QueryError) return badRequest(r, e.message, e.code);
    throw e;
  }
  return ok(ctx, r, status, project(o, sel), sel ? `${context.replace('/$entity', '')}(${sel.join(',')})/$entity` : context);
}

/** Splits "applications(appId='x')" into name and key. */
function parseSegment(seg: string): { name: string; keyProp?: string; keyValue?: string } | undefined {
  const m = /^([A-Za-z0-9$]+)(?:\((?:([A-Za-z]+)=)?'((?:[^']|'')*)'\))?$/.exec(seg);
  if (!m) return undefined;
  return { name: m[1]!, keyProp: m[3] !== undefined ? (m[2] ?? 'id') : undefined, keyValue: m[3]?.replace(/''/g, "'") };
}

function tenantInfo(ctx: Ctx, exceptId?: string) {
  const other = new Set<string>();
  for (const a of ctx.state.applications) {
    if (a.id === exceptId) continue;
    for (const u of (a.identifierUris as string[]) ?? []) other.add(u.toLowerCase());
  }
  return { tenantId: ctx.state.tenantId, verifiedDomains: ctx.state.verifiedDomains, otherIdentifierUris: other };
}

function visible(ctx: Ctx, items: Json[]): Json[] {
  return items.filter((o) => ctx.isVisible(String(o.id), true));
}

// ---- applications ----

function findApp(ctx: Ctx, keyProp: string, keyValue: string): Json | undefined {
  const v = keyValue.toLowerCase();
  return ctx.state.applications.find((a) => String(a[keyProp] ?? '').toLowerCase() === v);
}

type Outcome = { ok: true; app: Json } | { ok: false; reply: Reply };

function writeApp(ctx: Ctx, r: Inner, app: Json, body: Json): Outcome {
  const shape = checkBody(body, app);
  if (shape) return { ok: false, reply: badRequest(r, shape.message, shape.code, shape.status) };
  const next = mergePatch(app, body);
  const rule = checkApplication(next, app, tenantInfo(ctx, String(app.id)));
  if (rule) return { ok: false, reply: badRequest(r, rule.message, rule.code, rule.status) };
  return { ok: true, app: next };
}

function createApp(ctx: Ctx, r: Inner, body: Json): Outcome {
  const shape = checkBody(body, undefined);
  if (shape) return { ok: false, reply: badRequest(r, shape.message, shape.code, shape.status) };
  if (typeof body.uniqueName === 'string' && findApp(ctx, 'uniqueName', body.uniqueName)) {
    return { ok: false, reply: badRequest(r, `Another object with the same value for property uniqueName already exists.`, 'Request_MultipleObjectsWithSameKeyValue', 409) };
  }
  const app = newApplication(ctx, body);
  const rule = checkApplication(app, undefined, tenantInfo(ctx));
  if (rule) return { ok: false, reply: badRequest(r, rule.message, rule.code, rule.status) };
  ctx.state.applications.push(app);
  ctx.markCreated(String(app.id), requestInfo(r));
  return { ok: true, app };
}

function replaceApp(ctx: Ctx, app: Json, next: Json): void {
  const i = ctx.state.applications.indexOf(app);
  ctx.state.applications[i] = next;
}

function deleteApp(ctx: Ctx, app: Json): void {
  ctx.state.applications = ctx.state.applications.filter((a) => a !== app);
  const sp = ctx.state.servicePrincipals.find((s) => s.appId === app.appId);
  if (sp) deleteSp(ctx, sp);
}

function deleteSp(ctx: Ctx, sp: Json): void {
  ctx.state.servicePrincipals = ctx.state.servicePrincipals.filter((s) => s !== sp);
  ctx.state.oauth2PermissionGrants = ctx.state.oauth2PermissionGrants.filter((g) => g.clientId !== sp.id && g.resourceId !== sp.id);
}

function applications(ctx: Ctx, c: Caller, r: Inner, seg: { keyProp?: string; keyValue?: string }, rest: string[]): Reply {
  const APP_CTX = 'applications';
  const keyProp = seg.keyProp ?? (rest[0] !== undefined ? 'id' : undefined);
  const keyValue = seg.keyValue ?? rest[0];
  const tail = seg.keyProp ? rest : rest.slice(1);
  if (tail.length) return badRequest(r, `Resource not found for the segment '${tail[0]}'.`, 'BadRequest');
  const read = r.method === 'GET';
  const deny = needScope(c, r, read ? SCOPES.readApp : SCOPES.writeApp) ?? (read ? undefined : needRole(c, r, APP_ADMIN_ROLES));
  if (deny) return deny;
  if (!keyProp || keyValue === undefined) {
    if (r.method === 'GET') {
      return list(ctx, r, visible(ctx, ctx.state.applications), {
        resource: 'application',
        context: APP_CTX,
        props: APP_PROPS,
        filterProps: ['displayName', 'appId', 'uniqueName', 'id', 'publisherDomain', 'signInAudience'],
        // Application $filter support as Microsoft documents it (https://learn.microsoft.com/graph/aad-advanced-queries,
        // "Application properties"): tags/any and identifierUris/any with eq by default; spa/redirectUris/any,
        // web/redirectUris/any and publicClient/redirectUris/any only as advanced queries.
        collections: ['tags', 'identifierUris', 'spa/redirectUris', 'web/redirectUris', 'publicClient/redirectUris'],
        advancedOnly: ['spa/redirectUris', 'web/redirectUris', 'publicClient/redirectUris'],
      });
    }
    if (r.method === 'POST') {
      const res = createApp(ctx, r, (r.body ?? {}) as Json);
      if (!res.ok) return res.reply;
      const app = res.app;
      const rep = ok(ctx, r, 201, app, `${APP_CTX}/$entity`);
      rep.headers.location = `${ctx.graphUrl}/v2/${ctx.state.tenantId}/directoryObjects/${String(app.id)}/Microsoft.DirectoryServices.Application`;
      return rep;
    }
    return badRequest(r, `The method ${r.method} is not allowed on /applications.`, 'Request_BadRequest', 405);
  }
  if (!['id', 'appId', 'uniqueName'].includes(keyProp)) return badRequest(r, `'${keyProp}' is not a key of application.`, 'BadRequest');
  const app = findApp(ctx, keyProp, keyValue);
  const lagging = app && !ctx.isVisible(String(app.id), true);
  const upsert = /create-if-missing/i.test(r.headers.prefer ?? '');
  if (!app || lagging) {
    if (r.method === 'PATCH' && keyProp === 'uniqueName' && upsert) {
      if (lagging) {
        return badRequest(r, 'Another object with the same value for property uniqueName already exists.', 'Request_MultipleObjectsWithSameKeyValue', 409);
      }
      const body = (r.body ?? {}) as Json;
      if (body.uniqueName !== undefined && body.uniqueName !== keyValue) {
        return badRequest(r, `The uniqueName in the body ('${String(body.uniqueName)}') differs from the one in the URL ('${keyValue}').`);
      }
      const res = createApp(ctx, r, { ...body, uniqueName: keyValue });
      if (!res.ok) return res.reply;
      return ok(ctx, r, 201, res.app, `${APP_CTX}/$entity`);
    }
    if (keyProp === 'id' && !isGuid(keyValue)) {
      return badRequest(r, `Invalid object identifier '${keyValue}'.`, 'Request_BadRequest');
    }
    return notFound(r, keyValue);
  }
  if (r.method === 'GET') return one(ctx, r, app, APP_PROPS, 'application', `${APP_CTX}/$entity`);
  if (r.method === 'DELETE') {
    deleteApp(ctx, app);
    return noContent(r);
  }
  if (r.method === 'PATCH') {
    const res = writeApp(ctx, r, app, (r.body ?? {}) as Json);
    if (!res.ok) return res.reply;
    replaceApp(ctx, app, res.app);
    return noContent(r);
  }
  return badRequest(r, `The method ${r.method} is not allowed here.`, 'Request_BadRequest', 405);
}

// ---- service principals ----

function servicePrincipals(ctx: Ctx, c: Caller, r: Inner, seg: { keyProp?: string; keyValue?: string }, rest: string[]): Reply {
  const SP_CTX = 'servicePrincipals';
  const keyProp = seg.keyProp ?? (rest[0] !== undefined ? 'id' : undefined);
  const keyValue = seg.keyValue ?? rest[0];
  const tail = seg.keyProp ? rest : rest.slice(1);
  const read = r.method === 'GET';
  if (tail.length === 1 && tail[0] === 'oauth2PermissionGrants' && read) {
    const deny = needScope(c, r, [...SCOPES.readApp, ...SCOPES.readGrants]);
    if (deny) return deny;
  } else if (tail.length) {
    return badRequest(r, `Resource not found for the segment '${tail[0]}'.`, 'BadRequest');
  } else {
    const deny = needScope(c, r, read ? SCOPES.readApp : SCOPES.writeApp) ?? (read ? undefined : needRole(c, r, APP_ADMIN_ROLES));
    if (deny) return deny;
  }
  if (!keyProp || keyValue === undefined) {
    if (r.method === 'GET') {
      return list(ctx, r, visible(ctx, ctx.state.servicePrincipals).map((s) => viewServicePrincipal(ctx, s)), {
        resource: 'servicePrincipal',
        context: SP_CTX,
        props: SP_PROPS,
        filterProps: ['appId', 'displayName', 'id', 'servicePrincipalType', 'accountEnabled'],
        collections: ['servicePrincipalNames', 'tags'],
      });
    }
    if (r.method === 'POST') {
      const body = (r.body ?? {}) as Json;
      for (const k of Object.keys(body)) {
        if (!k.startsWith('@odata.') && !SP_WRITABLE.has(k)) {
          return badRequest(r, `Property '${k}' does not exist on type 'microsoft.graph.servicePrincipal' or cannot be set.`, 'BadRequest');
        }
      }
      const appId = body.appId;
      const app = typeof appId === 'string' ? ctx.state.applications.find((a) => String(a.appId).toLowerCase() === appId.toLowerCase()) : undefined;
      if (!app || !ctx.isVisible(String(app.id), true)) {
        return badRequest(r, `The appId '${String(appId ?? '')}' of the service principal does not reference a valid application object.`, 'Request_BadRequest');
      }
      if (ctx.state.servicePrincipals.some((s) => s.appId === app.appId)) {
        return badRequest(r, 'Another object with the same value for property servicePrincipalNames already exists.', 'Request_MultipleObjectsWithSameKeyValue', 409);
      }
      const { appId: _a, ...extra } = body;
      const sp = newServicePrincipal(ctx, app, extra);
      ctx.state.servicePrincipals.push(sp);
      ctx.markCreated(String(sp.id), requestInfo(r));
      return ok(ctx, r, 201, viewServicePrincipal(ctx, sp), `${SP_CTX}/$entity`);
    }
    return badRequest(r, `The method ${r.method} is not allowed on /servicePrincipals.`, 'Request_BadRequest', 405);
  }
  if (!['id', 'appId'].includes(keyProp)) return badRequest(r, `'${keyProp}' is not a key of servicePrincipal.`, 'BadRequest');
  const v = keyValue.toLowerCase();
  const sp = ctx.state.servicePrincipals.find((s) => String(s[keyProp] ?? '').toLowerCase() === v);
  if (!sp || !ctx.isVisible(String(sp.id), true)) {
    if (keyProp === 'id' && !isGuid(keyValue)) return badRequest(r, `Invalid object identifier '${keyValue}'.`);
    return notFound(r, keyValue);
  }
  if (tail[0] === 'oauth2PermissionGrants') {
    return list(ctx, r, visible(ctx, ctx.state.oauth2PermissionGrants.filter((g) => g.clientId === sp.id)), {
      resource: 'oAuth2PermissionGrant',
      context: 'oauth2PermissionGrants',
      props: GRANT_PROPS,
      filterProps: ['clientId', 'resourceId', 'consentType', 'principalId'],
      collections: [],
    });
  }
  if (r.method === 'GET') return one(ctx, r, viewServicePrincipal(ctx, sp), SP_PROPS, 'servicePrincipal', `${SP_CTX}/$entity`);
  if (r.method === 'DELETE') {
    if (sp.appId === GRAPH_APP_ID) return denied(r, 'Microsoft Graph cannot be deleted');
    deleteSp(ctx, sp);
    return noContent(r);
  }
  if (r.method === 'PATCH') {
    const body = (r.body ?? {}) as Json;
    for (const k of Object.keys(body)) {
      if (k.startsWith('@odata.')) continue;
      if (!SP_WRITABLE.has(k) || k === 'appId') return badRequest(r, `Property '${k}' cannot be updated on a servicePrincipal.`, 'BadRequest');
    }
    Object.assign(sp, structuredClone(body));
    return noContent(r);
  }
  return badRequest(r, `The method ${r.method} is not allowed here.`, 'Request_BadRequest', 405);
}

// ---- oauth2PermissionGrants ----

function newGrantId(): string {
  return b64url(randomBytes(32)).slice(0, 43);
}

function grants(ctx: Ctx, c: Caller, r: Inner, seg: { keyProp?: string; keyValue?: string }, rest: string[]): Reply {
  const id = seg.keyValue ?? rest[0];
  const tail = seg.keyValue ? rest : rest.slice(1);
  if (tail.length) return badRequest(r, `Resource not found for the segment '${tail[0]}'.`, 'BadRequest');
  const read = r.method === 'GET';
  const deny = needScope(c, r, read ? SCOPES.readGrants : SCOPES.writeGrants);
  if (deny) return deny;
  const spById = (x: unknown) => ctx.state.servicePrincipals.find((s) => s.id === x);
  const roleFor = (resourceId: unknown) => (spById(resourceId)?.appId === GRAPH_APP_ID ? GRAPH_CONSENT_ROLES : GRANT_ROLES);
  if (id === undefined) {
    if (read) {
      return list(ctx, r, visible(ctx, ctx.state.oauth2PermissionGrants), {
        resource: 'oAuth2PermissionGrant',
        context: 'oauth2PermissionGrants',
        props: GRANT_PROPS,
        filterProps: ['clientId', 'resourceId', 'consentType', 'principalId'],
        collections: [],
      });
    }
    if (r.method !== 'POST') return badRequest(r, `The method ${r.method} is not allowed on /oauth2PermissionGrants.`, 'Request_BadRequest', 405);
    const body = (r.body ?? {}) as Json;
    for (const k of Object.keys(body)) {
      if (!k.startsWith('@odata.') && !['clientId', 'consentType', 'principalId', 'resourceId', 'scope', 'startTime', 'expiryTime'].includes(k)) {
        return badRequest(r, `Property '${k}' does not exist on type 'microsoft.graph.oAuth2PermissionGrant'.`, 'BadRequest');
      }
    }
    const roleDeny = needRole(c, r, roleFor(body.resourceId));
    if (roleDeny) return roleDeny;
    for (const k of ['clientId', 'resourceId'] as const) {
      const sp = spById(body[k]);
      if (!sp || !ctx.isVisible(String(sp.id), true)) {
        return badRequest(r, `Invalid value specified for property '${k}' of resource 'OAuth2PermissionGrant': '${String(body[k] ?? '')}' is not a service principal in this tenant.`);
      }
    }
    if (body.consentType !== 'AllPrincipals' && body.consentType !== 'Principal') {
      return badRequest(r, "Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant' (AllPrincipals or Principal).");
    }
    if (body.consentType === 'AllPrincipals' && body.principalId) {
      return badRequest(r, "Property 'principalId' must be null when consentType is AllPrincipals.");
    }
    if (body.consentType === 'Principal' && !ctx.state.users.some((u) => u.id === body.principalId)) {
      return badRequest(r, "Property 'principalId' must be a user of this tenant when consentType is Principal.");
    }
    if (typeof body.scope !== 'string' || body.scope.trim() === '') {
      return badRequest(r, "Property 'scope' is required: a space-separated list of delegated permission values.");
    }
    const dup = ctx.state.oauth2PermissionGrants.find(
      (g) => g.clientId === body.clientId && g.resourceId === body.resourceId && g.consentType === body.consentType && (g.principalId ?? null) === (body.principalId ?? null),
    );
    if (dup) return badRequest(r, 'Permission entry already exists.', 'Request_MultipleObjectsWithSameKeyValue', 409);
    const grant: Json = {
      clientId: body.clientId,
      consentType: body.consentType,
      id: newGrantId(),
      principalId: body.principalId ?? null,
      resourceId: body.resourceId,
      scope: body.scope,
    };
    ctx.state.oauth2PermissionGrants.push(grant);
    ctx.markCreated(String(grant.id), requestInfo(r));
    return ok(ctx, r, 201, grant, 'oauth2PermissionGrants/$entity');
  }
  const g = ctx.state.oauth2PermissionGrants.find((x) => x.id === id);
  if (!g || !ctx.isVisible(String(g.id), true)) return notFound(r, id);
  if (read) return one(ctx, r, g, GRANT_PROPS, 'oAuth2PermissionGrant', 'oauth2PermissionGrants/$entity');
  const roleDeny = needRole(c, r, roleFor(g.resourceId));
  if (roleDeny) return roleDeny;
  if (r.method === 'DELETE') {
    ctx.state.oauth2PermissionGrants = ctx.state.oauth2PermissionGrants.filter((x) => x !== g);
    return noContent(r);
  }
  if (r.method === 'PATCH') {
    const body = (r.body ?? {}) as Json;
    for (const k of Object.keys(body)) {
      if (k !== 'scope' && !k.startsWith('@odata.')) return badRequest(r, `Property '${k}' cannot be updated on an oAuth2PermissionGrant (only scope).`, 'BadRequest');
    }
    if (typeof body.scope !== 'string') return badRequest(r, "Property 'scope' must be a string.");
    g.scope = body.scope;
    return noContent(r);
  }
  return badRequest(r, `The method ${r.method} is not allowed here.`, 'Request_BadRequest', 405);
}

// ---- one request (top-level or inside a $batch) ----

function faultReply(ctx: Ctx, r: Inner): Reply | undefined {
  const f = ctx.faults.take(requestInfo(r), ['throttle', 'error', 'forbidden']);
  if (!f) return undefined;
  const cr = r.headers['client-request-id'];
  if (f.kind === 'throttle') {
    return graphError(429, 'TooManyRequests', 'Too many requests. Retry after the time the Retry-After header gives.', cr, { 'retry-after': String(f.retryAfter ?? 1) });
  }
  if (f.kind === 'error') {
    const code = f.code ?? (f.status === 504 ? 'GatewayTimeout' : f.status === 503 ? 'serviceNotAvailable' : 'UnknownError');
    const h: Record<string, string> = f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {};
    return graphError(f.status, code, `Emulated ${f.status} (fault).`, cr, h);
  }
  if (f.kind === 'forbidden') return denied(r, 'forbidden fault');
  return undefined;
}

async function executeOne(ctx: Ctx, c: Caller, r: Inner): Promise<Reply> {
  const fault = faultReply(ctx, r);
  if (fault) return fault;
  if (['POST', 'PATCH', 'PUT'].includes(r.method) && r.body === undefined) {
    return badRequest(r, 'Empty Payload. JSON content expected.', 'BadRequest');
  }
  const segs = r.path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const [first, ...rest] = segs;
  if (!first) return badRequest(r, 'Invalid request: no resource segment.', 'BadRequest');
  const seg = parseSegment(first);
  if (!seg) return badRequest(r, `Resource not found for the segment '${first}'.`, 'BadRequest');
  switch (seg.name) {
    case 'me': {
      if (r.method !== 'GET' || rest.length) return badRequest(r, 'Only GET /me is emulated.', 'BadRequest');
      const deny = needScope(c, r, SCOPES.me);
      if (deny) return deny;
      const u = c.user;
      const [given, ...sur] = u.displayName.split(' ');
      return one(
        ctx,
        r,
        {
          businessPhones: [],
          displayName: u.displayName,
          givenName: given ?? null,
          jobTitle: null,
          mail: u.userPrincipalName,
          mobilePhone: null,
          officeLocation: null,
          preferredLanguage: 'en-US',
          surname: sur.join(' ') || null,
          userPrincipalName: u.userPrincipalName,
          id: u.id,
        },
        new Set(['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id']),
        'user',
        'users/$entity',
      );
    }
    case 'organization': {
      if (r.method !== 'GET') return badRequest(r, 'Only GET /organization is emulated.', 'BadRequest');
      const deny = needScope(c, r, SCOPES.org);
      if (deny) return deny;
      const org: Json = {
        id: ctx.state.tenantId,
        deletedDateTime: null,
        displayName: ctx.state.organizationName,
        tenantType: 'AAD',
        countryLetterCode: 'US',
        verifiedDomains: ctx.state.verifiedDomains.map((d, i) => ({
          capabilities: 'Email, OfficeCommunicationsOnline',
          isDefault: i === 0,
          isInitial: d.toLowerCase().endsWith('.onmicrosoft.com'),
          name: d,
          type: 'Managed',
        })),
      };
      return list(ctx, r, [org], { resource: 'organization', context: 'organization', props: new Set(Object.keys(org)), filterProps: ['id'], collections: [] });
    }
    case 'applications':
      return applications(ctx, c, r, seg, rest);
    case 'servicePrincipals':
      return servicePrincipals(ctx, c, r, seg, rest);
    case 'oauth2PermissionGrants':
      return grants(ctx, c, r, seg, rest);
    default:
      return badRequest(r, `Resource not found for the segment '${first}'.`, 'BadRequest');
  }
}

// ---- $batch ----

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

async function batch(ctx: Ctx, c: Caller, outer: Inner, log: (e: { method: string; path: string; status: number; batchItem: string }) => void): Promise<Reply> {
  const body = outer.body as { requests?: unknown } | undefined;
  const fail = (m: string) => badRequest(outer, m, 'BadRequest');
  if (!body || !Array.isArray(body.requests)) return fail('Invalid batch payload: a JSON object with a "requests" array is expected.');
  if (body.requests.length === 0) return fail('Invalid batch payload: "requests" is empty.');
  if (body.requests.length > 20) return fail(`The number of requests in the batch (${body.requests.length}) exceeds the limit of 20.`);
  const items: BatchItem[] = [];
  const ids = new Set<string>();
  for (const raw of body.requests as Json[]) {
    const id = raw?.id;
    if (typeof id !== 'string' || id === '') return fail('Every batch request needs a string "id".');
    if (ids.has(id)) return fail(`Batch request id '${id}' is used twice.`);
    ids.add(id);
    if (typeof raw.method !== 'string' || typeof raw.url !== 'string') return fail(`Batch request '${id}' needs "method" and "url".`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((raw.headers as Json | undefined) ?? {})) headers[k.toLowerCase()] = String(v);
    const method = raw.method.toUpperCase();
    if (['POST', 'PATCH', 'PUT'].includes(method) && (raw.body === undefined || !headers['content-type'])) {
      return fail(`Write request id : ${id} does not contain Content-Type header or body.`);
    }
    const dependsOn = Array.isArray(raw.dependsOn) ? (raw.dependsOn as unknown[]).map(String) : [];
    items.push({ id, method, url: raw.url, headers, body: raw.body, dependsOn });
  }
  for (const it of items) for (const d of it.dependsOn) if (!ids.has(d)) return fail(`Batch request '${it.id}' depends on unknown id '${d}'.`);
  // cycles
  const state = new Map<string, number>();
  const byId = new Map(items.map((i) => [i.id, i]));
  const cyclic = (id: string): boolean => {
    if (state.get(id) === 1) return true;
    if (state.get(id) === 2) return false;
    state.set(id, 1);
    for (const d of byId.get(id)?.dependsOn ?? []) if (cyclic(d)) return true;
    state.set(id, 2);
    return false;
  };
  for (const it of items) if (cyclic(it.id)) return fail(`Batch request '${it.id}' has a circular dependsOn.`);

  const responses: Json[] = [];
  const done = new Map<string, Promise<number>>();
  const run = (it: BatchItem): Promise<number> => {
    const existing = done.get(it.id);
    if (existing) return existing;
    const p = (async () => {
      const depStatuses = await Promise.all(it.dependsOn.map((d) => run(byId.get(d)!)));
      let rep: Reply;
      let path = it.url;
      if (depStatuses.some((s) => s >= 400)) {
        rep = graphError(424, 'FailedDependency', `The request '${it.id}' was not run: a request it depends on failed.`, it.headers['client-request-id']);
      } else if (/^https?:/i.test(it.url) || /^\/?(v1\.0|beta)\//i.test(it.url)) {
        rep = graphError(400, 'BadRequest', `Invalid request URL '${it.url}': URLs in a batch are relative to the version root, e.g. /applications.`, it.headers['client-request-id']);
      } else {
        const u = new URL(it.url.startsWith('/') ? it.url : `/${it.url}`, 'https://batch.invalid');
        path = u.pathname;
        if (path === '/$batch') {
          rep = graphError(400, 'BadRequest', 'A $batch cannot contain another $batch.', it.headers['client-request-id']);
        } else {
          // independent requests run concurrently and finish in any order
          await sleep(Math.floor(Math.random() * 3));
          rep = await executeOne(ctx, c, { method: it.method, path, query: u.searchParams, headers: it.headers, body: it.body, inner: true, raw: `${u.pathname}${u.search}` });
        }
        path = `${u.pathname}${u.search}`;
      }
      const entry: Json = { id: it.id, status: rep.status, headers: { ...rep.headers } };
      if (rep.json !== undefined && rep.status !== 204) {
        (entry.headers as Json)['content-type'] = 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
        entry.body = rep.json;
      }
      responses.push(entry);
      log({ method: it.method, path, status: rep.status, batchItem: it.id });
      return rep.status;
    })();
    done.set(it.id, p);
    return p;
  };
  await Promise.all(items.map(run));
  const requestId = newGuid();
  return json(200, { responses }, { 'request-id': requestId, 'client-request-id': outer.headers['client-request-id'] ?? requestId });
}

// ---- authentication ----

function authenticate(ctx: Ctx, req: EmuRequest): Caller | Reply {
  const cr = req.headers['client-request-id'];
  const www = {
    'www-authenticate': `Bearer realm="", authorization_uri="${ctx.loginUrl}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
  };
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h);
  if (!m) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', cr, www);
  const check = verifyJwt(ctx.key, m[1]!.trim());
  if (!check.ok) {
    return graphError(401, 'InvalidAuthenticationToken', check.reason === 'malformed' ? 'IDX14100: JWT is not well formed.' : 'Access token validation failure. Invalid signature.', cr, www);
  }
  const p = check.payload;
  const now = Math.floor(Date.now() / 1000);
  if (typeof p.exp !== 'number' || p.exp < now || (typeof p.nbf === 'number' && p.nbf > now + 300)) {
    return graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', cr, www);
  }
  const auds = new Set([ctx.graphAudience, GRAPH_APP_ID, 'https://graph.microsoft.com', 'https://graph.microsoft.com/', ctx.graphUrl, `${ctx.graphUrl}/`]);
  if (typeof p.aud !== 'string' || !auds.has(p.aud)) {
    return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.', cr, www);
  }
  if (p.tid !== ctx.state.tenantId) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid issuer.', cr, www);
  const user = ctx.state.users.find((u) => u.id === p.oid);
  if (!user) return graphError(401, 'InvalidAuthenticationToken', 'The user of this token no longer exists.', cr, www);
  return { user, scopes: new Set(String(p.scp ?? '').split(' ').filter(Boolean)), clientId: String(p.appid ?? '') };
}

export interface GraphLogSink {
  (e: { method: string; path: string; status: number; batchItem?: string }): void;
}

/** Handles one HTTP request to the Graph host. */
export async function handleGraph(ctx: Ctx, req: EmuRequest, logInner: GraphLogSink): Promise<Reply> {
  const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(req.path);
  const r0: Inner = { method: req.method, path: m?.[2] ?? req.path, query: req.query, headers: req.headers, body: undefined, inner: false, raw: req.path };
  if (!m) return badRequest(r0, `Invalid version: the path must start with /v1.0 (got '${req.path}').`, 'BadRequest');
  let body: unknown;
  if (req.body.length) {
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return badRequest(r0, 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', 'BadRequest');
    }
  }
  const r: Inner = { ...r0, body };
  const caller = authenticate(ctx, req);
  if ('status' in caller && 'headers' in caller) {
    // a token problem is answered before anything else, batch or not
    return caller as Reply;
  }
  const c = caller as Caller;
  if (r.path === '/$batch') {
    if (req.method !== 'POST') return badRequest(r, '$batch needs POST.', 'BadRequest', 405);
    const fault = faultReply(ctx, r);
    if (fault) return fault;
    ctx.stats.batches++;
    return batch(ctx, c, r, (e) => {
      ctx.stats.graphRequests++;
      if (e.method !== 'GET') ctx.stats.graphWrites++;
      logInner(e);
    });
  }
  ctx.stats.graphRequests++;
  if (req.method !== 'GET') ctx.stats.graphWrites++;
  return executeOne(ctx, c, r);
}
