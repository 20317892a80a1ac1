// Entra ID v2 endpoints, enough for @azure/msal-node (unmodified): OpenID metadata, instance discovery,
// device code, token (device_code, authorization_code + PKCE, refresh_token), authorize (auto sign-in), JWKS.
import { createHash, randomBytes } from 'node:crypto';
import { GRAPH_APP_ID, type Ctx } from './context';
import { json, newGuid, oauthError, type EmuRequest, type Reply } from './http';
import { b64url, signJwt } from './jwt';
import { ROLE_TEMPLATE_IDS, type DeviceCodeInfo, type EmuUser, type Json } from './types';

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const GRAPH_PREFIXES = ['https://graph.microsoft.com', GRAPH_APP_ID];

type Tenant = { kind: 'tenant' } | { kind: 'multi'; name: 'organizations' | 'common' };

function resolveTenant(ctx: Ctx, seg: string): Tenant | undefined {
  const s = seg.toLowerCase();
  if (s === 'organizations' || s === 'common') return { kind: 'multi', name: s };
  if (s === ctx.state.tenantId.toLowerCase()) return { kind: 'tenant' };
  if (ctx.state.verifiedDomains.some((d) => d.toLowerCase() === s)) return { kind: 'tenant' };
  return undefined;
}

function unknownTenant(ctx: Ctx, seg: string): Reply {
  return oauthError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${seg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. (Emulator tenant: ${ctx.state.tenantId} / ${ctx.state.tenantDomain}.)`,
  );
}

export function openIdConfiguration(ctx: Ctx, seg: string, tenant: Tenant): Json {
  const login = ctx.loginUrl;
  const t = tenant.kind === 'tenant' ? ctx.state.tenantId : tenant.name;
  const issuerTenant = tenant.kind === 'tenant' ? ctx.state.tenantId : '{tenantid}';
  void seg;
  return {
    token_endpoint: `${login}/${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${login}/${t}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${login}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.graphUrl}/oidc/userinfo`,
    authorization_endpoint: `${login}/${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${login}/${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${login}/${t}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${login}/${t}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'emulator.invalid',
    cloud_graph_host_name: new URL(ctx.graphUrl).host,
    msgraph_host: new URL(ctx.graphUrl).host,
    rbac_url: 'https://pas.windows.net',
  };
}

// ---- scopes, resources, consent ----

interface ResolvedScopes {
  resource: { kind: 'graph' } | { kind: 'app'; app: Json; sp: Json; identifier: string };
  /** Short scope names requested ('.default' expanded later). */
  names: string[];
  /** The prefix the client used ('' for short Graph names), to echo scopes back in the same form. */
  prefix: string;
  oidc: string[];
}

function isGraphPrefix(ctx: Ctx, p: string): boolean {
  const x = p.replace(/\/+$/, '').toLowerCase();
  return x === ctx.graphUrl.toLowerCase() || GRAPH_PREFIXES.some((g) => g.toLowerCase() === x);
}

function appScopes(app: Json): Json[] {
  const api = app.api as { oauth2PermissionScopes?: Json[] } | null | undefined;
  return api?.oauth2PermissionScopes ?? [];
}

export function resolveScopes(ctx: Ctx, scopeParam: string | null): ResolvedScopes | Reply {
  const parts = (scopeParam ?? '').split(/\s+/).filter(Boolean);
  const oidc = parts.filter((s) => OIDC_SCOPES.has(s.toLowerCase()));
  const rest = parts.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  if (parts.length === 0) {
    return oauthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  }
  let prefix: string | undefined;
  const names: string[] = [];
  for (const s of rest) {
    const slash = s.lastIndexOf('/');
    const p = slash > 0 ? s.slice(0, slash) : '';
    const name = slash > 0 ? s.slice(slash + 1) : s;
    const pKey = p === '' || isGraphPrefix(ctx, p) ? (p === '' ? '' : p) : p;
    if (prefix !== undefined) {
      const same = prefix === pKey || ((prefix === '' || isGraphPrefix(ctx, prefix)) && (pKey === '' || isGraphPrefix(ctx, pKey)));
      if (!same) {
        return oauthError(400, 'invalid_scope', 28000, `Provided value for the input parameter scope '${scopeParam}' is not valid because it contains more than one resource. Scope ${s} is not valid.`);
      }
    } else prefix = pKey;
    if (!name) return oauthError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${s} is not valid.`);
    names.push(name);
  }
  if (prefix === undefined || prefix === '' || isGraphPrefix(ctx, prefix)) {
    const n = names.length ? names : ['User.Read'];
    for (const name of n) {
      if (name !== '.default' && !/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/.test(name)) {
        return oauthError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${name} is not valid.`);
      }
    }
    return { resource: { kind: 'graph' }, names: n, prefix: prefix ?? '', oidc };
  }
  const ident = prefix.replace(/\/+$/, '');
  const app = ctx.state.applications.find(
    (a) =>
      ctx.isVisible(String(a.id), false) &&
      (String(a.appId).toLowerCase() === ident.toLowerCase() ||
        ((a.identifierUris as string[] | undefined) ?? []).some((u) => u.replace(/\/+$/, '').toLowerCase() === ident.toLowerCase())),
  );
  const sp = app && ctx.state.servicePrincipals.find((s) => s.appId === app.appId && ctx.isVisible(String(s.id), false));
  if (!app || !sp) {
    return oauthError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${ident} was not found in the tenant named ${ctx.state.organizationName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  for (const name of names) {
    if (name === '.default') continue;
    const sc = appScopes(app).find((x) => x.value === name);
    if (!sc || sc.isEnabled === false) {
      return oauthError(400, 'invalid_scope', 65005, `The application asked for scope '${name}' that doesn't exist on the resource '${String(app.appId)}'. Contact the app vendor.`);
    }
  }
  return { resource: { kind: 'app', app, sp, identifier: ident }, names, prefix, oidc };
}

function resourceKey(r: ResolvedScopes['resource']): string {
  return r.kind === 'graph' ? 'graph' : String(r.app.appId);
}

/** Scopes granted tenant-wide to `clientId` for the resource (AllPrincipals grants, pre-consented Graph scopes). */
function tenantConsented(ctx: Ctx, clientId: string, userId: string, r: ResolvedScopes['resource']): Set<string> {
  const out = new Set<string>();
  if (r.kind === 'graph') for (const s of ctx.state.preConsentedScopes) out.add(s);
  const clientSp = ctx.state.servicePrincipals.find((s) => s.appId === clientId);
  const resourceSp = r.kind === 'graph' ? ctx.state.servicePrincipals.find((s) => s.appId === GRAPH_APP_ID) : r.sp;
  if (clientSp && resourceSp) {
    for (const g of ctx.state.oauth2PermissionGrants) {
      if (g.clientId !== clientSp.id || g.resourceId !== resourceSp.id) continue;
      if (g.consentType === 'AllPrincipals' || g.principalId === userId) {
        for (const s of String(g.scope ?? '').split(/\s+/).filter(Boolean)) out.add(s);
      }
    }
  }
  return out;
}

/**
 * Decides the granted scopes, recording consent when the user is present (interactive = device code approval or
 * browser sign-in). Returns the scp list or a consent_required error.
 */
function grantScopes(ctx: Ctx, user: EmuUser, clientId: string, rs: ResolvedScopes, interactive: boolean): string[] | Reply {
  const key = `${user.id}|${clientId}|${resourceKey(rs.resource)}`;
  const recorded = ctx.consents.get(key) ?? new Set<string>();
  const already = new Set([...recorded, ...tenantConsented(ctx, clientId, user.id, rs.resource)]);
  const wanted = rs.names.filter((n) => n !== '.default');
  const missing: string[] = [];
  for (const n of wanted) {
    if (already.has(n)) continue;
    if (!interactive) {
      missing.push(n);
      continue;
    }
    let userMay = user.canConsent === true || (Array.isArray(user.canConsent) && user.canConsent.includes(n));
    if (rs.resource.kind === 'app') {
      const sc = appScopes(rs.resource.app).find((x) => x.value === n);
      // Admin-type scopes need an administrator; User-type ones any user may consent to.
      userMay = sc?.type === 'Admin' ? user.canConsent === true : user.canConsent !== false;
    }
    if (!userMay) missing.push(n);
  }
  if (rs.names.includes('.default') && wanted.length === 0 && already.size === 0) missing.push('.default');
  if (missing.length) {
    const resName = rs.resource.kind === 'graph' ? 'Microsoft Graph' : String(rs.resource.app.displayName);
    return oauthError(
      400,
      interactive ? 'invalid_grant' : 'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource. (Missing consent for ${resName}: ${missing.join(' ')}; an administrator must grant admin consent.)`,
      { suberror: 'consent_required' },
    );
  }
  if (interactive) {
    const next = new Set([...recorded, ...wanted]);
    ctx.consents.set(key, next);
  }
  const scp = new Set([...already, ...wanted, ...(ctx.consents.get(key) ?? [])]);
  return [...scp].sort();
}

// ---- tokens ----

function userClaims(user: EmuUser): Json {
  const [given, ...rest] = user.displayName.split(' ');
  return { name: user.displayName, given_name: given ?? '', family_name: rest.join(' '), oid: user.id };
}

function optionalClaimNames(app: Json): Json[] {
  const oc = app.optionalClaims as { accessToken?: Json[] } | null | undefined;
  return oc?.accessToken ?? [];
}

function groupsClaim(app: Json, user: EmuUser): string[] | undefined {
  const gmc = String(app.groupMembershipClaims ?? 'None');
  if (gmc === 'None' || gmc === '' || user.groups.length === 0) return undefined;
  const g = optionalClaimNames(app).find((c) => c.name === 'groups');
  const sam = ((g?.additionalProperties as string[] | undefined) ?? []).includes('sam_account_name');
  return user.groups.map((x) => (sam && x.samAccountName ? x.samAccountName : x.id));
}

function mintAccessToken(ctx: Ctx, user: EmuUser, clientId: string, rs: ResolvedScopes, scp: string[]): string {
  const now = Math.floor(Date.now() / 1000);
  const tid = ctx.state.tenantId;
  const base: Json = {
    iat: now,
    nbf: now,
    exp: now + ctx.accessTokenLifetimeSec,
    tid,
    sub: b64url(createHash('sha256').update(`${user.id}|${clientId}`).digest()).slice(0, 43),
    scp: scp.join(' '),
    uti: b64url(randomBytes(16)),
    ...userClaims(user),
  };
  const wids = user.roles.map((r) => ROLE_TEMPLATE_IDS[r]).filter((x): x is string => !!x);
  if (rs.resource.kind === 'graph') {
    return signJwt(
      ctx.key,
      {
        aud: ctx.graphAudience,
        iss: `https://sts.windows.net/${tid}/`,
        ...base,
        acct: 0,
        amr: ['pwd'],
        app_displayname: 'emulated client',
        appid: clientId,
        appidacr: '0',
        idtyp: 'user',
        unique_name: user.userPrincipalName,
        upn: user.userPrincipalName,
        ver: '1.0',
        wids: [...wids, 'b79fbf4d-3ef9-4689-8143-76b194e85509'],
      },
      { headerNonce: true },
    );
  }
  const app = rs.resource.app;
  const v2 = (app.api as { requestedAccessTokenVersion?: number | null } | null)?.requestedAccessTokenVersion === 2;
  const oc = optionalClaimNames(app);
  const claims: Json = { ...base };
  if (v2) {
    Object.assign(claims, {
      aud: app.appId,
      iss: `${ctx.loginUrl}/${tid}/v2.0`,
      azp: clientId,
      azpacr: '0',
      preferred_username: user.userPrincipalName,
      ver: '2.0',
    });
    if (oc.some((c) => c.name === 'upn')) claims.upn = user.userPrincipalName;
  } else {
    Object.assign(claims, {
      aud: rs.resource.identifier === String(app.appId) ? app.appId : rs.resource.identifier,
      iss: `https://sts.windows.net/${tid}/`,
      appid: clientId,
      appidacr: '0',
      amr: ['pwd'],
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      ver: '1.0',
    });
  }
  const groups = groupsClaim(app, user);
  if (groups) claims.groups = groups;
  return signJwt(ctx.key, claims);
}

function mintIdToken(ctx: Ctx, user: EmuUser, clientId: string, nonce?: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Json = {
    aud: clientId,
    iss: `${ctx.loginUrl}/${ctx.state.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    name: user.displayName,
    oid: user.id,
    preferred_username: user.userPrincipalName,
    sub: b64url(createHash('sha256').update(`${user.id}|${clientId}|id`).digest()).slice(0, 43),
    tid: ctx.state.tenantId,
    uti: b64url(randomBytes(16)),
    ver: '2.0',
  };
  if (nonce) claims.nonce = nonce;
  return signJwt(ctx.key, claims);
}

function issueTokens(
  ctx: Ctx,
  user: EmuUser,
  clientId: string,
  rs: ResolvedScopes,
  opts: { interactive: boolean; nonce?: string; clientInfo: boolean },
): Reply {
  const scp = grantScopes(ctx, user, clientId, rs, opts.interactive);
  if (!Array.isArray(scp)) return scp;
  const access = mintAccessToken(ctx, user, clientId, rs, scp);
  const echo = (n: string) => (rs.prefix ? `${rs.prefix.replace(/\/+$/, '')}/${n}` : n);
  const scopeOut = [...new Set([...rs.names.filter((n) => n !== '.default'), ...scp])].map(echo);
  if (rs.names.includes('.default')) scopeOut.push(echo('.default'));
  const oidcOut = rs.oidc.map((s) => s.toLowerCase()).filter((s) => s !== 'offline_access');
  const body: Json = {
    token_type: 'Bearer',
    scope: [...scopeOut, ...oidcOut].join(' '),
    expires_in: ctx.accessTokenLifetimeSec,
    ext_expires_in: ctx.accessTokenLifetimeSec,
    access_token: access,
  };
  if (rs.oidc.some((s) => s.toLowerCase() === 'offline_access')) {
    const rt = `emu-rt.${b64url(randomBytes(32))}`;
    ctx.refreshTokens.set(rt, { userId: user.id, clientId, expiresAt: Date.now() + 90 * 86400_000, revoked: false });
    body.refresh_token = rt;
  }
  if (rs.oidc.some((s) => s.toLowerCase() === 'openid')) body.id_token = mintIdToken(ctx, user, clientId, opts.nonce);
  if (opts.clientInfo) body.client_info = b64url(JSON.stringify({ uid: user.id, utid: ctx.state.tenantId }));
  return json(200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
}

/**
 * Entra refuses a client id it does not know in the tenant: 400 unauthorized_client, AADSTS700016 "Application with
 * identifier '…' was not found in the directory '…'" (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 * Only when the test lists the known clients (state.knownClients); the tenant's own applications are always known.
 */
export function unknownClient(ctx: Ctx, clientId: string): Reply | null {
  const known = ctx.state.knownClients;
  if (!known) return null;
  if (known.some((k) => k.toLowerCase() === clientId.toLowerCase())) return null;
  if (ctx.state.applications.some((a) => String(a.appId).toLowerCase() === clientId.toLowerCase())) return null;
  return oauthError(
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${ctx.state.organizationName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

// ---- device code ----

function newUserCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(9);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export function approveDevice(ctx: Ctx, d: DeviceCodeInfo, userId: string): void {
  if (d.status === 'pending') {
    d.status = 'approved';
    d.userId = userId;
  }
}

function deviceCodeRequest(ctx: Ctx, form: URLSearchParams): Reply {
  const clientId = form.get('client_id');
  if (!clientId) return oauthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const refusal = unknownClient(ctx, clientId);
  if (refusal) return refusal;
  const rs = resolveScopes(ctx, form.get('scope'));
  if ('status' in rs) return rs;
  const d: DeviceCodeInfo = {
    userCode: newUserCode(),
    deviceCode: `emu-dc.${b64url(randomBytes(32))}`,
    clientId,
    scopes: (form.get('scope') ?? '').split(/\s+/).filter(Boolean),
    issuedAt: Date.now(),
    expiresAt: Date.now() + ctx.deviceCodeExpiresInSec * 1000,
    status: 'pending',
  };
  ctx.deviceCodes.set(d.deviceCode, d);
  const waiters = ctx.deviceCodeWaiters.splice(0);
  for (const w of waiters) w(d);
  if (ctx.autoApprove) {
    const as = ctx.autoApprove.as;
    const t = setTimeout(() => {
      const u = as ? ctx.findUser(as) : ctx.findUser(ctx.currentUserId);
      if (u) approveDevice(ctx, d, u.id);
    }, ctx.autoApprove.afterMs);
    t.unref();
  }
  const verificationUri = `${ctx.loginUrl}/devicelogin`;
  return json(200, {
    user_code: d.userCode,
    device_code: d.deviceCode,
    verification_uri: verificationUri,
    expires_in: ctx.deviceCodeExpiresInSec,
    interval: ctx.deviceCodeIntervalSec,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${d.userCode} to authenticate.`,
  });
}

