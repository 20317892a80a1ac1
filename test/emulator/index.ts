// Loopback HTTPS emulator of Microsoft Entra ID (v2 endpoints MSAL uses) and a Microsoft Graph v1.0 subset.
// Tests start it themselves: `const emu = await startEmulator(); ... await emu.stop();`
// Node must trust test/emulator/tls/ca.pem: NODE_EXTRA_CA_CERTS=test/emulator/tls/ca.pem. See README.md.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { GRAPH_APP_ID, type Ctx } from './context';
import { Faults, type RequestInfo } from './faults';
import { handleGraph, newApplication, newServicePrincipal } from './graph';
import { newGuid, oauthError, sleep, type EmuRequest, type Reply } from './http';
import { approveDevice, handleIdentity, openIdConfiguration, resolveScopes } from './identity';
import { b64url, newSigningKey, signJwt } from './jwt';
import {
  ROLE_TEMPLATE_IDS,
  type AuthorizeBehaviour,
  type DeviceCodeInfo,
  type EmulatorOptions,
  type EmuState,
  type EmuStats,
  type EmuUser,
  type Json,
  type UserInput,
} from './types';
import { checkApplication } from './validation';

export * from './types';
export { Faults } from './faults';
export { decodeJwt } from './jwt';
export { GRAPH_APP_ID } from './context';

const TLS_DIR = new URL('./tls/', import.meta.url);
/** Absolute path of the test CA (for NODE_EXTRA_CA_CERTS). */
export const CA_PATH = new URL('ca.pem', TLS_DIR).pathname;

/** Microsoft Graph's delegated scopes the emulator's Graph service principal lists (ids as in Entra). */
export const GRAPH_SCOPES: Record<string, string> = {
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'Application.Read.All': 'c79f8feb-a9db-4090-85f9-90d820caa0eb',
  'Application.ReadWrite.All': 'bdfbf15f-ee85-4955-8675-146e8e5296b5',
  'DelegatedPermissionGrant.ReadWrite.All': '41ce6ca6-6826-4807-84f1-1c82854f7ee5',
  'Directory.Read.All': '06da0dbc-49e2-44d2-8312-53f166ab848a',
  openid: '37f7f235-527c-4136-accd-4a02d197296e',
  profile: '14dad69e-099b-42c9-810b-d002981feec1',
  offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
  email: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0',
};

export interface Emulator {
  /** e.g. https://127.0.0.1:PORT — authority is `${loginUrl}/${tenant}`. */
  readonly loginUrl: string;
  /** Graph base without version, e.g. https://127.0.0.1:PORT2 — requests go to `${graphUrl}/v1.0/...`. */
  readonly graphUrl: string;
  readonly tenantId: string;
  readonly tenantDomain: string;
  /** `${loginUrl}/${tenantId}` */
  readonly authority: string;
  /** Live directory: inspect or seed (applications, servicePrincipals, oauth2PermissionGrants, users...). */
  readonly state: EmuState;
  readonly faults: Faults;
  readonly stats: EmuStats;
  /** Microsoft Graph's service principal object id in this tenant. */
  readonly graphServicePrincipalId: string;
  resetStats(): void;
  stop(): Promise<void>;

  // --- identity ---
  /** The user the emulated browser and device-code approval sign in as. */
  signInAs(upnOrId: string): EmuUser;
  readonly currentUser: EmuUser;
  /** Browser flow behaviour of /authorize: auto sign-in (default) or redirect with an error. */
  setAuthorizeBehaviour(b: AuthorizeBehaviour): void;
  /** Approves a pending device code (the latest when no user code is given), as `asUser` or the current user. */
  approveDeviceCode(userCode?: string, asUser?: string): DeviceCodeInfo;
  declineDeviceCode(userCode?: string): DeviceCodeInfo;
  /** Makes the next poll answer expired_token. */
  expireDeviceCode(userCode?: string): DeviceCodeInfo;
  /** Resolves with the next device code issued (or the pending one, if any). */
  waitForDeviceCode(timeoutMs?: number): Promise<DeviceCodeInfo>;
  readonly deviceCodes: DeviceCodeInfo[];
  /** Auto-approve device codes after `afterMs` (false turns it off). */
  setAutoApprove(afterMs: number | false, asUser?: string): void;
  /** Refresh tokens of a user (all users when omitted) stop working (invalid_grant, interaction required). */
  revokeRefreshTokens(upnOrId?: string): void;
  /** Records that a user consented to scopes for a client (e.g. before a silent refresh for a new scope). */
  grantConsent(upnOrId: string, clientId: string, scopes: string[], resource?: 'graph' | string): void;
  /**
   * Mints an access token directly (no OAuth round trip), for Graph-only tests.
   * scopes: Graph short names (default Application.ReadWrite.All + DelegatedPermissionGrant.ReadWrite.All + User.Read).
   */
  issueToken(opts?: { user?: string; scopes?: string[]; clientId?: string; expiresInSec?: number; audience?: string }): string;
  /**
   * Signs any claims with the emulated cloud's signing key, as Entra ID signs every tenant's tokens with the same
   * keys (the common JWKS): for proof tests of tokens another tenant or issuer received, or without exp.
   */
  signClaims(claims: Json): string;

