// The one owner of the MSAL client and the signed-in account, for both front ends: it signs in for the
// permissions an action needs (least privilege), keeps the client (and so its token cache) while the cloud,
// tenant and client id stay the same, and hands out Graph sessions that refresh their token silently. When an
// action needs more permissions (apply after verify, revoking a leftover grant), `require` asks for them:
// silently when consent exists, else with an interactive sign-in for those scopes (where an admin sees Entra's
// consent prompt). The cache store differs: memory or the config folder for the CLI, safeStorage for the app.
// Tokens never leave here.
import type { AccountInfo } from '@azure/msal-node';
import type { TokenCacheStore } from '../auth/cache';
import { graphPermissions, graphScopes, type AccessPurpose } from '../auth/scopes';
import { SignInClient, signIn, type DeviceCodeInfo, type SignInMethod } from '../auth/signin';
import type { Cloud } from '../core/types';
import { GraphAccess, type GraphStats, type RetryPolicy } from '../graph/http';

/** Why an interactive sign-in happens: 'consent' when the saved sign-in lacks consent for these permissions. */
export interface InteractiveNotice {
  reason: 'consent' | 'sign-in';
  /** Short Graph permission names asked for. */
  permissions: string[];
}

export interface SignInHooks {
  /** Shows the device code (CLI: stderr; app: the auth.deviceCode event), with the cloud that issued it and why. */
  onDeviceCode?: (info: DeviceCodeInfo, cloud: Cloud, why: InteractiveNotice) => void;
  /** Opens the system browser for a browser sign-in (the cloud tells which login host to allow). */
  openBrowser?: (url: string, cloud: Cloud) => Promise<void>;
  /** Told before each interactive sign-in (first sign-in, or a consent step-up). */
  onInteractive?: (n: InteractiveNotice) => void;
}

