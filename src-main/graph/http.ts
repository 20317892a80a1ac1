// Microsoft Graph access through @microsoft/microsoft-graph-client with our own middleware chain:
// retry (429/503/504 with Retry-After, replication lag, dropped connections) → bearer token → transport
// (timeout, cancel, counting). Also JSON batching (/$batch). Never logs a token.
import { Client, ResponseType, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { SignInError } from '../auth/errors';
import { GraphRequestError, httpError } from './errors';

export interface GraphStats {
  /** HTTP requests sent (each attempt counts). */
  httpRequests: number;
  /** HTTP requests that started while no other was in flight: the sequential round trips. */
  roundTrips: number;
  /** Graph requests: plain requests plus every inner request of a batch. */
  graphRequests: number;
  /** Retries made (throttling, replication lag, dropped connections). */
  retries: number;
  /** Milliseconds spent waiting before retries. */
  waitedMs: number;
}

export function emptyStats(): GraphStats {
  return { httpRequests: 0, roundTrips: 0, graphRequests: 0, retries: 0, waitedMs: 0 };
}

export interface RetryPolicy {
  /** Attempts for 429/503/504 (the first included). */
  throttleAttempts: number;
  /** Longest single Retry-After honoured; longer asks fail at once. */
  maxRetryAfterMs: number;
  /** Retry-After default when the header is missing (exponential from this). */
  throttleBaseMs: number;
  /** Attempts when an object made seconds ago is not found yet (replication lag). */
  lagAttempts: number;
  lagBaseMs: number;
  lagMaxMs: number;
  /** Attempts for a dropped connection or timeout on an idempotent request. */
  networkAttempts: number;
  /** All waits of one logical request together stay under this. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  throttleAttempts: 5,
  maxRetryAfterMs: 30_000,
  throttleBaseMs: 1_000,
  lagAttempts: 8,
  lagBaseMs: 500,
  lagMaxMs: 8_000,
  networkAttempts: 3,
  maxTotalWaitMs: 90_000,
};

export interface CallOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout (ms). */
  timeoutMs?: number;
  /** Safe to send twice (GET, PATCH by key, the uniqueName upsert). */
  idempotent?: boolean;
  /** The object was created moments ago: treat 404/409/"not a valid application object" as replication lag. */
  lagRetry?: boolean;
  headers?: Record<string, string>;
}

export interface GraphResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T | null;
}

export interface GraphAccessOptions {
  /** e.g. https://graph.microsoft.com (no version). */
  graphUrl: string;
  getToken: () => Promise<string>;
  retry?: Partial<RetryPolicy>;
  /** Default per-attempt timeout (ms), 30 s. */
  timeoutMs?: number;
  /** Sleep used for waits (tests may shorten); must honour the signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  stats?: GraphStats;
}

/** Per-request settings carried through the graph client's middleware options. */
class RequestPolicy {
  /** The error the retry middleware settled on (the graph client wraps thrown errors and loses them). */
  error: unknown;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly call: CallOptions,
    readonly innerCount: number,
  ) {}
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

// 400s Graph gives while a new object has not replicated yet: the SP for a new app, a grant for a new SP.
const LAG_400 =
  /does not reference a valid application object|does not exist or one of its queried reference-property objects are not present|is not a service principal in this tenant|Invalid value specified for property '(clientId|resourceId)'/i;

/**
 * Whether an answer looks like replication lag for an object made moments ago. A 409 to a POST is a real conflict
 * (the object already exists), never lag.
 */
export function isLagAnswer(status: number, bodyText: string, method = 'GET'): boolean {
  if (status === 404) return true;
  if (status === 409) return method !== 'POST' && !/MultipleObjectsWithSameKeyValue/.test(bodyText);
  return status === 400 && LAG_400.test(bodyText);
}

export function isThrottleStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

function policyOf(context: Context): RequestPolicy | undefined {
  return context.middlewareControl?.getMiddlewareOptions(RequestPolicy) as RequestPolicy | undefined;
}

function describeNetwork(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  return e?.cause?.code || e?.cause?.message || e?.message || String(err);
}

export class GraphAccess {
  readonly stats: GraphStats;
  readonly graphUrl: string;
  private readonly client: Client;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private inFlight = 0;
  private lastScopes: string[] | undefined;