  // --- directory ---
  /** Creates or updates a user (by UPN). */
  setUser(u: UserInput): EmuUser;
  /** Adds an application as Graph would store it (validated; throws on a rule violation). */
  seedApplication(app: Json, opts?: { servicePrincipal?: boolean }): Json;
  /** Adds the service principal of an existing application (by appId). */
  seedServicePrincipal(appId: string): Json;
  seedGrant(g: { clientId: string; resourceId: string; scope: string; consentType?: 'AllPrincipals' | 'Principal'; principalId?: string | null }): Json;
  /** Empties the directory back to a fresh tenant (Graph's service principal stays; users, faults and stats stay). */
  resetDirectory(): void;
  /** Finds an application by object id, appId or uniqueName (lag ignored). */
  findApplication(key: string): Json | undefined;
}

function readTls() {
  return {
    key: readFileSync(new URL('server-key.pem', TLS_DIR)),
    cert: readFileSync(new URL('server.pem', TLS_DIR)),
  };
}

function makeUser(domain: string, u: UserInput): EmuUser {
  const upn = u.userPrincipalName.includes('@') ? u.userPrincipalName : `${u.userPrincipalName}@${domain}`;
  const local = upn.split('@')[0] ?? upn;
  return {
    id: u.id ?? newGuid(),
    userPrincipalName: upn,
    displayName: u.displayName ?? local.charAt(0).toUpperCase() + local.slice(1),
    roles: u.roles ?? [],
    canConsent: u.canConsent ?? false,
    groups: u.groups ?? [],
  };
}

function defaultUsers(): UserInput[] {
  return [
    {
      userPrincipalName: 'admin',
      displayName: 'Adele Admin',
      roles: ['Global Administrator'],
      canConsent: true,
      groups: [
        { id: newGuid(), displayName: 'ICE Operators', samAccountName: 'ice-operators' },
        { id: newGuid(), displayName: 'Cloud Only Team' },
      ],
    },
    { userPrincipalName: 'appadmin', displayName: 'Alex AppAdmin', roles: ['Application Administrator'], canConsent: true },
    { userPrincipalName: 'user', displayName: 'Uma User', roles: [], canConsent: ['User.Read'] },
  ];
}

