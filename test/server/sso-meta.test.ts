// server.sso-meta over real HTTPS on loopback: a fake ICE Server with the emulator's test CA
// (NODE_EXTRA_CA_CERTS, as npm test sets it).
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseHost } from '../../src-main/core/settings';
import { SSO_META_KEYS } from '../../src-main/core/sso-meta';
import { checkSsoMeta, fetchSsoMeta } from '../../src-main/server/sso-meta';
import { VALUES } from '../core/sso-meta-fixtures';
import { json, startFakeIce, type FakeIce } from './fake-ice';

const META = { provider: 'azure_ad', ...VALUES };

describe('fetch + compare /sso-meta against a fake ICE Server (loopback HTTPS)', () => {
  let a: FakeIce;
  let b: FakeIce;
  beforeAll(async () => {
    a = await startFakeIce();
    b = await startFakeIce();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  const hostsOf = (...f: FakeIce[]) => ({ hosts: f.map((x) => normaliseHost(x.host)) });

  it('accepts host:port as an ICE host', () => {
    expect(normaliseHost(a.host)).toBe(`${a.base}/sso`);
  });

  it('match: pass; GET /sso-meta without cookies or credentials', async () => {
    a.handler = json(META);
    const r = await checkSsoMeta(hostsOf(a), VALUES);
    expect(r.step.status).toBe('pass');
    expect(a.seen.at(-1)).toEqual({ method: 'GET', url: '/sso-meta' });
  });

  it.each(SSO_META_KEYS.map((k) => [k]))('each key differing: %s named, server value vs expected', async (key) => {
    a.handler = json({ ...META, [key]: `not-${key}` });
    const r = await checkSsoMeta(hostsOf(a), VALUES);
    expect(r.step.status).toBe('fail');
    expect(r.hosts[0]?.differences.map((d) => [d.key, d.server])).toEqual([[key, `"not-${key}"`]]);
  });

  it('extra keys are reported, not errors', async () => {
    a.handler = json({ ...META, serverVersion: '5.1', realm: 'x' });
    const r = await checkSsoMeta(hostsOf(a), VALUES);
    expect(r.step.status).toBe('pass');
    expect(r.hosts[0]?.extra).toEqual(['serverVersion', 'realm']);
  });

  it('404: fail with the status and content type, none of the body', async () => {
    a.handler = (_q, s) => s.writeHead(404, { 'content-type': 'text/plain' }).end('no such page');
    const r = await checkSsoMeta(hostsOf(a), VALUES);
    expect(r.step.status).toBe('fail');
    expect(r.hosts[0]).toMatchObject({ problem: 'http-status', summary: expect.stringMatching(/HTTP 404 \(text\/plain\)/) });
    // No text of the answer is kept (issue 8): status and content type only.
    expect(JSON.stringify(r)).not.toContain('no such page');
  });

  it('HTML instead of JSON: fail, says it is HTML', async () => {
    a.handler = (_q, s) => s.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Sign in</body></html>');
    const r = await checkSsoMeta(hostsOf(a), VALUES);
    expect(r.step.status).toBe('fail');
    expect(r.hosts[0]?.summary).toMatch(/not JSON: text\/html, an HTML page/);
  });

  it('JSON but not an object, and a body over the size cap: fail', async () => {
    a.handler = json([1, 2]);
    expect((await fetchSsoMeta(`${a.base}/sso-meta`)).ok === false && (await fetchSsoMeta(`${a.base}/sso-meta`))).toMatchObject({ problem: 'not-object' });
    a.handler = json({ ...META, pad: 'x'.repeat(5000) });
    expect(await fetchSsoMeta(`${a.base}/sso-meta`, { maxBytes: 1024 })).toMatchObject({ ok: false, problem: 'too-large' });
  });

  it('slow server: timeout, unknown, says the check needs network', async () => {
    a.handler = (_q, s) => setTimeout(() => json(META)(_q, s), 2_000);
    const t0 = Date.now();
    const r = await checkSsoMeta(hostsOf(a), VALUES, { timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(r.step.status).toBe('unknown');
    expect(r.hosts[0]).toMatchObject({ problem: 'timeout' });
    expect(r.hosts[0]?.summary).toMatch(/timeout.*needs network access/);
  });

  it('connection refused: unknown, says which', async () => {
    const srv = createServer();
    await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((res) => srv.close(() => res()));
    const r = await checkSsoMeta({ hosts: [normaliseHost(`127.0.0.1:${port}`)] }, VALUES);
    expect(r.step.status).toBe('unknown');
    expect(r.hosts[0]).toMatchObject({ problem: 'refused', summary: expect.stringMatching(/refused/) });
  });

  it('TLS failure (no TLS on that port) and DNS failure are told apart, each named', async () => {
    const plain = createHttpServer((_q, s) => s.end('plain http'));
    await new Promise<void>((res) => plain.listen(0, '127.0.0.1', res));
    try {
      const port = (plain.address() as { port: number }).port;
      const r = await checkSsoMeta({ hosts: [normaliseHost(`127.0.0.1:${port}`)] }, VALUES, { timeoutMs: 3000 });
      expect(r.hosts[0]).toMatchObject({ status: 'unknown', problem: 'tls', summary: expect.stringMatching(/TLS .*failed.*NODE_EXTRA_CA_CERTS.*needs network access/) });
    } finally {
      await new Promise<void>((res) => plain.close(() => res()));
    }
    const dns = await fetchSsoMeta('https://ice.invalid/sso-meta', { timeoutMs: 3000 });
    expect(dns).toMatchObject({ ok: false, problem: expect.stringMatching(/^(dns|timeout)$/) });
  });

  it('redirects: followed within https up to a few, loops and http refused', async () => {
    a.handler = (q, s) => {
      if (q.url === '/sso-meta') return s.writeHead(302, { location: '/api/sso-meta' }).end();
      return json(META)(q, s);
    };
    expect((await checkSsoMeta(hostsOf(a), VALUES)).step.status).toBe('pass');
    a.handler = (q, s) => s.writeHead(302, { location: q.url === '/sso-meta' ? '/other' : '/sso-meta' }).end();
    expect((await checkSsoMeta(hostsOf(a), VALUES)).hosts[0]).toMatchObject({ status: 'fail', problem: 'redirects', summary: expect.stringMatching(/loop/) });
    a.handler = (_q, s) => s.writeHead(301, { location: `http://${a.host}/sso-meta` }).end();
    expect((await checkSsoMeta(hostsOf(a), VALUES)).hosts[0]).toMatchObject({ problem: 'redirects', summary: expect.stringMatching(/not https/) });
    let n = 0;
    a.handler = (_q, s) => s.writeHead(302, { location: `/r${n++}` }).end();
    expect((await checkSsoMeta(hostsOf(a), VALUES)).hosts[0]).toMatchObject({ problem: 'redirects', summary: expect.stringMatching(/more than 3 redirects/) });
  });

  it('http://localhost is not fetched (https only)', async () => {
    const r = await checkSsoMeta({ hosts: ['http://localhost/sso'] }, VALUES);
    expect(r.hosts[0]).toMatchObject({ status: 'unknown', problem: 'not-https' });
  });

  it('two hosts, one differs: fail naming that host and field; the other matches', async () => {
    a.handler = json(META);
    b.handler = json({ ...META, tenantId: '99999999-2222-3333-4444-555555555555' });
    const r = await checkSsoMeta(hostsOf(a, b), VALUES);
    expect(r.step.status).toBe('fail');
    expect(r.hosts.map((h) => [h.host, h.status])).toEqual([
      [a.host, 'pass'],
      [b.host, 'fail'],
    ]);
    expect(r.step.fix).toContain(`On ${b.host}:`);
    expect(r.step.fix).toContain('"Tenant ID"');
  });
});