  constructor(private readonly opts: GraphAccessOptions) {
    this.stats = opts.stats ?? emptyStats();
    this.graphUrl = opts.graphUrl.replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY, ...opts.retry };
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.sleep = opts.sleep ?? abortableSleep;
    const chain = [this.retryMiddleware(), this.authMiddleware(), this.transportMiddleware()];
    for (let i = 0; i < chain.length - 1; i++) chain[i]!.setNext!(chain[i + 1]!);
    this.client = Client.initWithMiddleware({ middleware: chain[0]!, baseUrl: this.graphUrl, defaultVersion: 'v1.0' });
  }

  // ---- middleware ----

  private authMiddleware(): Middleware {
    let next: Middleware | undefined;
    return {
      setNext: (m) => {
        next = m;
      },
      execute: async (context) => {
        const token = await this.opts.getToken();
        this.lastScopes = scopesOf(token);
        const options = (context.options ??= {});
        const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
        headers.set('Authorization', `Bearer ${token}`);
        options.headers = Object.fromEntries(headers.entries());
        await next!.execute(context);
      },
    };
  }

  private transportMiddleware(): Middleware {
    return {
      execute: async (context) => {
        const p = policyOf(context);
        const timeout = p?.call.timeoutMs ?? this.timeoutMs;
        const timer = AbortSignal.timeout(timeout);
        const signals = [timer];
        if (p?.call.signal) signals.push(p.call.signal);
        const signal = AbortSignal.any(signals);
        this.stats.httpRequests += 1;
        this.stats.graphRequests += p?.innerCount ?? 1;
        if (this.inFlight === 0) this.stats.roundTrips += 1;
        this.inFlight += 1;
        try {
          const res = await fetch(context.request, { ...(context.options as RequestInit), signal });
          // Read the body inside the timeout so a stalled body also times out.
          const buf = await res.arrayBuffer();
          context.response = new Response(res.status === 204 || res.status === 304 ? null : buf, {
            status: res.status,
            statusText: res.statusText,
            headers: res.headers,
          });
        } catch (err) {
          if (timer.aborted && !p?.call.signal?.aborted) {
            const t = new Error(`no answer within ${timeout} ms`, { cause: err });
            t.name = 'TimeoutError';
            throw t;
          }
          throw err;
        } finally {
          this.inFlight -= 1;
        }
      },
    };
  }

  private retryMiddleware(): Middleware {
    let next: Middleware | undefined;
    return {
      setNext: (m) => {
        next = m;
      },
      execute: async (context) => {
        const p = policyOf(context);
        try {
          await this.retryLoop(context, p, next!);
        } catch (e) {
          if (p) p.error = e;
          throw e;
        }
      },
    };
  }

  private async retryLoop(context: Context, p: RequestPolicy | undefined, next: Middleware): Promise<void> {
    const method = p?.method ?? 'GET';
    const path = p?.path ?? String(context.request);
    const call = p?.call ?? {};
    const pol = this.policy;
    let throttles = 0;
    let lags = 0;
    let drops = 0;
    let waited = 0;
    const wait = async (ms: number) => {
      if (waited + ms > pol.maxTotalWaitMs) return false;
      waited += ms;
      this.stats.retries += 1;
      this.stats.waitedMs += ms;
      try {
        await this.sleep(ms, call.signal);
      } catch (e) {
        throw call.signal?.aborted ? cancelled(method, path, call.signal.reason) : e;
      }
      return true;
    };
    for (;;) {
      if (call.signal?.aborted) throw cancelled(method, path, call.signal.reason);
      try {
        context.response = undefined;
        await next.execute(context);
      } catch (err) {
        if (call.signal?.aborted) throw cancelled(method, path, call.signal.reason);
        if (err instanceof SignInError) throw err; // the token could not be had: not a network problem
        const timedOut = (err as { name?: string })?.name === 'TimeoutError';
        if (call.idempotent && drops + 1 < pol.networkAttempts && (await wait(Math.min(250 * 2 ** drops, 2_000)))) {
          drops += 1;
          continue;
        }
        const detail = describeNetwork(err);
        const where = `${method} ${path.split('?')[0]}`;
        throw new GraphRequestError(
          timedOut
            ? `Graph did not answer ${where} in time${call.idempotent ? ' (retried)' : ''}.` +
              (call.idempotent ? ' Check the network and try again.' : ' Graph may or may not have applied it: run again, it reads the tenant first and carries on.')
            : `The connection to Graph dropped during ${where} (${detail}).` +
              (call.idempotent
                ? ' Retrying did not help: check the network and try again.'
                : ' Graph may or may not have applied it: run again, it reads the tenant first and carries on.'),
          { kind: timedOut ? 'timeout' : 'network', method, path, outcomeUnknown: !call.idempotent, cause: err },
        );
      }
      const res = context.response as Response | undefined;
      if (!res) return;
      if (isThrottleStatus(res.status) && throttles + 1 < pol.throttleAttempts) {
        const asked = retryAfterMs(res.headers.get('Retry-After'));
        const ms = asked ?? pol.throttleBaseMs * 2 ** throttles;
        if (ms <= pol.maxRetryAfterMs && (await wait(ms))) {
          throttles += 1;
          continue;
        }
      }
      if (call.lagRetry && res.status >= 400 && res.status < 500 && lags + 1 < pol.lagAttempts) {
        const text = await res.clone().text();
        if (isLagAnswer(res.status, text, method)) {
          const ms = Math.min(pol.lagBaseMs * 2 ** lags, pol.lagMaxMs);
          if (await wait(ms)) {
            lags += 1;
            continue;
          }
        }
      }
      return;
    }
  }