// ---- token endpoint ----

function tokenRequest(ctx: Ctx, form: URLSearchParams): Reply {
  const grant = form.get('grant_type');
  const clientId = form.get('client_id');
  if (!clientId) return oauthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const clientInfo = form.get('client_info') === '1';
  if (grant === 'device_code' || grant === 'urn:ietf:params:oauth:grant-type:device_code') {
    const d = ctx.deviceCodes.get(form.get('device_code') ?? '');
    if (!d || d.clientId !== clientId || d.status === 'redeemed') {
      return oauthError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed (unknown or already redeemed device code).');
    }
    if (d.status === 'expired' || Date.now() > d.expiresAt) {
      d.status = 'expired';
      return oauthError(400, 'expired_token', 70019, 'Verification code expired.');
    }
    const registered = ctx.state.applications.find((a) => a.appId === clientId);
    if (registered && registered.isFallbackPublicClient !== true) {
      // an app registered in this tenant must allow public client flows (portal: "Allow public client flows")
      return oauthError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (d.status === 'pending') return oauthError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
    if (d.status === 'declined') return oauthError(400, 'authorization_declined', 70000, 'The end user declined the authorization request.');
    const user = ctx.findUser(d.userId ?? '');
    if (!user) return oauthError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    const rs = resolveScopes(ctx, d.scopes.join(' '));
    if ('status' in rs) return rs;
    d.status = 'redeemed';
    return issueTokens(ctx, user, clientId, rs, { interactive: true, clientInfo });
  }
  if (grant === 'authorization_code') {
    const c = ctx.authCodes.get(form.get('code') ?? '');
    if (!c || c.clientId !== clientId) return oauthError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed (unknown authorization code).');
    if (c.redeemed) return oauthError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
    if (Date.now() > c.expiresAt) return oauthError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
    if ((form.get('redirect_uri') ?? '') !== c.redirectUri) {
      return oauthError(400, 'invalid_grant', 500112, 'The reply address does not match the reply address provided when requesting Authorization code.');
    }
    if (c.codeChallenge) {
      const verifier = form.get('code_verifier');
      if (!verifier) return oauthError(400, 'invalid_request', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE (no code_verifier sent).');
      const computed = c.codeChallengeMethod === 'S256' ? b64url(createHash('sha256').update(verifier).digest()) : verifier;
      if (computed !== c.codeChallenge) return oauthError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
    }
    c.redeemed = true;
    const user = ctx.findUser(c.userId);
    if (!user) return oauthError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    const rs = resolveScopes(ctx, c.scope);
    if ('status' in rs) return rs;
    return issueTokens(ctx, user, clientId, rs, { interactive: true, nonce: c.nonce, clientInfo });
  }
  if (grant === 'refresh_token') {
    const rt = ctx.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!rt || rt.clientId !== clientId) return oauthError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid (unknown refresh token).');
    if (rt.revoked || Date.now() > rt.expiresAt) {
      return oauthError(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed.', { suberror: 'bad_token' });
    }
    const user = ctx.findUser(rt.userId);
    if (!user) return oauthError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    const rs = resolveScopes(ctx, form.get('scope'));
    if ('status' in rs) return rs;
    return issueTokens(ctx, user, clientId, rs, { interactive: false, clientInfo });
  }
  return oauthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
}

// ---- authorize (the test plays the browser) ----

function isLoopback(uri: URL): boolean {
  return uri.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(uri.hostname);
}

function redirectAllowed(ctx: Ctx, clientId: string, redirectUri: string): boolean {
  let u: URL;
  try {
    u = new URL(redirectUri);
  } catch {
    return false;
  }
  const app = ctx.state.applications.find((a) => a.appId === clientId);
  if (!app) return isLoopback(u); // an unknown (external) public client: loopback only
  const registered = [
    ...(((app.publicClient as Json | null)?.redirectUris as string[] | undefined) ?? []),
    ...(((app.spa as Json | null)?.redirectUris as string[] | undefined) ?? []),
    ...(((app.web as Json | null)?.redirectUris as string[] | undefined) ?? []),
  ];
  if (registered.includes(redirectUri)) return true;
  // Entra ignores the port of loopback redirect URIs registered for public clients.
  return isLoopback(u) && registered.some((r) => {
    try {
      const x = new URL(r);
      return isLoopback(x) && x.pathname === u.pathname;
    } catch {
      return false;
    }
  });
}

function htmlError(status: number, text: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, text: `<!doctype html><title>Sign in</title><p>${text.replace(/[<&>]/g, '')}</p>` };
}

/** The browser sign-in page (mode 'page'): the request's parameters travel on in the form, which POSTs back here. */
function signInPage(q: URLSearchParams): Reply {
  const esc = (x: string) => x.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const hidden = [...q].filter(([k]) => k !== 'login' && k !== 'password').map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}" />`).join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    text:
      `<!doctype html><html lang="en"><head><title>Sign in to your account</title></head><body><main><h1>Sign in</h1>` +
      `<form method="POST" action="">${hidden}<label>Email, phone, or Skype <input name="login" type="email" value="${esc(q.get('login_hint') ?? '')}" /></label>` +
      `<label>Password <input name="password" type="password" /></label><button type="submit" id="idSIButton9">Sign in</button></form></main></body></html>`,
  };
}

