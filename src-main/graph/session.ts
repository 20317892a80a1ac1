// One signed-in Graph session: sign in for the scopes an action needs, then a GraphAccess that refreshes
// its token silently. When an action needs more permissions (apply after verify, revoking a leftover grant),
// `require` asks for them: silently when consent exists, else with an interactive sign-in for those scopes
// (where an admin sees Entra's consent prompt). Used by the CLI (verify/apply) and by the desktop app.
import { graphPermissions, graphScopes, type AccessPurpose } from '../auth/scopes';
import { SignInClient, signIn, type DeviceCodeInfo, type SignInMethod } from '../auth/signin';
import type { TokenCacheStore } from '../auth/cache';
import type { Cloud } from '../core/types';
import { GraphAccess, type GraphStats, type RetryPolicy } from './http';

export interface InteractiveNotice {
  /** 'consent': the saved sign-in lacks consent for these permissions; 'sign-in': no usable saved sign-in. */
  reason: 'consent' | 'sign-in';
  /** Short Graph permission names asked for. */
  permissions: string[];
}

export interface SessionOptions {
  cloud: Cloud;
  tenant: string;
  clientId?: string;
  purpose: AccessPurpose;
  method: SignInMethod;
  /** Username or homeAccountId of a cached account to use silently. */
  user?: string;
  cache?: TokenCacheStore;
  onDeviceCode?: (info: DeviceCodeInfo) => void;
  openBrowser?: (url: string) => Promise<void>;
  /** Told before each interactive sign-in (first sign-in, or a consent step-up). */
  onInteractive?: (n: InteractiveNotice) => void;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  stats?: GraphStats;
}

export interface Session {
  graph: GraphAccess;
  client: SignInClient;
  /** The tenant (directory) id from the token (tid). */
  tenantId: string;
  /** The signed-in user's UPN. */
  username: string;
  /** MSAL's homeAccountId of the signed-in account (to find it again silently; not a secret). */
  accountId: string;
  /** The scopes asked for (for messages; never the token). Grows with `require`. */
  scopes: string[];
  readGrants: boolean;
  /** Interactive sign-ins this session made (device codes shown or browser sign-ins), for counting. */
  interactiveSignIns: number;
  /**
   * Makes sure the token carries these Graph permissions (short names) on top of the current ones: silently when
   * consented, else an interactive sign-in for them. Later Graph calls use the new token.
   */
  require(permissions: string[], signal?: AbortSignal): Promise<void>;
}

function shortName(scope: string): string {
  return scope.replace(/^.*\//, '');
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const client = new SignInClient({ cloud: opts.cloud, tenant: opts.tenant, clientId: opts.clientId, cache: opts.cache });
  const base = opts.cloud.graphUrl.replace(/\/+$/, '');
  let scopes = graphScopes(opts.cloud, opts.purpose);
  const acquire = async (wanted: string[], user: string | undefined, signal: AbortSignal | undefined) =>
    signIn(client, wanted, {
      method: opts.method,
      user,
      onDeviceCode: opts.onDeviceCode,
      openBrowser: opts.openBrowser,
      signal,
      onInteractive: (e) => opts.onInteractive?.({ reason: e.reason, permissions: e.scopes.map(shortName) }),
    });
  const first = await acquire(scopes, opts.user, opts.signal);
  let getToken = first.getToken;
  let account = first.signedIn.account;
  const graph = new GraphAccess({ graphUrl: opts.cloud.graphUrl, getToken: () => getToken(), retry: opts.retry, timeoutMs: opts.timeoutMs, stats: opts.stats });
  const session: Session = {
    graph,
    client,
    tenantId: first.signedIn.tenantId,
    username: account.username,
    accountId: account.homeAccountId,
    scopes,
    readGrants: true,
    interactiveSignIns: first.interactive ? 1 : 0,
    async require(permissions, signal) {
      const have = new Set(scopes.map(shortName));
      const missing = permissions.filter((p) => !have.has(p));
      if (!missing.length) return;
      const wanted = [...scopes, ...missing.map((p) => `${base}/${p}`)];
      const r = await acquire(wanted, account.homeAccountId, signal ?? opts.signal);
      if (r.interactive) session.interactiveSignIns++;
      getToken = r.getToken;
      account = r.signedIn.account;
      scopes = wanted;
      session.scopes = wanted;
    },
  };
  return session;
}

/** The Graph permissions (short names) a purpose needs. */
export function permissionsFor(purpose: AccessPurpose): string[] {
  return graphPermissions(purpose);
}
