import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs, type OptionDef } from '../../src-main/cli/args';
import { UsageError } from '../../src-main/cli/errors';
import { parseGraphJson } from '../../src-main/graph/files';
import { jsonErrorOffset, lineColumn } from '../../src-main/lib/json-position';
import { settingsFromOptions, settingsInputFromOptions, SETTINGS_OPTIONS } from '../../src-main/cli/settings-options';
import { tmpDir } from '../support/tmp';

function jsonValid(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

describe('jsonErrorOffset', () => {
  it('property: -1 exactly when JSON.parse accepts the text', () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom('}', ']', ',', ':', '"', 'x', ' ', '\n', '\\')).map(([j, at, c]) => {
        const i = j.length ? at % j.length : 0;
        return j.slice(0, i) + c + j.slice(i);
      }),
    );
    fc.assert(
      fc.property(jsonish, (t) => {
        const off = jsonErrorOffset(t);
        expect(off === -1).toBe(jsonValid(t));
        if (off >= 0) expect(off).toBeLessThanOrEqual(t.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('points at the offending character', () => {
    const t = '{\n  "a": 1,\n  "b": tru\n}';
    const { line, column } = lineColumn(t, jsonErrorOffset(t));
    expect([line, column]).toEqual([3, 11]);
    expect(() => parseGraphJson(t, '--app app.json')).toThrow(/--app app\.json: not JSON: parsing stopped at line 3, column 11/);
    expect(parseGraphJson('\uFEFF{"a":1}', '--app x')).toEqual({ a: 1 });
  });
});

describe('parseArgs', () => {
  const defs: OptionDef[] = [
    { name: 'app', kind: 'string', description: 'app' },
    { name: 'host', kind: 'list', description: 'host', aliases: ['hosts'] },
    { name: 'json', kind: 'flag', description: 'json' },
  ];
  it('reads --x v, --x=v, repeats, flags, - and --', () => {
    const p = parseArgs(['--app=a.json', '--host', 'a', '--hosts', 'b', '--json', '-', '--', '--app'], defs, 't');
    expect(p.options).toEqual({ app: 'a.json', host: ['a', 'b'], json: true });
    expect(p.positionals).toEqual(['-', '--app']);
    expect(parseArgs(['--app', '-'], defs, 't').options.app).toBe('-');
  });
  it('refuses unknown options, missing values, repeated single options, values on flags', () => {
    expect(() => parseArgs(['--ap', 'x'], defs, 't')).toThrow(/unknown option --ap for `t` \(did you mean --app\?\)/);
    expect(() => parseArgs(['--app'], defs, 't')).toThrow(UsageError);
    expect(() => parseArgs(['--app', '--json'], defs, 't')).toThrow(/needs a value/);
    expect(() => parseArgs(['--app', 'a', '--app', 'b'], defs, 't')).toThrow(/given twice/);
    expect(() => parseArgs(['--json=yes'], defs, 't')).toThrow(/takes no value/);
    expect(() => parseArgs(['-x'], defs, 't')).toThrow(/unknown option -x/);
  });
});

describe('settings options', () => {
  it('turn into a SettingsInput with only what was given', () => {
    const p = parseArgs(['--host', 'a.example', '--host', 'b.example,c.example', '--consent', 'admins', '--user-consent-name', 'Sign in to ICE'], SETTINGS_OPTIONS, 't');
    expect(settingsInputFromOptions(p)).toEqual({ hosts: ['a.example', 'b.example,c.example'], consent: 'admins', consentTexts: { userConsentDisplayName: 'Sign in to ICE' } });
    const s = settingsFromOptions(p);
    expect(s.hosts).toHaveLength(3);
    expect(s.consentTexts.userConsentDisplayName).toBe('Sign in to ICE');
    expect(s.consentTexts.adminConsentDisplayName).toBe('Read and write your ICE user profile');
  });
  it('combine with a base input (a saved site) and name the option in errors', () => {
    const p = parseArgs(['--scope', 'Ice.Access'], SETTINGS_OPTIONS, 't');
    expect(settingsFromOptions(p, { hosts: ['a.example'], consent: 'admins' })).toMatchObject({ scopeValue: 'Ice.Access', consent: 'admins' });
    const bad = parseArgs(['--cloud', 'custom', '--login-url', 'http://x'], SETTINGS_OPTIONS, 't');
    expect(() => settingsFromOptions(bad, { hosts: 'a.example' })).toThrow(/--login-url: "http:\/\/x" is not https[\s\S]*--graph-url: is missing/);
  });
});

describe('liveInputs (verify/apply --site)', () => {
  it('resolves --site against the working folder and passes on the ids and scope id the site recorded', async () => {
    const { writeFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const { APP_OPTIONS, SIGNIN_OPTIONS, liveInputs } = await import('../../src-main/cli/live');
    const { newSiteDocument, serializeSite } = await import('../../src-main/sites/store');
    const dir = await tmpDir('live-inputs');
    const scopeId = '5f2d0c1e-7a3b-4c9d-8e6f-0a1b2c3d4e5f';
    const doc = newSiteDocument({ name: 'Contoso', settings: { hosts: ['ice-dc1.contoso.com'] }, tenant: { domain: 'contoso.onmicrosoft.com' } });
    await writeFile(path.join(dir, 'contoso.json'), serializeSite({ ...doc, app: { appId: '11111111-2222-3333-4444-555555555555', scopeId } }));
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, readStdin: async () => '', env: {}, cwd: dir };
    const p = parseArgs(['--site', 'contoso.json'], [...SIGNIN_OPTIONS, ...APP_OPTIONS, ...SETTINGS_OPTIONS], 'apply');
    const inputs = await liveInputs(p, io);
    expect(inputs.tenant).toBe('contoso.onmicrosoft.com');
    expect(inputs.settings.hosts).toEqual(['https://ice-dc1.contoso.com/sso']);
    expect(inputs.hint).toEqual({ appId: '11111111-2222-3333-4444-555555555555' });
    expect(inputs.scopeId).toBe(scopeId);
    expect(inputs.site?.name).toBe('Contoso');
  });
});