function authorizeRequest(ctx: Ctx, q: URLSearchParams): Reply {
  const clientId = q.get('client_id');
  const redirectUri = q.get('redirect_uri');
  if (!clientId) return htmlError(400, "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
  if (!redirectUri || !redirectAllowed(ctx, clientId, redirectUri)) {
    return htmlError(400, `AADSTS50011: The redirect URI '${redirectUri ?? ''}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`);
  }
  const mode = q.get('response_mode') ?? 'query';
  const state = q.get('state');
  const redirect = (params: Record<string, string>): Reply => {
    const p = new URLSearchParams(params);
    if (state !== null) p.set('state', state);
    if (mode === 'form_post') {
      const esc = (x: string) => x.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      const inputs = [...p].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}" />`).join('');
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        text: `<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${esc(redirectUri)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">document.forms[0].submit();</script></body></html>`,
      };
    }
    const target = new URL(redirectUri);
    if (mode === 'fragment') target.hash = p.toString();
    else for (const [k, v] of p) target.searchParams.set(k, v);
    return { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' } };
  };
  if (ctx.authorize.mode === 'error') {
    return redirect({
      error: ctx.authorize.error ?? 'access_denied',
      error_description: ctx.authorize.errorDescription ?? 'AADSTS65004: User declined to consent to access the app.',
    });
  }
  if (q.get('response_type') !== 'code') {
    return redirect({ error: 'unsupported_response_type', error_description: 'AADSTS700054: response_type must be code for this emulator.' });
  }
  const rs = resolveScopes(ctx, q.get('scope'));
  if ('status' in rs) {
    const b = rs.json as { error: string; error_description: string };
    return redirect({ error: b.error, error_description: b.error_description });
  }
  if (ctx.authorize.mode === 'page' && q.get('login') === null) return signInPage(q);
  const hint = q.get('login') || q.get('login_hint');
  const user = (hint && ctx.findUser(hint)) || (q.get('login') === null ? ctx.findUser(ctx.currentUserId) : undefined);
  if (!user) return htmlError(400, 'AADSTS50034: The user account does not exist in the directory.');
  const code = `emu-ac.${b64url(randomBytes(32))}`;
  ctx.authCodes.set(code, {
    code,
    clientId,
    redirectUri,
    userId: user.id,
    scope: q.get('scope') ?? '',
    nonce: q.get('nonce') ?? undefined,
    codeChallenge: q.get('code_challenge') ?? undefined,
    codeChallengeMethod: q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : undefined),
    expiresAt: Date.now() + 10 * 60_000,
    redeemed: false,
  });
  return redirect({ code, client_info: b64url(JSON.stringify({ uid: user.id, utid: ctx.state.tenantId })), session_state: newGuid() });
}

