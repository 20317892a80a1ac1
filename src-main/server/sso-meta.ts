// Reads each ICE Server's unauthenticated GET /sso-meta for the server.sso-meta step. https only, no
// credentials or cookies, a timeout per host, a cap on the body, at most a few redirects (https only).
// Trusts extra CAs the standard way (NODE_EXTRA_CA_CERTS), as Node's fetch does. The comparison is pure and
// lives in core/sso-meta.ts.
import { compareSsoMetaDetailed, ssoMetaUrl, type SsoMetaComparison, type SsoMetaFetchResult, type SsoMetaProblem } from '../core/sso-meta';
import type { IceValues, Settings } from '../core/types';

export interface SsoMetaFetchOptions {
  /** Per host, for the whole exchange including redirects (default 10 s). */
  timeoutMs?: number;
  /** Largest body accepted (default 64 KiB; the real document is well under 2 KiB). */
  maxBytes?: number;
  /** Redirects followed at most (default 3), only to https. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

const DEFAULTS = { timeoutMs: 10_000, maxBytes: 64 * 1024, maxRedirects: 3 };

class Stop extends Error {
  constructor(
    readonly problem: SsoMetaProblem,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

/** Node's fetch failure -> which network problem, in words. */
function classify(e: unknown, url: string): Stop {
  let cause: unknown = e;
  for (let i = 0; i < 4 && cause && typeof cause === 'object' && 'cause' in cause && (cause as { cause?: unknown }).cause; i++) cause = (cause as { cause: unknown }).cause;
  const code = String((cause as { code?: unknown } | null)?.code ?? '');
  const msg = cause instanceof Error ? cause.message : String(cause);
  const host = new URL(url).host;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Stop('dns', `the host name ${new URL(url).hostname} does not resolve (${code})`);
  if (code === 'ECONNREFUSED') return new Stop('refused', `${host} refused the connection (nothing listens on that port)`);
  if (TLS_CODES.test(code) || /certificate|TLS|SSL/i.test(msg)) {
    return new Stop('tls', `TLS with ${host} failed (${code || msg}); a private CA can be trusted with NODE_EXTRA_CA_CERTS=/path/ca.pem`);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new Stop('timeout', `${host} did not accept the connection in time`);
  return new Stop('network', `${host}: ${code ? `${code} ` : ''}${msg}`);
}

async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  const len = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(len) && len > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new Stop('too-large', `the answer is ${len} bytes, more than ${maxBytes}`);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Stop('too-large', `the answer is more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function snippet(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** GET one /sso-meta URL. Never throws for a server or network problem: the result says what happened. */
export async function fetchSsoMeta(url: string, opts: SsoMetaFetchOptions = {}): Promise<SsoMetaFetchResult> {
  const { timeoutMs, maxBytes, maxRedirects } = { ...DEFAULTS, ...opts };
  const started = Date.now();
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const seen = new Set<string>();
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const u = new URL(current);
      if (u.protocol !== 'https:') {
        throw new Stop(hop ? 'redirects' : 'not-https', hop ? `redirected to ${current}, which is not https` : `${current} is not an https URL`);
      }
      seen.add(current);
      let res: Response;
      try {
        res = await fetch(current, {
          method: 'GET',
          redirect: 'manual',
          credentials: 'omit',
          headers: { accept: 'application/json' },
          signal,
        });
      } catch (e) {
        if (signal.aborted) throw e;
        throw classify(e, current);
      }
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        await res.body?.cancel().catch(() => undefined);
        const loc = res.headers.get('location');
        if (!loc) throw new Stop('http-status', `HTTP ${res.status} without a Location header`, res.status);
        const next = new URL(loc, current).toString();
        if (seen.has(next)) throw new Stop('redirects', `redirect loop: ${current} -> ${next}`, res.status);
        if (hop + 1 > maxRedirects) throw new Stop('redirects', `more than ${maxRedirects} redirects (last to ${next})`, res.status);
        current = next;
        continue;
      }
      if (res.status !== 200) {
        const text = new TextDecoder().decode(await readCapped(res, maxBytes).catch(() => new Uint8Array()));
        throw new Stop('http-status', `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text.trim() ? ` ("${snippet(text)}")` : ''}`, res.status);
      }
      const text = new TextDecoder().decode(await readCapped(res, maxBytes));
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        const type = res.headers.get('content-type') ?? 'no content type';
        throw new Stop('not-json', `${type}${/<html|<!doctype/i.test(text) ? ', an HTML page' : ''}: "${snippet(text)}"`, 200);
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new Stop('not-object', `it is ${Array.isArray(body) ? 'an array' : body === null ? 'null' : `a ${typeof body}`}`, 200);
      }
      return { host, url, ok: true, body, ms: Date.now() - started };
    }
  } catch (e) {
    const ms = Date.now() - started;
    if (e instanceof Stop) return { host, url, ok: false, problem: e.problem, detail: e.message, ...(e.status !== undefined ? { status: e.status } : {}), ms };
    if (timeout.aborted) return { host, url, ok: false, problem: 'timeout', detail: `no complete answer from ${host} within ${Math.round(timeoutMs / 100) / 10} s`, ms };
    if (opts.signal?.aborted) throw e instanceof Error ? e : new Error(String(e));
    const s = classify(e, current);
    return { host, url, ok: false, problem: s.problem, detail: s.message, ms };
  }
}

/** Every ICE host of the settings, fetched in parallel, in the settings' order. */
export async function fetchAllSsoMeta(settings: Pick<Settings, 'hosts'>, opts: SsoMetaFetchOptions = {}): Promise<SsoMetaFetchResult[]> {
  return Promise.all(settings.hosts.map((h) => fetchSsoMeta(ssoMetaUrl(h), opts)));
}

/** Fetch + compare: the server.sso-meta step and the per-host reports. */
export async function checkSsoMeta(settings: Pick<Settings, 'hosts'>, values: IceValues, opts: SsoMetaFetchOptions = {}): Promise<SsoMetaComparison> {
  if (!Object.values(values).every(Boolean)) return compareSsoMetaDetailed(values, []);
  return compareSsoMetaDetailed(values, await fetchAllSsoMeta(settings, opts));
}
