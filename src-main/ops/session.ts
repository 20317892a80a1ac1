// The one owner of the MSAL client and the signed-in account, for both front ends: it signs in for the
// permissions an action needs (least privilege), keeps the client (and so its token cache) while the cloud,
// tenant and client id stay the same, and hands out Graph sessions that refresh their token silently.
// The cache store differs: memory (or a file) for the CLI, safeStorage for the app. Tokens never leave here.
import type { AccountInfo } from '@azure/msal-node';
import type { TokenCacheStore } from '../auth/cache';
import { canReadGrants, graphScopes, type AccessPurpose } from '../auth/scopes';
import { SignInClient, signIn, type DeviceCodeInfo, type SignInMethod } from '../auth/signin';
import type { Cloud } from '../core/types';
import { GraphAccess, type GraphStats, type RetryPolicy } from '../graph/http';

export interface SignInHooks {
  /** Shows the device code (CLI: stderr; app: the auth.deviceCode event), with the cloud whose login host issued it. */
  onDeviceCode?: (info: DeviceCodeInfo, cloud: Cloud) => void;
  /** Opens the system browser for a browser sign-in (the cloud tells which login host to allow). */
  openBrowser?: (url: string, cloud: Cloud) => Promise<void>;
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
  /** Username (login hint) of the account to use silently; default: the account signed in before. */
  user?: string;
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
  /** The scopes asked for (for messages; never the token). */
  scopes: string[];
  /** Whether the token may read oauth2PermissionGrants. */
  readGrants: boolean;
  method: SignInMethod;
}

interface Current {
  key: string;
  client: SignInClient;
  account: AccountInfo;
  tenantId: string;
  method: SignInMethod;
}

export class SignIns {
  private current: Current | null = null;
  private signInAbort: AbortController | null = null;

  constructor(private readonly opts: SignInsOptions = {}) {}

  /** Who is signed in (no token), or null. */
  account(): { username: string; tenantId: string; name?: string; method: SignInMethod } | null {
    const c = this.current;
    if (!c) return null;
    return { username: c.account.username, tenantId: c.tenantId, ...(c.account.name ? { name: c.account.name } : {}), method: c.method };
  }

  private key(cloud: Cloud, tenant: string): string {
    return JSON.stringify([cloud.loginUrl, cloud.graphUrl, tenant.trim().toLowerCase(), this.opts.clientId ?? '']);
  }

  /** Signs in for `purpose` (silently when the account already consented), and returns a Graph session. */
  async open(req: SessionRequest): Promise<Session> {
    const key = this.key(req.cloud, req.tenant);
    const same = this.current?.key === key ? this.current : null;
    const client = same?.client ?? new SignInClient({ cloud: req.cloud, tenant: req.tenant, clientId: this.opts.clientId, cache: this.opts.cache });
    // One sign-in at a time: a new one cancels the one waiting (a device code nobody will enter).
    this.signInAbort?.abort();
    const abort = new AbortController();
    this.signInAbort = abort;
    const onOuterAbort = () => abort.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (req.signal?.aborted) onOuterAbort();
    try {
      const scopes = graphScopes(req.cloud, req.purpose);
      const user = req.user ?? same?.account.username;
      const { signedIn, getToken } = await signIn(client, scopes, {
        method: req.method,
        ...(user ? { user } : {}),
        signal: abort.signal,
        ...(this.opts.onDeviceCode ? { onDeviceCode: (info: DeviceCodeInfo) => this.opts.onDeviceCode!(info, req.cloud) } : {}),
        ...(this.opts.openBrowser ? { openBrowser: (url: string) => this.opts.openBrowser!(url, req.cloud) } : {}),
      });
      this.current = { key, client, account: signedIn.account, tenantId: signedIn.tenantId, method: req.method };
      const graph = new GraphAccess({ graphUrl: req.cloud.graphUrl, getToken, retry: this.opts.retry, timeoutMs: this.opts.timeoutMs, stats: req.stats });
      return {
        graph,
        tenantId: signedIn.tenantId,
        username: signedIn.account.username,
        ...(signedIn.account.name ? { name: signedIn.account.name } : {}),
        scopes,
        readGrants: canReadGrants(req.purpose),
        method: req.method,
      };
    } finally {
      req.signal?.removeEventListener('abort', onOuterAbort);
      if (this.signInAbort === abort) this.signInAbort = null;
    }
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
