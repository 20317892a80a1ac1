// Reads each ICE Server's unauthenticated GET /sso-meta for the server.sso-meta step. https only, no
// credentials or cookies, a timeout per host, a cap on the body, at most a few redirects and only within the
// same host (https). The server may be hostile: a redirect or a DNS answer cannot steer the request to this
// computer or to a private network unless the configured ICE host itself is there (a lab), every connection's
// address is checked when it is made (no rebinding between check and connect), and no text of any answer is
// kept: only the status, the content type and which keys differ. Trusts extra CAs the standard way
// (NODE_EXTRA_CA_CERTS). The comparison is pure and lives in core/sso-meta.ts.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { compareSsoMetaDetailed, ssoMetaUrl, type SsoMetaComparison, type SsoMetaFetchResult, type SsoMetaProblem } from '../core/sso-meta';
import type { IceValues, Settings } from '../core/types';
import { addressClass, type AddressClass } from '../lib/private-address';

/** dns.lookup's shape (tests pass their own resolver). */
export type LookupFn = typeof dnsLookup;

export interface SsoMetaFetchOptions {
  /** Per host, for the whole exchange including redirects (default 10 s). */
  timeoutMs?: number;
  /** Largest body accepted (default 64 KiB; the real document is well under 2 KiB). */
  maxBytes?: number;
  /** Redirects followed at most (default 3), only to https on the same host. */
  maxRedirects?: number;
  signal?: AbortSignal;
  /** The resolver (default dns.lookup). */
  lookup?: LookupFn;
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
const TARGET_REFUSED = 'ERR_SSO_META_PRIVATE_TARGET';

/** A connection failure -> which network problem, in words. */
function classify(e: unknown, url: string): Stop {
  let cause: unknown = e;
  for (let i = 0; i < 4 && cause && typeof cause === 'object' && 'cause' in cause && (cause as { cause?: unknown }).cause; i++) cause = (cause as { cause: unknown }).cause;
  const code = String((cause as { code?: unknown } | null)?.code ?? '');
  const msg = cause instanceof Error ? cause.message : String(cause);
  const host = new URL(url).host;
  if (code === TARGET_REFUSED) return new Stop('private-target', msg);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new Stop('dns', `the host name ${new URL(url).hostname} does not resolve (${code})`);
  if (code === 'ECONNREFUSED') return new Stop('refused', `${host} refused the connection (nothing listens on that port)`);
  if (TLS_CODES.test(code) || /certificate|TLS|SSL/i.test(msg)) {
    return new Stop('tls', `TLS with ${host} failed (${code || msg}); a private CA can be trusted with NODE_EXTRA_CA_CERTS=/path/ca.pem`);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new Stop('timeout', `${host} did not accept the connection in time`);
  return new Stop('network', `${host}: ${code ? `${code} ` : ''}${msg}`);
}

async function readCapped(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const len = Number(res.headers['content-length'] ?? '');
  if (Number.isFinite(len) && len > maxBytes) {
    res.destroy();
    throw new Stop('too-large', `the answer is ${len} bytes, more than ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    const b = c as Buffer;
    size += b.length;
    if (size > maxBytes) {
      res.destroy();
      throw new Stop('too-large', `the answer is more than ${maxBytes} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}

/** A content type as the server sent it, reduced to its type/subtype (no server text beyond a media type). */
function mediaType(res: IncomingMessage): string {
  const t = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/.test(t) ? t : t ? 'an unusual content type' : 'no content type';
}

function lookupAll(lookup: LookupFn, hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => lookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses as LookupAddress[]))));
}

/**
 * Where the configured ICE host is: the classes of its own addresses (an IP literal, or what its name resolves
 * to now). A non-public class there means a lab, and only that class is then allowed besides public addresses.
 */
async function homeClasses(hostname: string, lookup: LookupFn): Promise<Set<AddressClass>> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return new Set([addressClass(bare)]);
  try {
    return new Set((await lookupAll(lookup, bare)).map((a) => addressClass(a.address)));
  } catch {
    return new Set(); // DNS fails: the connection will say so
  }
}

const CLASS_WORDS: Record<AddressClass, string> = {
  loopback: 'this computer (loopback)',
  private: 'a private network',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local IPv6 network',
  unspecified: 'an unspecified address',
  public: 'the internet',
};

/** dns.lookup with the address policy: every address a connection would use is checked before it is used. */
function policyLookup(lookup: LookupFn, home: Set<AddressClass>, configuredHost: string): LookupFn {
  const wrapped = (hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;
    const opts = (typeof options === 'object' && options ? options : {}) as { all?: boolean };
    lookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return cb(err);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => {
        const c = addressClass(a.address);
        return c !== 'public' && !home.has(c);
      });
      if (bad) {
        const e = new Error(`${hostname} led to ${CLASS_WORDS[addressClass(bad.address)]} (${bad.address}), but the ICE host ${configuredHost} is not there; nothing was requested from it`) as NodeJS.ErrnoException;
        e.code = TARGET_REFUSED;
        return cb(e);
      }
      if (!list.length) {
        const e = new Error(`${hostname} has no address`) as NodeJS.ErrnoException;
        e.code = 'ENOTFOUND';
        return cb(e);
      }
      if (opts.all) cb(null, list);
      else cb(null, list[0]!.address, list[0]!.family);
    });
  };
  return wrapped as unknown as LookupFn;
}

function get(url: URL, signal: AbortSignal, lookup: LookupFn): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { accept: 'application/json' }, signal, lookup, agent: false }, resolve);
    req.on('error', reject);
    req.end();
  });
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
    let first: URL;
    try {
      first = new URL(url);
    } catch {
      throw new Stop('not-https', `${JSON.stringify(url)} is not an https URL`);
    }
    if (first.protocol !== 'https:') throw new Stop('not-https', `${url} is not an https URL`);
    const lookup = policyLookup(opts.lookup ?? dnsLookup, await homeClasses(first.hostname, opts.lookup ?? dnsLookup), first.host);
    for (let hop = 0; ; hop++) {
      const u = new URL(current);
      if (u.protocol !== 'https:') throw new Stop('redirects', `redirected to ${u.protocol.replace(/:$/, '')}://${u.host}, which is not https`);
      if (u.host !== first.host) throw new Stop('redirects', `redirected to another host (${u.host}); only redirects within ${first.host} are followed, nothing was requested from ${u.host}`);
      seen.add(current);
      let res: IncomingMessage;
      try {
        res = await get(u, signal, lookup);
      } catch (e) {
        if (signal.aborted) throw e;
        throw classify(e, current);
      }
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && status !== 304) {
        res.destroy();
        const loc = res.headers.location;
        if (!loc) throw new Stop('http-status', `HTTP ${status} without a Location header`, status);
        let next: string;
        try {
          next = new URL(loc, current).toString();
        } catch {
          throw new Stop('redirects', `HTTP ${status} to an address that is not a URL`, status);
        }
        if (seen.has(next)) throw new Stop('redirects', `redirect loop: ${new URL(current).pathname} -> ${new URL(next).pathname}`, status);
        if (hop + 1 > maxRedirects) throw new Stop('redirects', `more than ${maxRedirects} redirects`, status);
        current = next;
        continue;
      }
      if (status !== 200) {
        res.destroy();
        throw new Stop('http-status', `HTTP ${status} (${mediaType(res)})`, status);
      }
      const text = (await readCapped(res, maxBytes)).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Stop('not-json', `${mediaType(res)}${/<html|<!doctype/i.test(text) ? ', an HTML page' : ''}`, 200);
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
