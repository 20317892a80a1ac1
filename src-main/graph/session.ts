// One signed-in Graph session: sign in for the scopes an action needs, then a GraphAccess that refreshes
// its token silently. Used by the CLI (verify/apply) and by the desktop app.
import { canReadGrants, graphScopes, type AccessPurpose } from '../auth/scopes';
import { SignInClient, signIn, type DeviceCodeInfo, type SignInMethod } from '../auth/signin';
import type { TokenCacheStore } from '../auth/cache';
import type { Cloud } from '../core/types';
import { GraphAccess, type GraphStats, type RetryPolicy } from './http';

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
  /** The scopes asked for (for messages; never the token). */
  scopes: string[];
  readGrants: boolean;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const client = new SignInClient({ cloud: opts.cloud, tenant: opts.tenant, clientId: opts.clientId, cache: opts.cache });
  const scopes = graphScopes(opts.cloud, opts.purpose);
  const { signedIn, getToken } = await signIn(client, scopes, {
    method: opts.method,
    user: opts.user,
    onDeviceCode: opts.onDeviceCode,
    openBrowser: opts.openBrowser,
    signal: opts.signal,
  });
  const graph = new GraphAccess({ graphUrl: opts.cloud.graphUrl, getToken, retry: opts.retry, timeoutMs: opts.timeoutMs, stats: opts.stats });
  return {
    graph,
    client,
    tenantId: signedIn.tenantId,
    username: signedIn.account.username,
    scopes,
    readGrants: canReadGrants(opts.purpose),
  };
}
