// Graph failures as messages a field engineer can act on. Never includes a token.
import type { CodedError, ErrorInfo } from '../lib/errors';
import { REQUIRED_ROLES } from '../auth/scopes';

export type GraphFailureKind = 'http' | 'network' | 'timeout' | 'cancelled';

export class GraphRequestError extends Error implements CodedError {
  readonly kind: GraphFailureKind;
  readonly status: number | undefined;
  /** Graph's error code, e.g. Authorization_RequestDenied. */
  readonly code: string | undefined;
  readonly method: string;
  readonly path: string;
  /** For a write whose connection dropped: Graph may or may not have applied it. */
  readonly outcomeUnknown: boolean;
  constructor(
    message: string,
    init: { kind: GraphFailureKind; method: string; path: string; status?: number; code?: string; outcomeUnknown?: boolean; cause?: unknown },
  ) {
    super(message, { cause: init.cause });
    this.name = 'GraphRequestError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.method = init.method;
    this.path = init.path;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  errorInfo(): ErrorInfo {
    return { code: this.kind === 'cancelled' ? 'cancelled' : `graph.${this.kind}`, message: this.message };
  }
}

/** The Graph permission a request needs (delegated, least privileged), for messages. */
export function permissionFor(method: string, path: string): string {
  const p = path.split('?')[0]!.toLowerCase();
  const write = method.toUpperCase() !== 'GET';
  if (p.includes('oauth2permissiongrants')) return write ? 'DelegatedPermissionGrant.ReadWrite.All' : 'Directory.Read.All';
  return write ? 'Application.ReadWrite.All' : 'Application.Read.All';
}

interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } };
}

export function graphErrorDetail(body: unknown): { code?: string; message?: string } {
  const e = (body as GraphErrorBody | null)?.error;
  return { code: e?.code, message: e?.message };
}

/**
 * Builds the error for a failed Graph answer. A 403 names the role and the permission; when the token's scopes are
 * known (`grantedScopes`), it says which of the two is missing.
 */
export function httpError(method: string, path: string, status: number, body: unknown, grantedScopes?: string[]): GraphRequestError {
  const { code, message } = graphErrorDetail(body);
  const where = `${method} ${path.split('?')[0]}`;
  let text: string;
  if (status === 403 || code === 'Authorization_RequestDenied') {
    const needed = permissionFor(method, path);
    const covered = grantedScopes?.some((s) => s === needed || (needed.endsWith('.Read.All') && s === needed.replace('.Read.All', '.ReadWrite.All')) || s === 'Directory.ReadWrite.All');
    if (grantedScopes && !covered) {
      text =
        `Graph refused ${where} (403${code ? ` ${code}` : ''}): the sign-in token lacks the delegated permission ${needed} ` +
        `(it has ${grantedScopes.join(', ') || 'none'}). Sign in again so that it is requested and consented; consenting needs an ${REQUIRED_ROLES} or a Global Administrator.`;
    } else {
      text =
        `Graph refused ${where} (403${code ? ` ${code}` : ''}): the signed-in user lacks the role for it` +
        `${grantedScopes ? ` (the token does carry ${needed})` : ''}. Sign in as an ${REQUIRED_ROLES}` +
        `${grantedScopes ? '' : `, with the delegated permission ${needed} consented for the sign-in client`}.`;
    }
  } else if (status === 401) {
    text = `Graph rejected the sign-in for ${where} (401${code ? ` ${code}` : ''}): sign in again (the token may have expired or be for another cloud).`;
  } else if (status === 429 || status === 503 || status === 504) {
    text = `Graph stayed busy for ${where} (${status}) after the retries allowed: try again in a few minutes.`;
  } else {
    text = `Graph answered ${status}${code ? ` ${code}` : ''} to ${where}${message ? `: ${message}` : ''}`;
  }
  return new GraphRequestError(text, { kind: 'http', method, path, status, code });
}
