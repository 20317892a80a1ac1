// Signing in to a customer's Entra ID tenant with MSAL's public client: device code, system browser
// (loopback redirect), silent from the cache, account picker and sign-out. No Electron here.
import { LogLevel, PublicClientApplication, type AccountInfo, type AuthenticationResult, type DeviceCodeRequest } from '@azure/msal-node';
import type { Cloud } from '../core/types';
import { MemoryTokenCacheStore, cachePlugin, type TokenCacheStore } from './cache';
import { SignInError, toSignInError } from './errors';

/**
 * "Microsoft Graph Command Line Tools", Microsoft's first-party public client (the one Graph PowerShell
 * uses). It can ask for any delegated Graph scope, but some tenants block it or require an admin to consent
 * first: then an admin registers the organisation's own public client and passes it with --client-id.
 */
export const DEFAULT_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

export interface SignInOptions {
  cloud: Cloud;
  /** Tenant id (GUID) or a verified domain (contoso.onmicrosoft.com). */
  tenant: string;
  clientId?: string;
  cache?: TokenCacheStore;
}

export interface DeviceCodeInfo {
  userCode: string;
  verificationUri: string;
  /** When the code stops working. */
  expiresAt: Date;
  /** Microsoft's own sentence telling the user what to do. */
  message: string;
}

/** A token with who and where it is for. `accessToken` is a secret: never print or log it. */
export interface SignedIn {
  accessToken: string;
  expiresOn: Date | null;
  tenantId: string;
  account: AccountInfo;
  scopes: string[];
}

const TENANT_RE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)$/i;

/** Checks a --tenant value: a GUID or a domain name. 'common'/'organizations' are refused (the assistant works on one tenant). */
export function checkTenant(tenant: string): string | null {
  const t = tenant.trim();
  if (!t) return 'The tenant is missing: give the tenant id (GUID) or a verified domain, e.g. contoso.onmicrosoft.com.';
  if (/^(common|organizations|consumers)$/i.test(t)) return `"${t}" is not one tenant: give the tenant id (GUID) or a verified domain, e.g. contoso.onmicrosoft.com.`;
  if (!TENANT_RE.test(t)) return `"${t}" is neither a tenant id (GUID) nor a domain name: give e.g. contoso.onmicrosoft.com.`;
  return null;
}

function toResult(r: AuthenticationResult | null, context: { scopes: string[] }): SignedIn {
  if (!r || !r.accessToken || !r.account) throw new SignInError('failed', 'Sign-in returned no token.');
  return {
    accessToken: r.accessToken,
    expiresOn: r.expiresOn ?? null,
    tenantId: r.tenantId || r.account.tenantId,
    account: r.account,
    scopes: r.scopes.length ? r.scopes : context.scopes,
  };
}

function abortError(): SignInError {
  return new SignInError('cancelled', 'Sign-in was cancelled.');
}

export class SignInClient {
  readonly authority: string;
  readonly clientId: string;
  readonly cloud: Cloud;
  private readonly pca: PublicClientApplication;

