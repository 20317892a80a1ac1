// proof.token: sign in AS the ICE app (its client id, its native-client redirect URI, PKCE), get an access token
// for its own scope, and check what ICE will check: no nonce in the JOSE header, signature against the tenant's
// JWKS (from the OpenID metadata document), aud, scp, upn, and group names rather than ids.
import { CryptoProvider, LogLevel, PublicClientApplication } from '@azure/msal-node';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { CATALOG } from '../core/checklist';
import { nativeClientRedirect } from '../core/clouds';
import type { Cloud, StepResult } from '../core/types';
import { SignInError, toSignInError } from './errors';

export interface ProofTarget {
  cloud: Cloud;
  tenantId: string;
  /** The ICE app's client id: the proof signs in as the ICE app itself. */
  appId: string;
  /** Application ID URI (ICE's "Audience"). */
  identifierUri: string;
  scopeValue: string;
  /** 2 when the app asks for v2 access tokens (aud is then the client id). */
  requestedAccessTokenVersion?: number | null;
}

export interface ProofSignIn {
  /** Open this in a browser and sign in as a test user. */
  url: string;
  /** Where the browser lands afterwards (ICE's "Redirect URL"): the user copies that page's full address. */
  redirectUri: string;
  /** Exchanges the address the browser landed on (with ?code=...) for the access token. Never print the token. */
  complete(landedUrl: string): Promise<string>;
}

function pca(target: ProofTarget): PublicClientApplication {
  const loginUrl = target.cloud.loginUrl.replace(/\/+$/, '');
  return new PublicClientApplication({
    auth: { clientId: target.appId, authority: `${loginUrl}/${target.tenantId}`, knownAuthorities: [new URL(loginUrl).host] },
    system: { loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false, logLevel: LogLevel.Error } },
  });
}

export function proofScope(target: Pick<ProofTarget, 'identifierUri' | 'scopeValue'>): string {
  return `${target.identifierUri.replace(/\/+$/, '')}/${target.scopeValue}`;
}

/** Starts the sign-in as the ICE app: authorize URL with PKCE and the native-client redirect, as ICE Desktop does. */
export async function startProofSignIn(target: ProofTarget, opts: { loginHint?: string } = {}): Promise<ProofSignIn> {
  const app = pca(target);
  const crypto = new CryptoProvider();
  const { verifier, challenge } = await crypto.generatePkceCodes();
  const state = crypto.createNewGuid();
  const redirectUri = nativeClientRedirect(target.cloud);
  const scopes = [proofScope(target)];
  const ctx = { scopes, authority: `${target.cloud.loginUrl}/${target.tenantId}`, clientId: target.appId };
  let url: string;
  try {
    url = await app.getAuthCodeUrl({
      scopes,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      prompt: 'select_account',
      ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
    });
  } catch (e) {
    throw toSignInError(e, ctx);
  }
  return {
    url,
    redirectUri,
    async complete(landedUrl: string): Promise<string> {
      let u: URL;
      try {
        u = new URL(landedUrl.trim());
      } catch {
        throw new SignInError('config', 'That is not the address of the page the browser landed on: copy the whole address (it contains "code=").');
      }
      const params = new URLSearchParams(u.search || u.hash.replace(/^#/, ''));
      const error = params.get('error');
      if (error) throw toSignInError({ errorCode: error, errorMessage: params.get('error_description') ?? '' }, ctx);
      const code = params.get('code');
      if (!code) throw new SignInError('config', 'The address has no "code=": copy the address of the page the browser landed on after signing in.');
      if (params.get('state') !== state) throw new SignInError('failed', 'The address belongs to another sign-in (state differs): start the proof again.');
      try {
        const r = await app.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: verifier });
        if (!r?.accessToken) throw new SignInError('failed', 'Entra ID returned no access token.');
        return r.accessToken;
      } catch (e) {
        throw toSignInError(e, ctx);
      }
    },
  };
}

/** Allowed clock difference between this computer and Entra ID when checking exp and nbf. */
const CLOCK_SKEW_SEC = 300;

/**
 * The v1 access token issuer of a tenant: https://sts.windows.net/<tid>/ in the global and US Gov clouds,
 * https://sts.chinacloudapi.cn/<tid>/ in the China cloud (custom clouds: as the global cloud).
 */
export function v1Issuer(cloud: Cloud, tenantId: string): string {
  return cloud.name === 'china' ? `https://sts.chinacloudapi.cn/${tenantId}/` : `https://sts.windows.net/${tenantId}/`;
}