// ---- router ----

export async function handleIdentity(ctx: Ctx, req: EmuRequest): Promise<Reply> {
  const segs = req.path.split('/').filter(Boolean);
  const form = () => new URLSearchParams(req.body.toString('utf8'));
  if (req.method === 'GET' && segs.join('/') === 'common/discovery/instance') {
    const host = new URL(ctx.loginUrl).host;
    return json(200, {
      tenant_discovery_endpoint: `${ctx.loginUrl}/${ctx.state.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }
  if (req.method === 'GET' && segs.length === 1 && segs[0] === 'devicelogin') {
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, text: '<!doctype html><title>Enter code</title><p>Emulated device login: approve codes with emulator.approveDeviceCode().</p>' };
  }
  const [seg, ...rest] = segs;
  if (!seg) return htmlError(404, 'Not found');
  const path = rest.join('/');
  const known = ['v2.0/.well-known/openid-configuration', 'oauth2/v2.0/devicecode', 'oauth2/v2.0/token', 'oauth2/v2.0/authorize', 'oauth2/v2.0/logout', 'discovery/v2.0/keys', 'discovery/keys'];
  if (!known.includes(path)) return json(404, { error: 'not_found', error_description: `The emulator does not serve ${req.path}.` });
  const tenant = resolveTenant(ctx, seg);
  if (!tenant) return unknownTenant(ctx, seg);
  switch (path) {
    case 'v2.0/.well-known/openid-configuration':
      return json(200, openIdConfiguration(ctx, seg, tenant));
    case 'discovery/v2.0/keys':
    case 'discovery/keys':
      return json(200, { keys: [{ ...ctx.key.jwk, issuer: `${ctx.loginUrl}/${ctx.state.tenantId}/v2.0` }] });
    case 'oauth2/v2.0/devicecode':
      if (req.method !== 'POST') break;
      return deviceCodeRequest(ctx, form());
    case 'oauth2/v2.0/token':
      if (req.method !== 'POST') break;
      return tokenRequest(ctx, form());
    case 'oauth2/v2.0/authorize':
      return authorizeRequest(ctx, req.method === 'POST' ? form() : req.query);
    case 'oauth2/v2.0/logout':
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, text: '<!doctype html><p>Signed out.</p>' };
  }
  return json(405, { error: 'invalid_request', error_description: `Method ${req.method} not allowed on ${req.path}.` });
}

export { GRAPH_APP_ID };
