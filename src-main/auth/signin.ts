// Signing in to a customer's Entra ID tenant with MSAL's public client: device code, system browser
// (loopback redirect), silent from the cache, account picker and sign-out. No Electron here.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CryptoProvider, LogLevel, PublicClientApplication, ResponseMode, type AccountInfo, type AuthenticationResult, type DeviceCodeRequest } from '@azure/msal-node';
import { nativeClientRedirect } from '../core/clouds';
import type { Cloud } from '../core/types';
import { MemoryTokenCacheStore, cachePlugin, type TokenCacheStore } from './cache';
import { SignInError, toSignInError } from './errors';
import { REQUIRED_ROLES } from './scopes';
import { RecordingNetworkClient, type EntraRefusal } from './network';
import type { FrontEndWords } from '../shared/errors';

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
  private readonly network = new RecordingNetworkClient();
  /** Why the last silent attempt needed the user (consent missing, or a fresh sign-in). */
  lastSilentFailure: 'interaction-required' | 'consent-required' | null = null;

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
        networkClient: this.network,
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
      deviceCodeCallback: (r) => {
        // Entra refused the device code request (unknown client, invalid scope...): MSAL may still call back
        // with the error body. No code to show: the refusal is reported from the poll's failure.
        if (!r || !r.userCode || !r.verificationUri) return;
        opts.onCode({
          userCode: r.userCode,
          verificationUri: r.verificationUri,
          expiresAt: new Date(Date.now() + (Number(r.expiresIn) || 900) * 1000),
          message: r.message || `To sign in, open ${r.verificationUri} and enter the code ${r.userCode}.`,
        });
      },
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
      const refusal = this.network.deviceCodeRefusal;
      if (refusal) throw deviceCodeRefused(refusal, this, scopes);
      throw withAdminConsent(toSignInError(e, { ...this.ctx(scopes), flow: 'device-code' }), this, scopes);
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
      if (error) throw withAdminConsent(toSignInError({ errorCode: error, errorMessage: params.get('error_description') ?? '', subError: params.get('suberror') ?? '' }, ctx), this, scopes);
      try {
        const r = await this.pca.acquireTokenByCode({ code: params.get('code')!, scopes, redirectUri: loopback.redirectUri, codeVerifier: verifier });
        return toResult(r, { scopes });
      } catch (e) {
        throw withAdminConsent(toSignInError(e, ctx), this, scopes);
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
      // AADSTS65001 / consent_required and interaction_required on a silent request: Entra expects an
      // interactive request for these scopes (where an admin sees the consent prompt). The caller starts one.
      if (err.code === 'interaction-required' || err.code === 'consent-required') {
        this.lastSilentFailure = err.code;
        return null;
      }
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
 * The v2 admin consent URL for the sign-in client and scopes, to send to the customer's administrator when the
 * signed-in user may not consent (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent):
 * {login}/{tenant}/v2.0/adminconsent?client_id=…&scope=…&redirect_uri=… (redirect_uri is required and must be one
 * the client registered: the native-client URI public clients such as Graph Command Line Tools register).
 */
export function adminConsentUrl(client: { authority: string; clientId: string; cloud: Cloud }, scopes: string[]): string {
  const q = new URLSearchParams({ client_id: client.clientId, scope: scopes.join(' '), redirect_uri: nativeClientRedirect(client.cloud) });
  return `${client.authority}/v2.0/adminconsent?${q.toString().replace(/\+/g, '%20')}`;
}

/** Entra refused to start a device code sign-in: its AADSTS code, its words, and what to do. */
function deviceCodeRefused(r: EntraRefusal, client: SignInClient, scopes: string[]): SignInError {
  const code = r.aadsts || r.error;
  const said = `Entra ID refused the device code sign-in: ${code}${r.aadsts ? ` (${r.error})` : ''}: ${r.description || 'no detail given'}`;
  // What happened is the same for both front ends; what to do names a command-line option or a place in the app.
  let why: string;
  let todo: FrontEndWords;
  if (/^AADSTS700016$/.test(r.aadsts) || r.error === 'unauthorized_client') {
    why = `The sign-in client ${client.clientId} is not known in this tenant: it must be the "Application (client) ID" of a public client registered in, or consented to by, this tenant.`;
    todo = {
      cli: 'Check --client-id, or leave it out to use Microsoft Graph Command Line Tools.',
      app: 'The site or ICE_SSO_CLIENT_ID names this client: correct it, or remove it to use Microsoft Graph Command Line Tools.',
    };
  } else if (/^AADSTS7000218$/.test(r.aadsts) || r.error === 'invalid_client') {
    why = `The sign-in client ${client.clientId} does not allow the device code flow: in its registration set Authentication > Advanced settings > "Allow public client flows" to Yes.`;
    todo = { cli: 'Or sign in with --browser.', app: 'Or sign in with the browser instead (Sign in › Browser).' };
  } else if (r.error === 'invalid_scope' || /^AADSTS(70011|65005|28000)$/.test(r.aadsts)) {
    why = `Entra ID does not accept the permissions asked for (${scopes.join(', ')}): they belong to the Microsoft Graph of the site's cloud.`;
    todo = { cli: 'Check --cloud and --graph-url.', app: "Check the site's cloud in Setup." };
  } else if (r.error === 'invalid_resource' || /^AADSTS500011$/.test(r.aadsts)) {
    why = 'The API asked for is not in this tenant.';
    todo = { cli: 'Check --tenant and --cloud.', app: "Check the tenant (Sign in) and the site's cloud (Setup)." };
  } else if (r.error === 'invalid_tenant' || /^AADSTS(90002|900023|50059)$/.test(r.aadsts)) {
    const tenantTodo = { cli: 'Check --tenant and --cloud.', app: "Check the tenant on Sign in and the site's cloud in Setup." };
    return new SignInError('tenant-not-found', `${said}. The tenant is a tenant id (GUID) or a verified domain such as contoso.onmicrosoft.com, in the site's cloud.`, { aadsts: r.aadsts, todo: tenantTodo });
  } else {
    why = "Look the code up in Microsoft's AADSTS error reference (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).";
    todo = { cli: 'Or try --browser.', app: 'Or sign in with the browser instead (Sign in › Browser).' };
  }
  return new SignInError('refused', `${said}. ${why}`, { aadsts: r.aadsts, todo });
}

/** A consent refusal after the interactive request: the user may not consent, so name the admin consent URL. */
function withAdminConsent(err: SignInError, client: SignInClient, scopes: string[]): SignInError {
  if (err.code !== 'consent-required') return err;
  const url = adminConsentUrl(client, scopes);
  const names = scopes.map((s) => s.replace(/^.*\//, '')).join(', ');
  return new SignInError(
    'consent-required',
    `The signed-in account may not consent to ${names} for the sign-in client (${client.clientId}) in this tenant. ` +
      `An administrator can sign in instead (${REQUIRED_ROLES}; a Global Administrator for Microsoft Graph permissions) and accept ` +
      `Entra's consent prompt (tick "Consent on behalf of your organization"), or open this admin consent link and accept, then try again:\n  ${url}\n` +
      "Meanwhile verify (read-only) and the portal steps (the checklist's links) still work.",
    {
      cause: err,
      adminConsentUrl: url,
      todo: { cli: "Or use your organisation's own sign-in client with --client-id.", app: "Or ask the administrator for your organisation's own sign-in client, and name it under Sign-in client on the Sign in screen." },
    },
  );
}

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
    /** Told before an interactive sign-in starts: 'consent' when the saved sign-in lacks consent for these scopes. */
    onInteractive?: (e: { reason: 'consent' | 'sign-in'; scopes: string[] }) => void;
  },
): Promise<{ signedIn: SignedIn; getToken: () => Promise<string>; interactive: boolean; consentStepUp: boolean }> {
  let signedIn: SignedIn | null = null;
  const known = await client.pickAccount(opts.user);
  client.lastSilentFailure = null;
  if (known) signedIn = await client.silent(scopes, known);
  const interactive = !signedIn;
  const consentStepUp = interactive && client.lastSilentFailure === 'consent-required';
  if (!signedIn) {
    opts.onInteractive?.({ reason: consentStepUp ? 'consent' : 'sign-in', scopes });
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
  return { signedIn, getToken, interactive, consentStepUp };
}