function graphServicePrincipal(tenantId: string): Json {
  const app: Json = { appId: GRAPH_APP_ID, displayName: 'Microsoft Graph', signInAudience: 'AzureADMultipleOrgs' };
  return {
    id: newGuid(),
    accountEnabled: true,
    appDisplayName: 'Microsoft Graph',
    appId: GRAPH_APP_ID,
    appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    displayName: 'Microsoft Graph',
    servicePrincipalType: 'Application',
    signInAudience: app.signInAudience,
    servicePrincipalNames: ['https://graph.microsoft.com', GRAPH_APP_ID, 'https://graph.microsoft.com/', 'https://canary.graph.microsoft.com'],
    tags: [],
    appRoles: [],
    replyUrls: [],
    oauth2PermissionScopes: Object.entries(GRAPH_SCOPES).map(([value, id]) => ({
      id,
      value,
      type: value === 'User.Read' || ['openid', 'profile', 'offline_access', 'email'].includes(value) ? 'User' : 'Admin',
      isEnabled: true,
      adminConsentDisplayName: value,
      adminConsentDescription: value,
      userConsentDisplayName: value,
      userConsentDescription: value,
    })),
    createdDateTime: new Date(0).toISOString(),
    deletedDateTime: null,
    notes: `emulated in tenant ${tenantId}`,
  };
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

let warnedUntrusted = false;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  if (!process.env.NODE_EXTRA_CA_CERTS && opts.warnIfUntrusted !== false && !warnedUntrusted) {
    warnedUntrusted = true;
    console.warn(`startEmulator: NODE_EXTRA_CA_CERTS is not set, so HTTPS clients in this process will not trust the emulator. Run with NODE_EXTRA_CA_CERTS=${CA_PATH}`);
  }
  const tenantId = opts.tenantId ?? newGuid();
  const tenantDomain = opts.tenantDomain ?? 'contoso.onmicrosoft.com';
  const users = (opts.users ?? defaultUsers()).map((u) => makeUser(tenantDomain, u));
  if (users.length === 0) throw new Error('startEmulator: at least one user is needed.');
  const graphSp = graphServicePrincipal(tenantId);
  const state: EmuState = {
    tenantId,
    tenantDomain,
    verifiedDomains: [tenantDomain, ...(opts.verifiedDomains ?? [])],
    organizationName: 'Contoso (emulated)',
    applications: [],
    servicePrincipals: [graphSp],
    oauth2PermissionGrants: [],
    users,
    preConsentedScopes: [],
    knownClients: null,
    lag: new Map(),
  };
  const stats: EmuStats = { roundTrips: 0, byHost: { login: 0, graph: 0 }, graphRequests: 0, batches: 0, graphWrites: 0, log: [] };
  const faults = new Faults();
  const key = newSigningKey();
  const baseLatency = opts.latencyMs ?? 0;

  const ctx: Ctx = {
    state,
    stats,
    faults,
    key,
    loginUrl: '',
    graphUrl: '',
    graphAudience: opts.graphAudience ?? GRAPH_APP_ID,
    accessTokenLifetimeSec: opts.accessTokenLifetimeSec ?? 3600,
    deviceCodeIntervalSec: opts.deviceCodeIntervalSec ?? 5,
    deviceCodeExpiresInSec: opts.deviceCodeExpiresInSec ?? 900,
    autoApprove: opts.autoApproveDeviceCodeAfterMs !== undefined ? { afterMs: opts.autoApproveDeviceCodeAfterMs, as: opts.autoApproveAs } : undefined,
    deviceCodes: new Map(),
    deviceCodeWaiters: [],
    authCodes: new Map(),
    refreshTokens: new Map(),
    consents: new Map(),
    authorize: { mode: 'auto' },
    currentUserId: users[0]!.id,
    findUser(idOrUpn) {
      const k = idOrUpn.toLowerCase();
      return state.users.find(
        (u) => u.id.toLowerCase() === k || u.userPrincipalName.toLowerCase() === k || u.userPrincipalName.toLowerCase().split('@')[0] === k,
      );
    },
    isVisible(id, consume) {
      const lag = state.lag.get(id);
      if (!lag) return true;
      if (lag.until !== undefined && Date.now() >= lag.until) {
        state.lag.delete(id);
        return true;
      }
      if (lag.requestsLeft !== undefined) {
        if (lag.requestsLeft <= 0) {
          state.lag.delete(id);
          return true;
        }
        if (consume) lag.requestsLeft--;
        return false;
      }
      return lag.until === undefined;
    },
    markCreated(id, r: RequestInfo) {
      const lag = faults.lagFor(r);
      if (!lag) return;
      state.lag.set(id, {
        until: lag.ms !== undefined ? Date.now() + lag.ms : undefined,
        requestsLeft: lag.requests,
      });
    },
  };

  const tls = readTls();
  const sockets = new Set<{ destroy(): void; on(ev: 'close', f: () => void): unknown }>();

  const send = (res: ServerResponse, host: 'login' | 'graph', reply: Reply) => {
    const headers: Record<string, string> = { ...reply.headers };
    let payload: Buffer | undefined;
    if (reply.text !== undefined) {
      payload = Buffer.from(reply.text, 'utf8');
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else if (reply.json !== undefined && reply.status !== 204) {
      payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
      headers['content-type'] ??=
        host === 'graph' ? 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8' : 'application/json; charset=utf-8';
    }
    if (payload) headers['content-length'] = String(payload.length);
    else if (reply.status !== 204 && reply.status !== 304) headers['content-length'] = '0';
    res.writeHead(reply.status, headers);
    res.end(payload);
  };

  const handler = (host: 'login' | 'graph') => (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      stats.roundTrips++;
      stats.byHost[host]++;
      const url = new URL(req.url ?? '/', 'https://emulator.invalid');
      const method = (req.method ?? 'GET').toUpperCase();
      const matchPath = host === 'graph' ? url.pathname.replace(/^\/(v1\.0|beta)(?=\/|$)/, '') || '/' : url.pathname;
      const info: RequestInfo = { host, method, path: matchPath, inner: false };
      const logPath = `${url.pathname}${url.search}`;
      const entry = { host, method, path: logPath, status: 0, at: Date.now() };
      const drop = faults.take(info, ['drop']);
      if (drop?.kind === 'drop' && drop.phase !== 'after') {
        stats.log.push(entry);
        req.socket.destroy();
        return;
      }
      const body = await readBody(req);
      await sleep(baseLatency + faults.takeLatency(info));
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      const emuReq: EmuRequest = { method, path: url.pathname, query: url.searchParams, headers, body };
      let reply: Reply;
      try {
        if (host === 'login') {
          const f = faults.take(info, ['throttle', 'error']);
          if (f?.kind === 'throttle') {
            reply = oauthError(429, 'temporarily_unavailable', 90050, 'Too many requests (emulated throttling).');
            reply.headers['retry-after'] = String(f.retryAfter ?? 1);
          } else if (f?.kind === 'error') {
            reply = oauthError(f.status, 'temporarily_unavailable', 90050, `Emulated ${f.status} (fault).`);
            if (f.retryAfter !== undefined) reply.headers['retry-after'] = String(f.retryAfter);
          } else reply = await handleIdentity(ctx, emuReq);
        } else {
          reply = await handleGraph(ctx, emuReq, (e) =>
            stats.log.push({ host: 'graph', method: e.method, path: e.path, status: e.status, batchItem: e.batchItem, at: Date.now() }),
          );
        }
      } catch (e) {
        reply = {
          status: 500,
          headers: {},
          json: { error: { code: 'EmulatorBug', message: e instanceof Error ? (e.stack ?? e.message) : String(e) } },
        };
      }
      entry.status = reply.status;
      stats.log.push(entry);
      if (drop) {
        // processed, but the response is lost
        entry.status = 0;
        req.socket.destroy();
        return;
      }
      const after = faults.takeLatency(info, 'after');
      if (after) await sleep(after);
      send(res, host, reply);
    })();
  };

  const loginServer = createServer({ ...tls }, handler('login'));
  const graphServer = createServer({ ...tls }, handler('graph'));
  for (const s of [loginServer, graphServer]) {
    s.on('connection', (sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    s.keepAliveTimeout = 30_000;
  }
  const loginPort = await listen(loginServer, opts.port ?? 0);
  const graphPort = await listen(graphServer, opts.port ? opts.port + 1 : 0);
  ctx.loginUrl = `https://127.0.0.1:${loginPort}`;
  ctx.graphUrl = `https://127.0.0.1:${graphPort}`;

  const pickDevice = (userCode?: string): DeviceCodeInfo => {
    const all = [...ctx.deviceCodes.values()];
    const d = userCode ? all.find((x) => x.userCode === userCode) : all.filter((x) => x.status === 'pending').pop();
    if (!d) throw new Error(userCode ? `No device code with user code ${userCode}.` : 'No pending device code: has the client called /devicecode yet?');
    return d;
  };
  const userOrThrow = (k: string): EmuUser => {
    const u = ctx.findUser(k);
    if (!u) throw new Error(`No user '${k}' in the emulated tenant (users: ${state.users.map((x) => x.userPrincipalName).join(', ')}).`);
    return u;
  };

  const emu: Emulator = {
    loginUrl: ctx.loginUrl,
    graphUrl: ctx.graphUrl,
    tenantId,
    tenantDomain,
    authority: `${ctx.loginUrl}/${tenantId}`,
    state,
    faults,
    stats,
    graphServicePrincipalId: String(graphSp.id),
    resetStats() {
      stats.roundTrips = 0;
      stats.byHost.login = 0;
      stats.byHost.graph = 0;
      stats.graphRequests = 0;
      stats.batches = 0;
      stats.graphWrites = 0;
      stats.log.length = 0;
    },
    async stop() {
      ctx.deviceCodeWaiters.length = 0;
      for (const s of sockets) s.destroy();
      await Promise.all([loginServer, graphServer].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
    signInAs(k) {
      const u = userOrThrow(k);
      ctx.currentUserId = u.id;
      return u;
    },
    get currentUser() {
      return userOrThrow(ctx.currentUserId);
    },
    setAuthorizeBehaviour(b) {
      ctx.authorize = b;
    },
    approveDeviceCode(userCode, asUser) {
      const d = pickDevice(userCode);
      approveDevice(ctx, d, userOrThrow(asUser ?? ctx.currentUserId).id);
      return d;
    },
    declineDeviceCode(userCode) {
      const d = pickDevice(userCode);
      if (d.status === 'pending') d.status = 'declined';
      return d;
    },
    expireDeviceCode(userCode) {
      const d = pickDevice(userCode);
      d.status = 'expired';
      return d;
    },
    waitForDeviceCode(timeoutMs = 10_000) {
      const pending = [...ctx.deviceCodes.values()].filter((x) => x.status === 'pending').pop();
      if (pending) return Promise.resolve(pending);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`No device code was requested within ${timeoutMs} ms.`)), timeoutMs);
        t.unref();
        ctx.deviceCodeWaiters.push((d) => {
          clearTimeout(t);
          resolve(d);
        });
      });
    },
    get deviceCodes() {
      return [...ctx.deviceCodes.values()];
    },
    setAutoApprove(afterMs, asUser) {
      ctx.autoApprove = afterMs === false ? undefined : { afterMs, as: asUser };
    },
    revokeRefreshTokens(k) {
      const id = k ? userOrThrow(k).id : undefined;
      for (const rt of ctx.refreshTokens.values()) if (!id || rt.userId === id) rt.revoked = true;
    },
    grantConsent(k, clientId, scopes, resource = 'graph') {
      const key = `${userOrThrow(k).id}|${clientId}|${resource}`;
      ctx.consents.set(key, new Set([...(ctx.consents.get(key) ?? []), ...scopes]));
    },
    signClaims(claims) {
      return signJwt(key, claims);
    },
    issueToken(o = {}) {
      const u = userOrThrow(o.user ?? ctx.currentUserId);
      const clientId = o.clientId ?? '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
      const scopes = o.scopes ?? ['Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'User.Read'];
      const rs = resolveScopes(ctx, scopes.join(' '));
      if ('status' in rs && 'headers' in rs) throw new Error(`issueToken: ${JSON.stringify(rs.json)}`);
      const now = Math.floor(Date.now() / 1000);
      return signJwt(
        key,
        {
          aud: o.audience ?? ctx.graphAudience,
          iss: `https://sts.windows.net/${tenantId}/`,
          iat: now,
          nbf: now,
          exp: now + (o.expiresInSec ?? ctx.accessTokenLifetimeSec),
          appid: clientId,
          name: u.displayName,
          oid: u.id,
          scp: scopes.join(' '),
          sub: b64url(createHash('sha256').update(u.id).digest()),
          tid: tenantId,
          unique_name: u.userPrincipalName,
          upn: u.userPrincipalName,
          uti: b64url(randomBytes(16)),
          ver: '1.0',
          wids: u.roles.map((r) => ROLE_TEMPLATE_IDS[r]).filter(Boolean),
        },
        { headerNonce: true },
      );
    },
    setUser(input) {
      const existing = ctx.findUser(input.userPrincipalName.includes('@') ? input.userPrincipalName : `${input.userPrincipalName}@${tenantDomain}`);
      if (existing) {
        if (input.displayName !== undefined) existing.displayName = input.displayName;
        if (input.roles !== undefined) existing.roles = input.roles;
        if (input.canConsent !== undefined) existing.canConsent = input.canConsent;
        if (input.groups !== undefined) existing.groups = input.groups;
        return existing;
      }
      const u = makeUser(tenantDomain, input);
      state.users.push(u);
      return u;
    },
    seedApplication(body, o = {}) {
      const app = newApplication(ctx, body);
      if (typeof body.appId === 'string') app.appId = body.appId;
      if (typeof body.id === 'string') app.id = body.id;
      const others = new Set(state.applications.flatMap((a) => ((a.identifierUris as string[]) ?? []).map((u) => u.toLowerCase())));
      const err = checkApplication(app, undefined, { tenantId, verifiedDomains: state.verifiedDomains, otherIdentifierUris: others });
      if (err) throw new Error(`seedApplication: ${err.code}: ${err.message}`);
      state.applications.push(app);
      if (o.servicePrincipal) emu.seedServicePrincipal(String(app.appId));
      return app;
    },
    seedServicePrincipal(appId) {
      const app = state.applications.find((a) => a.appId === appId);
      if (!app) throw new Error(`seedServicePrincipal: no application with appId ${appId}.`);
      const sp = newServicePrincipal(ctx, app);
      state.servicePrincipals.push(sp);
      return sp;
    },
    seedGrant(g) {
      const grant: Json = {
        clientId: g.clientId,
        consentType: g.consentType ?? 'AllPrincipals',
        id: b64url(randomBytes(32)).slice(0, 43),
        principalId: g.principalId ?? null,
        resourceId: g.resourceId,
        scope: g.scope,
      };
      state.oauth2PermissionGrants.push(grant);
      return grant;
    },
    resetDirectory() {
      state.applications.length = 0;
      state.servicePrincipals.splice(0, state.servicePrincipals.length, graphSp);
      state.oauth2PermissionGrants.length = 0;
      state.preConsentedScopes.length = 0;
      state.lag.clear();
      ctx.consents.clear();
    },
    findApplication(k) {
      const x = k.toLowerCase();
      return state.applications.find((a) => [a.id, a.appId, a.uniqueName].some((v) => typeof v === 'string' && v.toLowerCase() === x));
    },
  };
  return emu;
}