  /** The delegated scopes (scp) of the last token sent, for error messages; undefined when unreadable. */
  grantedScopes(): string[] | undefined {
    return this.lastScopes;
  }

  // ---- requests ----

  /** One Graph request; any HTTP status is returned (after retries). Network failures, timeouts and cancel throw. */
  async request<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, call: CallOptions = {}, innerCount = 1): Promise<GraphResponse<T>> {
    const idempotent = call.idempotent ?? (method === 'GET' || method === 'DELETE');
    const policy = new RequestPolicy(method, path, { ...call, idempotent }, innerCount);
    let req = this.client.api(path).responseType(ResponseType.RAW).middlewareOptions([policy]);
    if (call.headers && Object.keys(call.headers).length) req = req.headers(call.headers);
    let res: Response;
    try {
      if (method === 'GET') res = await req.get();
      else if (method === 'POST') res = await req.post(body ?? {});
      else if (method === 'PATCH') res = await req.patch(body ?? {});
      else res = await req.delete();
    } catch (err) {
      if (policy.error !== undefined) throw policy.error;
      if (err instanceof GraphRequestError) throw err;
      const inner = (err as { cause?: unknown })?.cause ?? err;
      if (inner instanceof GraphRequestError) throw inner;
      if (call.signal?.aborted) throw cancelled(method, path, call.signal.reason);
      throw new GraphRequestError(`Graph request ${method} ${path.split('?')[0]} failed: ${describeNetwork(err)}`, {
        kind: 'network',
        method,
        path,
        outcomeUnknown: !idempotent,
        cause: err,
      });
    }
    const text = res.status === 204 ? '' : await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T | null };
  }

  /** Like request, but throws a GraphRequestError (403 naming the role) unless the status is 2xx or in `allow`. */
  async call<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, call: CallOptions = {}, allow: number[] = []): Promise<GraphResponse<T>> {
    const r = await this.request<T>(method, path, body, call);
    if ((r.status < 200 || r.status > 299) && !allow.includes(r.status)) throw httpError(method, path, r.status, r.body, this.grantedScopes());
    return r;
  }

  /**
   * JSON batching: up to 20 requests per POST /$batch (more are split in sequential chunks). Inner answers are
   * matched by id; inner 429/503/504 are retried after their Retry-After, inner replication-lag answers
   * (for items flagged lagRetry) with backoff, in follow-up batches of only those items.
   */
  async batch(items: BatchItem[], call: Omit<CallOptions, 'idempotent' | 'lagRetry'> = {}): Promise<Map<string, BatchAnswer>> {
    const out = new Map<string, BatchAnswer>();
    for (let i = 0; i < items.length; i += 20) {
      const chunk = items.slice(i, i + 20);
      for (const [k, v] of await this.batchChunk(chunk, call)) out.set(k, v);
    }
    return out;
  }

  private async batchChunk(items: BatchItem[], call: Omit<CallOptions, 'idempotent' | 'lagRetry'>): Promise<Map<string, BatchAnswer>> {
    const out = new Map<string, BatchAnswer>();
    const pol = this.policy;
    const tries = new Map<string, { throttles: number; lags: number }>();
    let pending = items;
    let waited = 0;
    while (pending.length) {
      const idempotent = pending.every((it) => it.idempotent ?? it.method === 'GET');
      const requests = pending.map((it) => ({
        id: it.id,
        method: it.method,
        url: it.url,
        ...(it.body !== undefined ? { body: it.body, headers: { 'Content-Type': 'application/json', ...it.headers } } : it.headers ? { headers: it.headers } : {}),
        ...(it.dependsOn?.length ? { dependsOn: it.dependsOn.filter((d) => pending.some((p) => p.id === d)) } : {}),
      }));
      const r = await this.request<{ responses?: RawBatchResponse[] }>('POST', '/$batch', { requests }, { ...call, idempotent }, pending.length);
      if (r.status < 200 || r.status > 299) throw httpError('POST', '/$batch', r.status, r.body, this.grantedScopes());
      const answers = new Map<string, RawBatchResponse>();
      for (const a of r.body?.responses ?? []) answers.set(String(a.id), a);
      const again: BatchItem[] = [];
      let delay = 0;
      for (const it of pending) {
        const a = answers.get(it.id);
        if (!a) {
          out.set(it.id, { status: 0, headers: {}, body: null });
          continue;
        }
        const t = tries.get(it.id) ?? { throttles: 0, lags: 0 };
        tries.set(it.id, t);
        const headers = lowerKeys(a.headers ?? {});
        if (isThrottleStatus(a.status) && t.throttles + 1 < pol.throttleAttempts) {
          const asked = retryAfterMs(headers['retry-after'] ?? null) ?? pol.throttleBaseMs * 2 ** t.throttles;
          if (asked <= pol.maxRetryAfterMs) {
            t.throttles += 1;
            delay = Math.max(delay, asked);
            again.push(it);
            continue;
          }
        }
        if (it.lagRetry && t.lags + 1 < pol.lagAttempts && isLagAnswer(a.status, JSON.stringify(a.body ?? ''), it.method)) {
          delay = Math.max(delay, Math.min(pol.lagBaseMs * 2 ** t.lags, pol.lagMaxMs));
          t.lags += 1;
          again.push(it);
          continue;
        }
        // 424: its dependency failed; if that dependency is retried, retry this one with it.
        if (a.status === 424 && it.dependsOn?.some((d) => again.some((g) => g.id === d))) {
          again.push(it);
          continue;
        }
        out.set(it.id, { status: a.status, headers, body: a.body ?? null });
      }
      // Items that answered 424 before their dependency was scheduled again: keep them with it.
      for (const it of pending) {
        const a = answers.get(it.id);
        if (a?.status === 424 && !again.includes(it) && it.dependsOn?.some((d) => again.some((g) => g.id === d))) {
          out.delete(it.id);
          again.push(it);
        }
      }
      if (!again.length) break;
      if (waited + delay > pol.maxTotalWaitMs) {
        for (const it of again) {
          const a = answers.get(it.id)!;
          out.set(it.id, { status: a.status, headers: lowerKeys(a.headers ?? {}), body: a.body ?? null });
        }
        break;
      }
      waited += delay;
      this.stats.retries += 1;
      this.stats.waitedMs += delay;
      try {
        await this.sleep(delay, call.signal);
      } catch (e) {
        throw call.signal?.aborted ? cancelled('POST', '/$batch', call.signal.reason) : e;
      }
      pending = again;
    }
    return out;
  }
}

export interface BatchItem {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. /applications/{id}. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
  idempotent?: boolean;
  lagRetry?: boolean;
}

export interface BatchAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface RawBatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) o[k.toLowerCase()] = v;
  return o;
}

/** The scp claim of a JWT access token (read, never verified or logged); undefined for opaque tokens. */
function scopesOf(token: string): string[] | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const scp = (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { scp?: unknown }).scp;
    return typeof scp === 'string' ? scp.split(' ').filter(Boolean) : undefined;
  } catch {
    return undefined;
  }
}

function cancelled(method: string, path: string, reason: unknown): GraphRequestError {
  return new GraphRequestError(`Cancelled: ${method} ${path.split('?')[0]} was not completed.`, { kind: 'cancelled', method, path, cause: reason });
}
