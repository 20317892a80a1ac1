// Bad input the live commands refuse before any sign-in (exit 2, a message saying what to give instead).
import { describe, expect, it } from 'vitest';
import { scopeValueProblem, normaliseHost } from '../../src-main/core/settings';
import { cli } from '../support/cli';

const base = ['--tenant', 'contoso.onmicrosoft.com', '--host', 'ice.contoso.com'];

describe('validation of the live commands', () => {
  it('--client-id must be a GUID', async () => {
    for (const cmd of ['verify', 'apply', 'signin']) {
      const r = await cli([cmd, ...(cmd === 'signin' ? ['--tenant', 'contoso.onmicrosoft.com'] : base), '--client-id', 'nope']);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/--client-id: "nope" is not a client id/);
      expect(r.stderr).toMatch(/GUID/);
    }
  });

  it('--scope is a scope value: a full api://…/X gets "give only X"', async () => {
    const r = await cli(['verify', ...base, '--scope', 'api://x/UserProfile.ReadWrite']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give only UserProfile\.ReadWrite/);
    expect(scopeValueProblem('https://contoso.com/api/Read')).toMatch(/give only Read/);
    expect(scopeValueProblem('UserProfile.ReadWrite')).toBeNull();
  });

  it('host ports are 1-65535', async () => {
    for (const h of ['x:0', 'ice.contoso.com:0', 'ice.contoso.com:65536', 'https://ice.contoso.com:99999/sso']) {
      expect(() => normaliseHost(h), h).toThrow(/port .*1-65535/);
    }
    expect(normaliseHost('ice.contoso.com:8443')).toBe('https://ice.contoso.com:8443/sso');
    expect(normaliseHost('ice.contoso.com:65535')).toBe('https://ice.contoso.com:65535/sso');
    const r = await cli(['verify', '--tenant', 'contoso.onmicrosoft.com', '--host', 'x:0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/port 0/);
  });

  it('--adopt needs the registration, and not with --create-new (before any sign-in)', async () => {
    const a = await cli(['apply', ...base, '--adopt']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--adopt needs the registration to adopt: give --app-id/);
    const b = await cli(['apply', ...base, '--adopt', '--create-new', '--app-id', '11111111-1111-1111-1111-111111111111']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/either --adopt .* or --create-new/);
    const h = await cli(['help', 'apply']);
    expect(h.stdout).toMatch(/--adopt/);
    expect(h.stdout).toMatch(/--create-new/);
    const s = await cli(['help', 'signout']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/signout/);
  });
});
