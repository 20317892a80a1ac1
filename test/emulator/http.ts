// Small HTTP helpers shared by the identity and Graph sides.
import { randomUUID } from 'node:crypto';

export interface EmuRequest {
  method: string;
  /** Path without query, e.g. /v1.0/applications or /contoso.onmicrosoft.com/oauth2/v2.0/token */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Serialised as JSON unless `text` is set. Omitted for 204/302. */
  json?: unknown;
  text?: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers, json: body };
}

export function noContent(headers: Record<string, string> = {}): Reply {
  return { status: 204, headers };
}

export function newGuid(): string {
  return randomUUID();
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

export function isGuid(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

/** Graph's error body. */
export function graphError(
  status: number,
  code: string,
  message: string,
  clientRequestId: string | undefined,
  headers: Record<string, string> = {},
): Reply {
  const requestId = newGuid();
  return {
    status,
    headers: { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId, ...headers },
    json: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId },
      },
    },
  };
}

/** Entra's OAuth error body (AADSTS...). */
export function oauthError(status: number, error: string, aadsts: number, description: string, extra: Record<string, unknown> = {}): Reply {
  const traceId = newGuid();
  const correlationId = newGuid();
  return {
    status,
    headers: { 'x-ms-request-id': traceId },
    json: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [aadsts],
      timestamp: new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      trace_id: traceId,
      correlation_id: correlationId,
      ...extra,
    },
  };
}