export interface SignInsOptions extends SignInHooks {
  cache?: TokenCacheStore;
  /** Public client to sign in with (default: the auth module's). */
  clientId?: string;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

export interface SessionRequest {
  cloud: Cloud;
  tenant: string;
  purpose: AccessPurpose;
  method: SignInMethod;
  /** Username or homeAccountId of the account to use silently; default: the account signed in before. */
  user?: string;
  /** The sign-in client for this request (a site may name its own); default: the owner's. */
  clientId?: string;
  signal?: AbortSignal;
  stats?: GraphStats;
}

/** One signed-in Graph session. */
export interface Session {
  graph: GraphAccess;
  /** The tenant (directory) id from the token (tid). */
  tenantId: string;
  /** The signed-in user's UPN. */
  username: string;
  /** The account's display name, when the token has one. */
  name?: string;
  /** MSAL's homeAccountId of the signed-in account (to find it again silently; not a secret). */
  accountId: string;
  /** The scopes asked for (for messages; never the token). Grows with `require`. */
  scopes: string[];
  /** Whether the token may read oauth2PermissionGrants (the read permissions include it). */
  readGrants: boolean;
  method: SignInMethod;
  /** Interactive sign-ins this session made (device codes shown or browser sign-ins), for counting. */
  interactiveSignIns: number;
  /**
   * Makes sure the token carries these Graph permissions (short names) on top of the current ones: silently when
   * consented, else an interactive sign-in for them. Later Graph calls use the new token.
   */
  require(permissions: string[], signal?: AbortSignal): Promise<void>;
}

interface Current {
  key: string;
  client: SignInClient;
  account: AccountInfo;
  tenantId: string;
  method: SignInMethod;
}

function shortName(scope: string): string {
  return scope.replace(/^.*\//, '');
}

export class SignIns {
  private current: Current | null = null;
  private signInAbort: AbortController | null = null;

  constructor(private readonly opts: SignInsOptions = {}) {}

  /** Who is signed in (no token), or null. */
  account(): { username: string; tenantId: string; name?: string; method: SignInMethod; accountId: string } | null {
    const c = this.current;
    if (!c) return null;
    return { username: c.account.username, tenantId: c.tenantId, ...(c.account.name ? { name: c.account.name } : {}), method: c.method, accountId: c.account.homeAccountId };
  }

  private key(cloud: Cloud, tenant: string, clientId: string | undefined): string {
    return JSON.stringify([cloud.loginUrl, cloud.graphUrl, tenant.trim().toLowerCase(), clientId ?? '']);
  }

  /** One sign-in (silent when it can be) for `scopes`; a new one cancels the one waiting (a device code nobody will enter). */
  private async acquire(client: SignInClient, req: SessionRequest, scopes: string[], user: string | undefined, signal: AbortSignal | undefined) {
    this.signInAbort?.abort();
    const abort = new AbortController();
    this.signInAbort = abort;
    const onOuterAbort = () => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (signal?.aborted) onOuterAbort();
    let why: InteractiveNotice = { reason: 'sign-in', permissions: [] };
    try {
      return await signIn(client, scopes, {
        method: req.method,
        ...(user ? { user } : {}),
        signal: abort.signal,
        onInteractive: (e) => {
          why = { reason: e.reason, permissions: e.scopes.map(shortName) };
          this.opts.onInteractive?.(why);
        },
        ...(this.opts.onDeviceCode ? { onDeviceCode: (info: DeviceCodeInfo) => this.opts.onDeviceCode!(info, req.cloud, why) } : {}),
        ...(this.opts.openBrowser ? { openBrowser: (url: string) => this.opts.openBrowser!(url, req.cloud) } : {}),
      });
    } finally {
      signal?.removeEventListener('abort', onOuterAbort);
      if (this.signInAbort === abort) this.signInAbort = null;
    }
  }

  /** Signs in for `purpose` (silently when the account already consented), and returns a Graph session. */
  async open(req: SessionRequest): Promise<Session> {
    const clientId = req.clientId ?? this.opts.clientId;
    const key = this.key(req.cloud, req.tenant, clientId);
    const same = this.current?.key === key ? this.current : null;
    const client = same?.client ?? new SignInClient({ cloud: req.cloud, tenant: req.tenant, clientId, cache: this.opts.cache });
    const base = req.cloud.graphUrl.replace(/\/+$/, '');
    let scopes = graphScopes(req.cloud, req.purpose);
    const first = await this.acquire(client, req, scopes, req.user ?? same?.account.username, req.signal);
    let getToken = first.getToken;
    let account = first.signedIn.account;
    const remember = () => (this.current = { key, client, account, tenantId: first.signedIn.tenantId, method: req.method });
    remember();
    const graph = new GraphAccess({ graphUrl: req.cloud.graphUrl, getToken: () => getToken(), retry: this.opts.retry, timeoutMs: this.opts.timeoutMs, stats: req.stats });
    const session: Session = {
      graph,
      tenantId: first.signedIn.tenantId,
      username: account.username,
      ...(account.name ? { name: account.name } : {}),
      accountId: account.homeAccountId,
      scopes,
      readGrants: true,
      method: req.method,
      interactiveSignIns: first.interactive ? 1 : 0,
      require: async (permissions, signal) => {
        const have = new Set(scopes.map(shortName));
        const missing = permissions.filter((p) => !have.has(p));
        if (!missing.length) return;
        const wanted = [...scopes, ...missing.map((p) => `${base}/${p}`)];
        const r = await this.acquire(client, req, wanted, account.homeAccountId, signal ?? req.signal);
        if (r.interactive) session.interactiveSignIns++;
        getToken = r.getToken;
        account = r.signedIn.account;
        scopes = wanted;
        session.scopes = wanted;
        remember();
      },
    };
    return session;
  }

  /** Cancels a sign-in in progress (true when there was one). */
  cancelSignIn(): boolean {
    if (!this.signInAbort) return false;
    this.signInAbort.abort();
    return true;
  }

  /** Forgets the account: removed from the client's cache, and the cache store cleared. */
  async signOut(): Promise<void> {
    this.cancelSignIn();
    const c = this.current;
    this.current = null;
    if (c) await c.client.signOut().catch(() => undefined);
    await this.opts.cache?.clear();
  }
}

/** A one-off session (tests, benchmarks): a fresh owner, one sign-in. */
export function openSession(opts: SignInsOptions & SessionRequest): Promise<Session> {
  const { cloud, tenant, purpose, method, user, signal, stats, ...owner } = opts;
  return new SignIns(owner).open({ cloud, tenant, purpose, method, ...(user ? { user } : {}), ...(signal ? { signal } : {}), ...(stats ? { stats } : {}) });
}

/** The Graph permissions (short names) a purpose needs. */
export function permissionsFor(purpose: AccessPurpose): string[] {
  return graphPermissions(purpose);
}