/** A failed jwtVerify in words: expired and not-yet-valid tokens are named as such, not as a bad signature. */
function verifyProblem(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'the token has expired (exp is in the past): sign in again for a fresh token';
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf') return "the token is not valid yet (nbf is in the future): check this computer's clock";
    if (e.claim === 'exp') return 'the token has no expiry (exp is missing): Entra ID always sets one, so it was not issued by Entra ID';
    if (e.claim === 'iat') return 'the token was issued in the future (iat): check this computer\'s clock';
    return `the token's ${e.claim} claim is not valid (${e.reason})`;
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "the signature does not verify against the tenant's JWKS";
  if (e instanceof joseErrors.JWKSNoMatchingKey) return "the signature does not verify against the tenant's JWKS (no key of the tenant matches the token's kid)";
  return `the signature does not verify against the tenant's JWKS (${(e as Error).message})`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The OpenID metadata document URL for the tenant (ICE's "OpenID config URL"). */
export function openIdConfigUrl(cloud: Cloud, tenantId: string): string {
  return `${cloud.loginUrl.replace(/\/+$/, '')}/${tenantId}/v2.0/.well-known/openid-configuration`;
}

/** Checks an access token as ICE would; returns the proof.token step. The token itself never appears in it. */
export async function checkProofToken(token: string, target: ProofTarget, opts: { fetchTimeoutMs?: number } = {}): Promise<StepResult> {
  const title = CATALOG['proof.token'].title;
  const expectedText =
    'An access token for the scope: no nonce in the JOSE header; signature verifies against the tenant JWKS; not expired; ' +
    'issued by this tenant (iss = its v1 or v2 issuer, tid = the tenant id); ' +
    'aud = Application ID URI (v1) or client id (v2); scp has the scope; a upn claim; group names, not ids.';
  const problems: string[] = [];
  const warnings: string[] = [];
  const found: string[] = [];
  let header: Record<string, unknown>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
    claims = decodeJwt(token);
  } catch {
    return { id: 'proof.token', status: 'fail', title, found: 'The token is not a JWT.', expected: expectedText, fix: 'Check that the scope belongs to this app.' };
  }
  if ('nonce' in header) problems.push('the JOSE header carries a nonce (a token meant for Microsoft Graph): remove every Microsoft Graph permission (step 7A)');
  else found.push('no nonce in the header');
  // Signature against the tenant's keys, found through the OpenID metadata document; then the tenant binding.
  // Every tenant of a cloud publishes the same signing keys, so the issuer (and tid) are what tie the token to
  // this tenant: v2 tokens carry the metadata's issuer ({tenantid} substituted), v1 tokens (ICE's default:
  // requestedAccessTokenVersion null) https://sts.windows.net/<tenant id>/. exp is required.
  const v2 = claims.ver === '2.0' || (claims.ver === undefined && target.requestedAccessTokenVersion === 2);
  try {
    const res = await fetch(openIdConfigUrl(target.cloud, target.tenantId), { signal: AbortSignal.timeout(opts.fetchTimeoutMs ?? 15_000) });
    if (!res.ok) throw new Error(`the OpenID metadata document answered ${res.status}`);
    const meta = (await res.json()) as { jwks_uri?: unknown; issuer?: unknown };
    if (typeof meta.jwks_uri !== 'string' || !meta.jwks_uri) throw new Error('the OpenID metadata document has no jwks_uri');
    if (typeof meta.issuer !== 'string' || !meta.issuer) throw new Error('the OpenID metadata document has no issuer');
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri), { timeoutDuration: opts.fetchTimeoutMs ?? 15_000 });
    let verified = false;
    try {
      await jwtVerify(token, jwks, { algorithms: ['RS256'], clockTolerance: CLOCK_SKEW_SEC, requiredClaims: ['exp'] });
      verified = true;
    } catch (e) {
      problems.push(verifyProblem(e));
    }
    if (verified) found.push('signature verifies against the tenant JWKS');
    const wantIss = v2 ? meta.issuer.replace(/\{tenantid\}/gi, target.tenantId) : v1Issuer(target.cloud, target.tenantId);
    if (claims.iss === wantIss) found.push(`iss ${wantIss}`);
    else problems.push(`the issuer (iss) is ${claims.iss === undefined ? 'missing' : JSON.stringify(claims.iss)}, not this tenant's ${v2 ? 'v2' : 'v1'} issuer ${wantIss}: the token was issued for another tenant or by another authority`);
  } catch (e) {
    problems.push(`the signature cannot be checked against the tenant's JWKS (${(e as Error).message})`);
  }
  const tid = (claims as { tid?: unknown }).tid;
  if (typeof tid === 'string' && tid.toLowerCase() === target.tenantId.toLowerCase()) found.push(`tid ${tid}`);
  else problems.push(`the tenant id (tid) is ${tid === undefined ? 'missing' : JSON.stringify(tid)}, not ${target.tenantId}: the token belongs to another tenant`);
  const wantAud = v2 ? target.appId : target.identifierUri;
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (aud.includes(wantAud)) found.push(`aud ${wantAud}`);
  else problems.push(`aud is ${JSON.stringify(claims.aud)}, not ${wantAud} (${v2 ? 'v2: the client id' : 'v1: the Application ID URI'})`);
  const scp = String((claims as { scp?: unknown }).scp ?? '').split(' ').filter(Boolean);
  if (scp.includes(target.scopeValue)) found.push(`scp has ${target.scopeValue}`);
  else problems.push(`scp is "${scp.join(' ')}", without ${target.scopeValue}`);
  const upn = (claims as { upn?: unknown }).upn;
  if (typeof upn === 'string' && upn) found.push(`upn ${upn}`);
  else problems.push('no upn claim: add the upn optional claim to access tokens (step 8B)');
  const groups = (claims as { groups?: unknown }).groups;
  if (Array.isArray(groups) && groups.length) {
    const ids = groups.filter((g) => typeof g === 'string' && GUID.test(g));
    if (ids.length === groups.length) warnings.push(`groups are object ids, not names (${ids.length}): only groups synced from on-premises AD have a sAMAccountName; check sam_account_name (step 8A.b)`);
    else if (ids.length) warnings.push(`${ids.length} of ${groups.length} groups are ids, not names (cloud-only groups have no sAMAccountName)`);
    else found.push(`groups by name (${groups.join(', ')})`);
  } else found.push('no groups claim (the test user is in no group the claim covers)');
  const status = problems.length ? 'fail' : warnings.length ? 'warn' : 'pass';
  return {
    id: 'proof.token',
    status,
    title,
    found: [...problems, ...warnings, ...found].join('; ') + '.',
    expected: expectedText,
    fix: problems.length ? 'Fix the steps named above, then run the proof again.' : warnings.length ? 'Use groups synced from on-premises AD for ICE channels, or accept ids.' : '',
  };
}
