// Sign-in failures turned into messages a field engineer can act on. Never includes a token.
import type { CodedError, ErrorInfo } from '../lib/errors';
import type { FrontEndWords } from '../shared/errors';
import { REQUIRED_ROLES } from './scopes';

export type SignInErrorCode =
  | 'cancelled'
  | 'expired'
  | 'declined'
  | 'consent-required'
  | 'interaction-required'
  | 'tenant-not-found'
  | 'network'
  /** Entra refused the request itself (device code request: unknown client, invalid scope...). */
  | 'refused'
  | 'config'
  | 'failed';

export class SignInError extends Error implements CodedError {
  readonly code: SignInErrorCode;
  /** With 'consent-required' after an interactive request: the link to send to the tenant's administrator. */
  readonly adminConsentUrl?: string;
  /** Entra's error code (AADSTSnnnnn) when it gave one. */
  readonly aadsts?: string;
  /** What to do, where the CLI (an option) and the app (a screen) say it differently. */
  readonly todo?: FrontEndWords;
  constructor(code: SignInErrorCode, message: string, options?: { cause?: unknown; adminConsentUrl?: string; aadsts?: string; todo?: FrontEndWords }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'SignInError';
    this.code = code;
    if (options?.adminConsentUrl) this.adminConsentUrl = options.adminConsentUrl;
    if (options?.aadsts) this.aadsts = options.aadsts;
    if (options?.todo) this.todo = options.todo;
  }

  errorInfo(): ErrorInfo {
    return {
      code: this.code === 'cancelled' ? 'cancelled' : `signin.${this.code}`,
      message: this.message,
      ...(this.todo ? { todo: this.todo } : {}),
      ...(this.adminConsentUrl ? { adminConsentUrl: this.adminConsentUrl } : {}),
    };
  }
}

interface MsalLikeError {
  errorCode?: string;
  errorMessage?: string;
  subError?: string;
  message?: string;
  name?: string;
}

/** Only the first line of a server message, without trace/correlation ids noise. */
function firstLine(s: string | undefined): string {
  return (s ?? '').split(/\r?\n/)[0]!.replace(/\s*Trace ID:.*$/i, '').trim();
}

/** Maps an MSAL (or network) error to a SignInError naming what to do. `scopes` are the permissions asked for. */
export function toSignInError(err: unknown, context: { scopes: string[]; authority: string; clientId: string; flow?: 'device-code' }): SignInError {
  if (err instanceof SignInError) return err;
  const e = (err ?? {}) as MsalLikeError;
  // MSAL's device code poller reports the server's error only as the message of post_request_failed.
  const code = e.errorCode === 'post_request_failed' && e.errorMessage && /^[a-z_]+$/.test(e.errorMessage.trim()) ? e.errorMessage.trim() : (e.errorCode ?? '');
  const text = `${e.errorMessage ?? ''} ${e.message ?? ''}`;
  const scopes = context.scopes.join(', ');
  if (code === 'device_code_polling_cancelled' || /cancel/i.test(code)) {
    return new SignInError('cancelled', 'Sign-in was cancelled.', { cause: err });
  }
  if (code === 'expired_token' || /AADSTS70020|expired/i.test(code)) {
    return new SignInError('expired', 'The sign-in code expired before it was used. Start the sign-in again and enter the code promptly.', { cause: err });
  }
  if (code === 'authorization_declined' || code === 'access_denied' || /AADSTS70016|declined/i.test(text)) {
    return new SignInError('declined', 'The sign-in was declined in the browser. Start it again and accept.', { cause: err });
  }
  const deviceCodeRefused = context.flow === 'device-code' && code === 'invalid_grant';
  if (deviceCodeRefused || e.subError === 'consent_required' || code === 'consent_required' || /AADSTS65001|consent/i.test(text)) {
    return new SignInError(
      'consent-required',
      `${deviceCodeRefused ? 'Entra ID refused to issue the token after the sign-in (invalid_grant): most often consent is missing. ' : ''}` +
        `The sign-in client (${context.clientId}) has not been granted the permission(s) ${scopes} in this tenant. ` +
        `Sign in as an ${REQUIRED_ROLES} (a Global Administrator can also grant it), accept the consent prompt ` +
        `(tick "Consent on behalf of your organization"), or sign in with your organisation's own client.`,
      { cause: err, todo: { cli: 'Your own client: --client-id.', app: '' } },
    );
  }
  if (code === 'interaction_required' || code === 'login_required' || code === 'no_tokens_found' || code === 'no_account_in_silent_request') {
    return new SignInError('interaction-required', 'You need to sign in again (no usable saved sign-in for this account).', { cause: err });
  }
  if (/AADSTS90002|AADSTS900023|tenant.*not found|invalid_tenant|endpoints_resolution_error/i.test(`${code} ${text}`)) {
    return new SignInError('tenant-not-found', `The tenant in ${context.authority} was not found. Check the tenant: a tenant id (GUID) or a verified domain such as contoso.onmicrosoft.com.`, {
      cause: err,
      todo: { cli: '(--tenant)', app: '' },
    });
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|network|fetch failed|certificate|CERT|self.signed/i.test(`${code} ${text}`)) {
    return new SignInError(
      'network',
      `Could not reach the sign-in service at ${context.authority}: ${firstLine(e.errorMessage || e.message)}. ` +
        'Check the network; for a custom cloud with a private CA, set NODE_EXTRA_CA_CERTS to its CA certificate (PEM).',
      { cause: err },
    );
  }
  return new SignInError('failed', `Sign-in failed${code ? ` (${code})` : ''}: ${firstLine(e.errorMessage || e.message) || 'no detail given'}`, { cause: err });
}
