// Signing in to a customer's Entra ID tenant with MSAL's public client: device code, system browser
// (loopback redirect), silent from the cache, account picker and sign-out. No Electron here.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CryptoProvider, LogLevel, PublicClientApplication, ResponseMode, type AccountInfo, type AuthenticationResult, type DeviceCodeRequest } from '@azure/msal-node';
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

const PAGE = (text: string) =>
  `<!doctype html><meta charset="utf-8"><title>ICE SSO Assistant</title><p style="font:16px system-ui;margin:3em">${text}</p>`;

/**
 * A one-shot loopback listener for the authorization response (form_post, or a query for servers that ignore
 * response_mode). Resolves with the response parameters once one with the right state arrives; rejects on cancel
 * or timeout. close() always stops listening.
 */
async function listenLoopback(
  state: string,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<{ redirectUri: string; result: Promise<URLSearchParams>; close: () => void }> {
  let settle!: { resolve: (p: URLSearchParams) => void; reject: (e: Error) => void };
  const result = new Promise<URLSearchParams>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined);
  const server = createServer((req, res) => {
    const finish = (params: URLSearchParams) => {
      if (!params.get('code') && !params.get('error')) {
        res.writeHead(204).end(); // favicon and the like
        return;
      }
      if (params.get('state') !== state) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('This answer belongs to another sign-in. Return to ICE SSO Assistant.'));
        return;
      }
      const ok = !params.get('error');
      res
        .writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(PAGE(ok ? 'Signed in. You can close this window and return to ICE SSO Assistant.' : 'Sign-in failed. Return to ICE SSO Assistant for details.'));
      settle.resolve(params);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
        if (body.length > 1_000_000) req.destroy();
      });
      req.on('end', () => finish(new URLSearchParams(body)));
    } else finish(url.searchParams);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => settle.reject(new SignInError('expired', 'The browser sign-in was not completed in time. Start it again (or sign in with a device code).')), timeoutMs);
  const onAbort = () => settle.reject(abortError());
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    redirectUri: `http://localhost:${port}`,
    result,
    close: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      server.close();
      server.closeAllConnections();
    },
  };
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
   * Interactive flow in the browser with a loopback redirect (http://localhost:<port>), PKCE and form_post.
   * Our own loopback listener (not MSAL's) so that cancel and the timeout really stop listening.
   * `openBrowser` gets the authorize URL: the CLI passes openSystemBrowser, tests drive it themselves.
   */
  async browser(
    scopes: string[],
    opts: { openBrowser: (url: string) => Promise<void>; signal?: AbortSignal; loginHint?: string; timeoutMs?: number },
  ): Promise<SignedIn> {
    if (opts.signal?.aborted) throw abortError();
    const ctx = this.ctx(scopes);
    const crypto = new CryptoProvider();
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const state = crypto.createNewGuid();
    const loopback = await listenLoopback(state, opts.signal, opts.timeoutMs ?? 5 * 60_000);
    try {
      let url: string;
      try {
        url = await this.pca.getAuthCodeUrl({
          scopes,
          redirectUri: loopback.redirectUri,
          codeChallenge: challenge,
          codeChallengeMethod: 'S256',
          state,
          responseMode: ResponseMode.FORM_POST,
          ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
        });
      } catch (e) {
        throw toSignInError(e, ctx);
      }
      await opts.openBrowser(url);
      const params = await loopback.result;
      const error = params.get('error');
      if (error) throw toSignInError({ errorCode: error, errorMessage: params.get('error_description') ?? '', subError: params.get('suberror') ?? '' }, ctx);
      try {
        const r = await this.pca.acquireTokenByCode({ code: params.get('code')!, scopes, redirectUri: loopback.redirectUri, codeVerifier: verifier });
        return toResult(r, { scopes });
      } catch (e) {
        throw toSignInError(e, ctx);
      }
    } finally {
      loopback.close();
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
