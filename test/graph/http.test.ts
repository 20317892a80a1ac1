// GraphAccess against a scripted local HTTP server: retries, Retry-After, lag, drops, timeouts, cancel, batching.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphRequestError } from '../../src-main/graph/errors';
import { GraphAccess, isLagAnswer, retryAfterMs } from '../../src-main/graph/http';

type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop' | 'hang';
interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
  prefer: string | undefined;
}

let server: http.Server;
let base = '';
let script: Array<(req: Seen) => Reply | undefined> = [];
let seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        body: data ? JSON.parse(data) : undefined,
        prefer: req.headers.prefer as string | undefined,
      };
      seen.push(s);
      const step = script.shift();
      const reply = step?.(s) ?? { status: 200, body: { ok: true } };
      if (reply === 'drop') return req.socket.destroy();
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  script = [];
  seen = [];
});

const TOKEN = 'tok-abc.def.ghi';
function access(extra: Partial<ConstructorParameters<typeof GraphAccess>[0]> = {}) {
  const sleeps: number[] = [];
  const graph = new GraphAccess({
    graphUrl: base,
    getToken: async () => TOKEN,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { graph, sleeps };
}

describe('GraphAccess.request', () => {
  it('sends the bearer token to /v1.0 and counts one round trip', async () => {
    const { graph } = access();
    const r = await graph.request('GET', "/applications(appId='x')?$select=id,appId");
    expect(r.status).toBe(200);
    expect(seen[0]!.url).toBe("/v1.0/applications(appId='x')?$select=id,appId");
    expect(seen[0]!.auth).toBe(`Bearer ${TOKEN}`);
    expect(graph.stats).toMatchObject({ httpRequests: 1, roundTrips: 1, graphRequests: 1, retries: 0 });
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    const { graph, sleeps } = access();
    script = [() => ({ status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'TooManyRequests' } } })];
    const r = await graph.request('GET', '/applications');
    expect(r.status).toBe(200);
    expect(sleeps).toEqual([2000]);
    expect(graph.stats).toMatchObject({ httpRequests: 2, retries: 1, waitedMs: 2000 });
  });

  it('retries 503 and 504 with backoff when no Retry-After is given', async () => {
    const { graph, sleeps } = access();
    script = [() => ({ status: 503 }), () => ({ status: 504 })];
    expect((await graph.request('GET', '/applications')).status).toBe(200);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('gives up after the bounded attempts and reports clearly', async () => {
    const { graph, sleeps } = access({ retry: { throttleAttempts: 3 } });
    script = [0, 1, 2, 3].map(() => () => ({ status: 503, headers: { 'retry-after': '1' } }));
    const err = await graph.call('GET', '/applications').catch((e) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err.message).toMatch(/busy.*503/);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('does not wait for a Retry-After beyond the limit', async () => {
    const { graph, sleeps } = access({ retry: { maxRetryAfterMs: 5000 } });
    script = [() => ({ status: 429, headers: { 'retry-after': '600' } })];
    expect((await graph.request('GET', '/applications')).status).toBe(429);
    expect(sleeps).toEqual([]);
  });

  it('treats 404/409 on a fresh object as replication lag only when asked', async () => {
    const { graph, sleeps } = access();
    script = [() => ({ status: 404 }), () => ({ status: 409 })];
    expect((await graph.request('PATCH', '/applications/1', { a: 1 }, { lagRetry: true })).status).toBe(200);
    expect(sleeps).toEqual([500, 1000]);
    script = [() => ({ status: 404 })];
    expect((await graph.request('GET', '/applications/1')).status).toBe(404);
  });

  it('retries a dropped connection for an idempotent request', async () => {
    const { graph } = access();
    script = [() => 'drop'];
    const r = await graph.request('PATCH', "/applications(uniqueName='u')", { displayName: 'x' }, { idempotent: true, headers: { Prefer: 'create-if-missing' } });
    expect(r.status).toBe(200);
    expect(seen.map((s) => s.prefer)).toEqual(['create-if-missing', 'create-if-missing']);
  });

  it('reports a dropped connection on a POST as outcome unknown, without resending', async () => {
    const { graph } = access();
    script = [() => 'drop'];
    const err = await graph.request('POST', '/servicePrincipals', { appId: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err.outcomeUnknown).toBe(true);
    expect(err.message).toMatch(/connection to Graph dropped during POST \/servicePrincipals.*may or may not have applied it/);
    expect(seen).toHaveLength(1);
  });

  it('times out a request that never answers', async () => {
    const { graph } = access({ timeoutMs: 150, retry: { networkAttempts: 2 } });
    script = [() => 'hang', () => 'hang'];
    const err = await graph.request('GET', '/applications').catch((e) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err.kind).toBe('timeout');
    expect(seen).toHaveLength(2);
  });

  it('is cancellable during a Retry-After wait', async () => {
    const ac = new AbortController();
    const graph = new GraphAccess({ graphUrl: base, getToken: async () => TOKEN });
    script = [() => ({ status: 429, headers: { 'retry-after': '30' } })];
    const p = graph.request('GET', '/applications', undefined, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const err = await p.catch((e) => e);
    expect(err.kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('names the role and the permission on 403', async () => {
    const { graph } = access();
    script = [() => ({ status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } })];
    const err = await graph.call('POST', '/oauth2PermissionGrants', {}).catch((e) => e);
    expect(err.message).toMatch(/Application Administrator or Cloud Application Administrator/);
    expect(err.message).toMatch(/DelegatedPermissionGrant\.ReadWrite\.All/);
    expect(err.message).not.toContain(TOKEN);
  });
});

describe('GraphAccess.batch', () => {
  it('sends one /$batch, maps answers by id and counts inner requests', async () => {
    const { graph } = access();
    script = [
      (s) => {
        const reqs = (s.body as { requests: Array<{ id: string }> }).requests;
        return { status: 200, body: { responses: reqs.reverse().map((r) => ({ id: r.id, status: 200, body: { id: r.id } })) } };
      },
    ];
    const out = await graph.batch([
      { id: 'a', method: 'GET', url: '/applications/1' },
      { id: 'b', method: 'GET', url: '/servicePrincipals/2' },
    ]);
    expect(seen[0]!.url).toBe('/v1.0/$batch');
    expect(out.get('a')!.body).toEqual({ id: 'a' });
    expect(out.get('b')!.body).toEqual({ id: 'b' });
    expect(graph.stats).toMatchObject({ roundTrips: 1, httpRequests: 1, graphRequests: 2 });
  });

  it('retries only the throttled and lagging inner requests', async () => {
    const { graph, sleeps } = access();
    script = [
      () => ({
        status: 200,
        body: {
          responses: [
            { id: 'a', status: 201, body: { id: 'A' } },
            { id: 'b', status: 429, headers: { 'Retry-After': '3' } },
            { id: 'c', status: 400, body: { error: { code: 'Request_BadRequest', message: 'The appId x of the ServicePrincipal does not reference a valid application object.' } } },
          ],
        },
      }),
      (s) => {
        const ids = (s.body as { requests: Array<{ id: string }> }).requests.map((r) => r.id);
        return { status: 200, body: { responses: ids.map((id) => ({ id, status: 204 })) } };
      },
    ];
    const out = await graph.batch([
      { id: 'a', method: 'POST', url: '/x', body: {} },
      { id: 'b', method: 'GET', url: '/y' },
      { id: 'c', method: 'POST', url: '/servicePrincipals', body: { appId: 'x' }, lagRetry: true },
    ]);
    expect((seen[1]!.body as { requests: Array<{ id: string }> }).requests.map((r) => r.id)).toEqual(['b', 'c']);
    expect([...out.entries()].map(([k, v]) => [k, v.status])).toEqual([
      ['a', 201],
      ['b', 204],
      ['c', 204],
    ]);
    expect(sleeps).toEqual([3000]);
    expect(graph.stats.graphRequests).toBe(5);
  });

  it('splits more than 20 requests into several batches', async () => {
    const { graph } = access();
    const reply = (s: Seen): Reply => ({
      status: 200,
      body: { responses: (s.body as { requests: Array<{ id: string }> }).requests.map((r) => ({ id: r.id, status: 200, body: {} })) },
    });
    script = [reply, reply];
    const items = Array.from({ length: 25 }, (_, i) => ({ id: String(i), method: 'GET' as const, url: `/applications/${i}` }));
    const out = await graph.batch(items);
    expect(out.size).toBe(25);
    expect(seen.map((s) => (s.body as { requests: unknown[] }).requests.length)).toEqual([20, 5]);
  });
});

describe('helpers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(Date.parse('2030-01-01T00:00:10Z')).toUTCString(), Date.parse('2030-01-01T00:00:00Z'))).toBe(10000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
  it('recognises replication lag answers', () => {
    expect(isLagAnswer(404, '')).toBe(true);
    expect(isLagAnswer(400, '{"error":{"message":"The appId abc of the ServicePrincipal does not reference a valid application object."}}')).toBe(true);
    expect(isLagAnswer(400, '{"error":{"message":"Property identifierUris is invalid."}}')).toBe(false);
  });
});

describe('token failures', () => {
  it('a sign-in failure while getting the token is reported as such, not as a network error', async () => {
    const { SignInError } = await import('../../src-main/auth/errors');
    const graph = new GraphAccess({
      graphUrl: base,
      getToken: async () => {
        throw new SignInError('interaction-required', 'The sign-in expired: sign in again.');
      },
    });
    const err = await graph.request('GET', '/applications').catch((e) => e);
    expect(err).toBeInstanceOf(SignInError);
    expect(err.message).toMatch(/sign in again/);
    expect(seen).toHaveLength(0);
  });
});