  constructor(opts: SignInOptions) {
    const problem = checkTenant(opts.tenant);
    if (problem) throw new SignInError('config', problem);
    this.cloud = opts.cloud;
    this.clientId = opts.clientId?.trim() || DEFAULT_CLIENT_ID;
    const loginUrl = opts.cloud.loginUrl.replace(/\/+$/, '');
    this.authority = `${loginUrl}/${opts.tenant.trim()}`;
    const loginHost = new URL(loginUrl).host;
    this.pca = new PublicClientApplication({
      auth: {
        clientId: this.clientId,
        authority: this.authority,
        // Our own login host is trusted as is: MSAL does not ask Microsoft for instance discovery
        // (air-gapped clouds and the test emulator have no route to Microsoft).
        knownAuthorities: [loginHost],
      },
      cache: { cachePlugin: cachePlugin(opts.cache ?? new MemoryTokenCacheStore()) },
      system: {
        // MSAL's own log stays off: it must never reach a console or a file with personal data.
        loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false, logLevel: LogLevel.Error },
      },
    });
  }

  private ctx(scopes: string[]) {
    return { scopes, authority: this.authority, clientId: this.clientId };
  }

  /** Device code flow: `onCode` gets the code, URL, expiry and message to show; `signal` cancels the wait. */
  async deviceCode(scopes: string[], opts: { onCode: (info: DeviceCodeInfo) => void; signal?: AbortSignal }): Promise<SignedIn> {
    if (opts.signal?.aborted) throw abortError();
    const request: DeviceCodeRequest = {
      scopes,
      deviceCodeCallback: (r) =>
        opts.onCode({
          userCode: r.userCode,
          verificationUri: r.verificationUri,
          expiresAt: new Date(Date.now() + r.expiresIn * 1000),
          message: r.message,
        }),
    };
    // MSAL polls while request.cancel is false (it keeps this very object): abort flips it.
    const onAbort = () => {
      request.cancel = true;
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await this.pca.acquireTokenByDeviceCode(request);
      if (opts.signal?.aborted) throw abortError();
      return toResult(r, { scopes });
    } catch (e) {
      if (opts.signal?.aborted) throw abortError();
      throw toSignInError(e, { ...this.ctx(scopes), flow: 'device-code' });
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Interactive flow in a browser with a loopback redirect (http://localhost:<port>) and PKCE.
   * `openBrowser` gets the authorize URL: the CLI passes openSystemBrowser, tests drive it themselves.
   */
  async browser(
    scopes: string[],
    opts: { openBrowser: (url: string) => Promise<void>; signal?: AbortSignal; loginHint?: string },
  ): Promise<SignedIn> {
    if (opts.signal?.aborted) throw abortError();
    const run = this.pca.acquireTokenInteractive({
      scopes,
      openBrowser: opts.openBrowser,
      ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
      successTemplate: 'Signed in. You can close this window and return to ICE SSO Assistant.',
      errorTemplate: 'Sign-in failed: {{error}}. Return to ICE SSO Assistant for details.',
    });
    const signal = opts.signal;
    try {
      const r = signal
        ? await Promise.race([
            run,
            new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(abortError()), { once: true })),
          ])
        : await run;
      return toResult(r, { scopes });
    } catch (e) {
      // A cancelled wait leaves MSAL's loopback listener to end with the browser; swallow its later outcome.
      run.catch(() => undefined);
      throw toSignInError(e, this.ctx(scopes));
    }
  }

  /** A token from the cache (refreshing it when needed); null when the user has to sign in interactively. */
  async silent(scopes: string[], account: AccountInfo, opts: { forceRefresh?: boolean } = {}): Promise<SignedIn | null> {
    try {
      const r = await this.pca.acquireTokenSilent({ scopes, account, forceRefresh: opts.forceRefresh ?? false });
      return toResult(r, { scopes });
    } catch (e) {
      const err = toSignInError(e, this.ctx(scopes));
      if (err.code === 'interaction-required') return null;
      throw err;
    }
  }

  /** Accounts that signed in before (from the cache). */
  async accounts(): Promise<AccountInfo[]> {
    return this.pca.getAllAccounts();
  }

  /** Picks an account by username (UPN, case-insensitive) or homeAccountId; with no selector, the only account. */
  async pickAccount(selector?: string): Promise<AccountInfo | null> {
    const all = await this.accounts();
    if (!selector) return all.length === 1 ? all[0]! : null;
    const s = selector.trim().toLowerCase();
    return all.find((a) => a.username.toLowerCase() === s || a.homeAccountId.toLowerCase() === s) ?? null;
  }

  /** Forgets an account's tokens (or all accounts) in the cache. */
  async signOut(account?: AccountInfo): Promise<void> {
    const cache = this.pca.getTokenCache();
    const targets = account ? [account] : await this.accounts();
    for (const a of targets) await cache.removeAccount(a);
  }
}

export type SignInMethod = 'device-code' | 'browser';

/**
 * Gets a token: silently for a known account (`user`, or the only cached one), else with the chosen flow.
 * Returns the sign-in plus a provider that refreshes silently for later calls (the Graph client's).
 */
export async function signIn(
  client: SignInClient,
  scopes: string[],
  opts: {
    method: SignInMethod;
    user?: string;
    onDeviceCode?: (info: DeviceCodeInfo) => void;
    openBrowser?: (url: string) => Promise<void>;
    signal?: AbortSignal;
  },
): Promise<{ signedIn: SignedIn; getToken: () => Promise<string> }> {
  let signedIn: SignedIn | null = null;
  const known = await client.pickAccount(opts.user);
  if (known) signedIn = await client.silent(scopes, known);
  if (!signedIn) {
    if (opts.method === 'device-code') {
      signedIn = await client.deviceCode(scopes, { onCode: opts.onDeviceCode ?? (() => undefined), signal: opts.signal });
    } else {
      if (!opts.openBrowser) throw new SignInError('config', 'No way to open a browser: use --device-code.');
      signedIn = await client.browser(scopes, { openBrowser: opts.openBrowser, signal: opts.signal, loginHint: opts.user });
    }
  }
  let current = signedIn;
  const getToken = async (): Promise<string> => {
    if (current.expiresOn && current.expiresOn.getTime() - Date.now() > 120_000) return current.accessToken;
    const again = await client.silent(scopes, current.account);
    if (!again) throw new SignInError('interaction-required', 'The sign-in expired: sign in again.');
    current = again;
    return current.accessToken;
  };
  return { signedIn, getToken };
}
