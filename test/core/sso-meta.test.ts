import { describe, expect, it } from 'vitest';
import { compareSsoMeta, compareSsoMetaDetailed, serverBase, ssoMetaUrl, SSO_META_KEYS, type SsoMetaFetchResult } from '../../src-main/core/sso-meta';
import { ICE_VALUE_KEYS, type IceValues } from '../../src-main/core/types';
import { VALUES } from './sso-meta-fixtures';

const META = { provider: 'azure_ad', ...VALUES };
const ok = (body: unknown, host = 'ice1.example.com'): SsoMetaFetchResult => ({ host, url: `https://${host}/sso-meta`, ok: true, body });

describe('compareSsoMeta (pure)', () => {
  it('maps a settings host to the server base and the /sso-meta URL, keeping a port', () => {
    expect(serverBase('https://ice.contoso.com/sso')).toBe('https://ice.contoso.com');
    expect(ssoMetaUrl('https://ice.contoso.com:8443/sso')).toBe('https://ice.contoso.com:8443/sso-meta');
  });

  it('passes when every documented key matches, and reports extra keys without failing', () => {
    expect(compareSsoMeta(VALUES, [ok(META)]).status).toBe('pass');
    const r = compareSsoMetaDetailed(VALUES, [ok({ ...META, version: '5.2', logoutUrl: 'x' })]);
    expect(r.step.status).toBe('pass');
    expect(r.hosts[0]?.extra).toEqual(['version', 'logoutUrl']);
    expect(r.step.found).toMatch(/Extra keys \(not compared\): version, logoutUrl/);
  });

  it.each(SSO_META_KEYS.map((k) => [k]))('fails naming %s (server value shown, not stored), the expected one and the ICE Desktop field', (key) => {
    const r = compareSsoMetaDetailed(VALUES, [ok({ ...META, [key]: 'wrong' })]);
    expect(r.step.status).toBe('fail');
    expect(r.hosts[0]?.differences.map((d) => d.key)).toEqual([key]);
    const d = r.hosts[0]!.differences[0]!;
    expect(d.server).toBe('"wrong"');
    expect(d.expected).toBe(key === 'provider' ? 'azure_ad' : VALUES[key as keyof IceValues]);
    // The stored text names the key and the expected value, never the server's text (issue 8: nothing of a
    // response body is kept in the site or the bundle); the server's value is in the report for display only.
    expect(r.step.found).toContain(`${key} differs, expected`);
    expect(r.step.found).not.toContain('wrong');
    if (key !== 'provider') {
      expect(d.label).not.toBe('');
      expect(r.step.fix).toContain(`"${d.label}"`);
    }
  });

  it('reports a missing key and a non-string value; GUIDs compare case-insensitively', () => {
    const { audience: _drop, ...rest } = META;
    const r = compareSsoMetaDetailed(VALUES, [ok({ ...rest, scope: 42, tenantId: (VALUES.tenantId ?? '').toUpperCase() })]);
    expect(r.hosts[0]?.differences.map((d) => [d.key, d.server])).toEqual([
      ['audience', 'missing'],
      ['scope', '42'],
    ]);
  });

  it('two hosts, one differs: fail, the matching host still shown as matching', () => {
    const r = compareSsoMetaDetailed(VALUES, [ok(META, 'dc1.example.com'), ok({ ...META, clientId: 'x' }, 'dc2.example.com')]);
    expect(r.step.status).toBe('fail');
    expect(r.hosts.map((h) => h.status)).toEqual(['pass', 'fail']);
    expect(r.step.fix).toMatch(/^On dc2\.example\.com: .*"Client ID"/);
  });

  it('network problems are unknown (needs network), wrong answers fail', () => {
    const bad = (problem: 'dns' | 'timeout' | 'http-status' | 'not-json'): SsoMetaFetchResult => ({ host: 'h', url: 'https://h/sso-meta', ok: false, problem, detail: 'd' });
    for (const p of ['dns', 'timeout'] as const) {
      const r = compareSsoMetaDetailed(VALUES, [bad(p)]);
      expect(r.step.status).toBe('unknown');
      expect(r.step.found).toMatch(/needs network access/);
    }
    for (const p of ['http-status', 'not-json'] as const) expect(compareSsoMeta(VALUES, [bad(p)]).status).toBe('fail');
    // One unreachable host and one matching: still unknown, not pass.
    expect(compareSsoMeta(VALUES, [ok(META), bad('dns')]).status).toBe('unknown');
  });

  it('is unknown, without comparing, while a value is not known or no host is listed', () => {
    for (const k of ICE_VALUE_KEYS) {
      const r = compareSsoMeta({ ...VALUES, [k]: null }, [ok(META)]);
      expect(r.status).toBe('unknown');
      expect(r.found).toMatch(/not known yet/);
    }
    expect(compareSsoMeta(VALUES, []).found).toMatch(/no ICE host/);
  });
});
