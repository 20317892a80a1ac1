// Issue 8: a hostile ICE Server cannot steer the /sso-meta check. Redirects are followed only within the same
// host over https; no connection goes to this computer or a private network unless the configured ICE host itself
// is there (every connection's address is checked when it is made, so DNS rebinding is refused too); and no text
// of any answer is kept: status, content type and which keys differ.
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseHost } from '../../src-main/core/settings';
import { fetchSsoMeta, type LookupFn } from '../../src-main/server/sso-meta';
import { checkServers } from '../../src-main/ops/server-check';
import { openSite } from '../../src-main/ops/site';
import { applyRun, newSiteDocument, serializeSite } from '../../src-main/sites/store';
import { tmpDir, verifiedRun } from '../support/sites';
import { json, startFakeIce, type FakeIce } from './fake-ice';

const SECRET = 'internal-admin-token-5f1c';

/** A resolver: `answers(hostname, call#)` gives the addresses; every call is recorded. */
function resolver(answers: (host: string, n: number) => string[] | null) {
  const calls: string[] = [];
  const fn = ((host: string, opts: unknown, cb: unknown) => {
    const callback = (typeof opts === 'function' ? opts : cb) as (e: NodeJS.ErrnoException | null, a?: LookupAddress[] | string, f?: number) => void;
    const o = (typeof opts === 'object' && opts ? opts : {}) as { all?: boolean };
    calls.push(host);
    const list = answers(host, calls.filter((c) => c === host).length);
    if (!list) return (dnsLookup as unknown as (h: string, o: unknown, c: unknown) => void)(host, opts, cb);
    const addrs = list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (o.all) callback(null, addrs);
    else callback(null, addrs[0]!.address, addrs[0]!.family);
  }) as unknown as LookupFn;
  return { fn, calls };
}

describe('/sso-meta against a hostile ICE Server', () => {
  let ice: FakeIce;
  let internal: FakeIce;
  let localhostBase: string;
  beforeAll(async () => {
    ice = await startFakeIce();
    // A service on this computer the ICE Server would like us to read (and copy into the bundle).
    internal = await startFakeIce(json({ provider: 'azure_ad', secret: SECRET }));
    localhostBase = `https://localhost:${ice.host.split(':')[1]}`;
  });
  afterAll(async () => {
    await ice.close();
    await internal.close();
  });

  it('a redirect to 127.0.0.1 (another host) is refused: nothing is requested there, nothing of it is kept', async () => {
    ice.handler = (_q, s) => s.writeHead(302, { location: `${internal.base}/sso-meta` }).end();
    const r = await fetchSsoMeta(`${localhostBase}/sso-meta`);
    expect(r).toMatchObject({ ok: false, problem: 'redirects', detail: expect.stringMatching(/redirected to another host \(127\.0\.0\.1:\d+\); only redirects within localhost:\d+ are followed/) });
    expect(internal.seen).toEqual([]);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it.each([
    ['169.254.169.254', 'https://169.254.169.254/latest/meta-data/'],
    ['10.0.0.5', 'https://10.0.0.5/sso-meta'],
    ['[fd00::1]', 'https://[fd00::1]/sso-meta'],
    ['[::1]', 'https://[::1]:8443/sso-meta'],
    ['an http page', `http://localhost:${'1'}/sso-meta`],
  ])('a redirect to %s is refused before any connection', async (_name, location) => {
    const dns = resolver(() => null);
    ice.handler = (_q, s) => s.writeHead(301, { location }).end();
    const r = await fetchSsoMeta(`${ice.base}/sso-meta`, { lookup: dns.fn, timeoutMs: 3000 });
    expect(r).toMatchObject({ ok: false, problem: 'redirects' });
    expect(dns.calls).toEqual([]); // 127.0.0.1 is a literal: nothing but the ICE host was ever looked up or contacted
  });

  it('a host name that resolves to the internet, then to 127.0.0.1 when connecting (DNS rebinding): refused, nothing sent', async () => {
    const before = ice.seen.length;
    ice.handler = json({ provider: 'azure_ad', secret: SECRET });
    const dns = resolver((host, n) => (host === 'localhost' ? (n === 1 ? ['203.0.113.10'] : ['127.0.0.1']) : null));
    const r = await fetchSsoMeta(`${localhostBase}/sso-meta`, { lookup: dns.fn, timeoutMs: 3000 });
    expect(r).toMatchObject({ ok: false, problem: 'private-target', detail: expect.stringMatching(/localhost led to this computer \(loopback\) \(127\.0\.0\.1\), but the ICE host localhost:\d+ is not there; nothing was requested/) });
    expect(ice.seen.length).toBe(before);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('the same for a private, link-local or unique-local address; a lab ICE host on loopback is allowed', async () => {
    for (const addr of ['10.1.2.3', '192.168.0.7', '169.254.1.1', 'fd12::7']) {
      const dns = resolver((host, n) => (host === 'localhost' ? (n === 1 ? ['198.51.100.7'] : [addr]) : null));
      const r = await fetchSsoMeta(`${localhostBase}/sso-meta`, { lookup: dns.fn, timeoutMs: 3000 });
      expect(r, addr).toMatchObject({ ok: false, problem: 'private-target' });
    }
    ice.handler = json({ provider: 'azure_ad' });
    // The configured host itself is on this computer (a lab): its own address class is allowed.
    expect(await fetchSsoMeta(`${localhostBase}/sso-meta`)).toMatchObject({ ok: true });
    expect(await fetchSsoMeta(`${ice.base}/sso-meta`)).toMatchObject({ ok: true });
  });

  it('server-check: a hostile answer fails the step, and no text of it reaches the site (or the next bundle)', async () => {
    const dir = await tmpDir('hostile-sso');
    const { run, settingsInput } = verifiedRun({ hosts: [ice.host] });
    const file = path.join(dir, 'site.json');
    await fsp.writeFile(file, serializeSite(applyRun(newSiteDocument({ name: 'Lab', settings: settingsInput }), run)));
    const v = run.values;
    for (const handler of [
      json({ ...v, provider: 'azure_ad', tenantId: `${SECRET}`, [`${SECRET}-key with spaces`]: 1 }),
      (_q: unknown, s: import('node:http').ServerResponse) => s.writeHead(500, { 'content-type': 'text/html' }).end(`<html>${SECRET}</html>`),
      (_q: unknown, s: import('node:http').ServerResponse) => s.writeHead(200, { 'content-type': `text/plain; x=${SECRET}` }).end(`not json ${SECRET}`),
      (_q: unknown, s: import('node:http').ServerResponse) => s.writeHead(302, { location: `${internal.base}/${SECRET}` }).end(),
    ]) {
      ice.handler = handler as FakeIce['handler'];
      const r = await checkServers(await openSite(file));
      expect(r.step.status).toBe('fail');
      expect(JSON.stringify(r.step)).not.toContain(SECRET);
      expect(JSON.stringify(r.run)).not.toContain(SECRET);
    }
    expect(await fsp.readFile(file, 'utf8')).not.toContain(SECRET);
    expect(internal.seen).toEqual([]);
    expect(normaliseHost(ice.host)).toBe(`${ice.base}/sso`);
  });
});