/**
 * A ready @azure/msal-node Configuration for a public client against the emulator. `knownAuthorities` makes MSAL
 * skip cloud instance discovery (which it would send to login.microsoftonline.com); with `preloadMetadata` the
 * OpenID metadata is given too, so MSAL makes no discovery round trip at all.
 */
export function msalConfigFor(
  emu: Emulator,
  clientId: string,
  o: { tenant?: string; preloadMetadata?: boolean } = {},
): { auth: { clientId: string; authority: string; knownAuthorities: string[]; authorityMetadata?: string } } {
  const tenant = o.tenant ?? emu.tenantId;
  const auth: { clientId: string; authority: string; knownAuthorities: string[]; authorityMetadata?: string } = {
    clientId,
    authority: `${emu.loginUrl}/${tenant}`,
    knownAuthorities: [new URL(emu.loginUrl).host],
  };
  if (o.preloadMetadata) auth.authorityMetadata = JSON.stringify(emulatorOpenIdConfiguration(emu, tenant));
  return { auth };
}

/** The OpenID metadata document the emulator serves for a tenant (id, domain, 'organizations' or 'common'). */
export function emulatorOpenIdConfiguration(emu: Emulator, tenant: string = emu.tenantId): Json {
  const multi = tenant.toLowerCase() === 'organizations' || tenant.toLowerCase() === 'common';
  return openIdConfiguration(
    { loginUrl: emu.loginUrl, graphUrl: emu.graphUrl, state: emu.state } as unknown as Ctx,
    tenant,
    multi ? { kind: 'multi', name: tenant.toLowerCase() as 'organizations' | 'common' } : { kind: 'tenant' },
  );
}

/** Options for @microsoft/microsoft-graph-client's Client.init / initWithMiddleware against the emulator. */
export function graphClientOptionsFor(emu: Emulator): { baseUrl: string; customHosts: Set<string>; defaultVersion: string } {
  return { baseUrl: emu.graphUrl, customHosts: new Set([new URL(emu.graphUrl).hostname]), defaultVersion: 'v1.0' };
}

/**
 * Plays the system browser for MSAL's acquireTokenInteractive({ openBrowser }): loads the authorize URL (the emulator
 * signs the user in at once) and delivers the answer to the loopback redirect URI, as a form POST (response_mode
 * form_post, what MSAL node 7 uses) or by following the 302 (query/fragment). Resolves once the redirect URI answered.
 */
export async function emulatedBrowser(url: string): Promise<void> {
  const res = await fetch(url, { redirect: 'manual' });
  if (res.status === 302) {
    const location = res.headers.get('location');
    if (!location) throw new Error('emulatedBrowser: 302 without Location.');
    await (await fetch(location)).text();
    return;
  }
  const html = await res.text();
  const form = /<form[^>]*method="POST"[^>]*action="([^"]+)"/i.exec(html);
  if (res.status !== 200 || !form) throw new Error(`emulatedBrowser: the authorize page answered ${res.status}: ${html.slice(0, 300)}`);
  const unesc = (x: string) => x.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) fields.append(unesc(m[1]!), unesc(m[2]!));
  await (await fetch(unesc(form[1]!), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() })).text();
}
