import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOUDS } from '../../src-main/core/clouds';
import {
  DEFAULTS,
  FORBIDDEN_URI_CHARS,
  normaliseHost,
  parseSettings,
  scopeValueProblem,
  settingsOrThrow,
  settingsToInput,
  spaRedirectUriProblem,
} from '../../src-main/core/settings';

function errorsOf(input: unknown) {
  const r = parseSettings(input);
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.settings)}`);
  return r.errors;
}

// ---- generators
const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const label = fc
  .tuple(letter, fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')), { maxLength: 20 }), letter)
  .map(([a, mid, b]) => `${a}${mid.join('')}${b}`);
const topLabel = fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), label).map(([a, l]) => `${a}${l}`);
const hostname = fc.tuple(fc.array(label, { maxLength: 3 }), topLabel).map(([ls, top]) => [...ls, top].join('.'));
const port = fc.option(fc.integer({ min: 1, max: 65535 }).filter((p) => p !== 443), { nil: undefined });

function randomCase(s: string, mask: number): string {
  return s
    .split('')
    .map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c))
    .join('');
}

describe('normaliseHost', () => {
  it('accepts the forms the guide and field engineers use', () => {
    for (const input of ['test.icnow.app', 'https://test.icnow.app', 'https://test.icnow.app/', 'https://test.icnow.app/sso', 'https://test.icnow.app/sso/', 'HTTPS://Test.ICNOW.app/SSO', '  test.icnow.app  ', 'test.icnow.app/', 'test.icnow.app.']) {
      expect(normaliseHost(input), input).toBe('https://test.icnow.app/sso');
    }
    expect(normaliseHost('test.icnow.app:8443')).toBe('https://test.icnow.app:8443/sso');
    expect(normaliseHost('https://test.icnow.app:443/sso')).toBe('https://test.icnow.app/sso');
    expect(normaliseHost('http://localhost:3000')).toBe('http://localhost:3000/sso');
    expect(normaliseHost('10.1.2.3')).toBe('https://10.1.2.3/sso');
  });

  it('refuses what Entra or ICE would not accept, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['http://test.icnow.app', /https.*use https:\/\/test\.icnow\.app\/sso/],
      ['ftp://test.icnow.app', /ftp/],
      ['https://test.icnow.app/other', /path \/other.*\/sso/],
      ['https://test.icnow.app/sso?x=1', /query or fragment/],
      ['https://*.icnow.app', /wildcard/],
      ['test icnow.app', /a space/],
      ['https://user@test.icnow.app', /'@'/],
      ['te_st.icnow.app', /not a valid host name/],
      ['-bad.icnow.app', /not a valid host name/],
      [`${'a'.repeat(64)}.com`, /not a valid host name/],
      ['test.icnow.app,', /','/],
      ['34', /IP address 0\.0\.0\.34/],
    ];
    for (const [input, msg] of cases) {
      expect(() => normaliseHost(input), input).toThrow(msg);
    }
    for (const c of FORBIDDEN_URI_CHARS) expect(() => normaliseHost(`test${c}.icnow.app`)).toThrow(new RegExp(`'\\${c}'`));
  });

  it('refuses URIs longer than 256 characters', () => {
    const long = Array.from({ length: 5 }, () => 'a'.repeat(50)).join('.'); // 254 chars host
    expect(() => normaliseHost(long)).toThrow(/at most 25[36]/);
  });

  it('property: any valid host in any accepted form normalises to https://<host>/sso', () => {
    fc.assert(
      fc.property(
        hostname,
        port,
        fc.constantFrom('', 'https://', 'HTTPS://', 'Https://'),
        fc.constantFrom('', '/', '/sso', '/sso/', '/SSO'),
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.constantFrom('', ' ', '\t'),
        (host, p, scheme, path, mask, pad) => {
          const raw = `${pad}${scheme}${randomCase(host, mask)}${p ? `:${p}` : ''}${path}${pad}`;
          const expected = `https://${host}${p ? `:${p}` : ''}/sso`;
          fc.pre(expected.length <= 256);
          expect(normaliseHost(raw)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: on arbitrary input it either throws an explained error or returns a URI Entra accepts, idempotently', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.webUrl(), fc.domain()), (raw) => {
        let out: string;
        try {
          out = normaliseHost(raw);
        } catch (e) {
          expect((e as Error).name).toBe('SettingsValueError');
          expect((e as Error).message.length).toBeGreaterThan(10);
          return;
        }
        expect(spaRedirectUriProblem(out)).toBeNull();
        expect(out).toMatch(/^(https:\/\/[a-z0-9.-]+(:\d+)?|http:\/\/localhost(:\d+)?)\/sso$/);
        expect(normaliseHost(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });
});

describe('scope value rules', () => {
  const allowed = fc.constantFrom(...'abcXYZ019:!#$%&\'()*+,-./;<=>?@[]^_`{|}~'.split(''));
  it('property: 1-120 allowed characters not starting with . are valid', () => {
    fc.assert(
      fc.property(fc.array(allowed, { minLength: 1, maxLength: 120 }), (cs) => {
        const v = cs.join('');
        fc.pre(!v.startsWith('.'));
        expect(scopeValueProblem(v)).toBeNull();
        const r = parseSettings({ hosts: 'a.example', scopeValue: v });
        expect(r.ok).toBe(true);
      }),
    );
  });
  it('property: a space, a leading dot, or more than 120 characters is refused with the field named', () => {
    fc.assert(
      fc.property(fc.array(allowed, { minLength: 1, maxLength: 60 }), fc.nat(59), fc.constantFrom('space', 'dot', 'long', 'quote'), (cs, at, kind) => {
        let v = cs.join('');
        if (kind === 'space') v = `${v.slice(0, at)} ${v.slice(at)}`;
        if (kind === 'dot') v = `.${v}`;
        if (kind === 'long') v = v.padEnd(121, 'x');
        if (kind === 'quote') v = `${v}"`;
        expect(scopeValueProblem(v)).not.toBeNull();
        const errs = errorsOf({ hosts: 'a.example', scopeValue: v });
        expect(errs).toHaveLength(1);
        expect(errs[0]?.field).toBe('scopeValue');
        expect(errs[0]?.message).toMatch(/1-120 characters/);
      }),
    );
  });
  it('names the exact problem', () => {
    expect(scopeValueProblem('')).toBe('is empty');
    expect(scopeValueProblem('.x')).toBe("starts with '.'");
    expect(scopeValueProblem('a b')).toBe('contains a space');
    expect(scopeValueProblem('x'.repeat(121))).toMatch(/121 characters/);
    expect(scopeValueProblem('é')).toBe("contains 'é'");
  });
});

describe('parseSettings', () => {
  it('fills every default but the hosts', () => {
    const s = settingsOrThrow({ hosts: 'test.icnow.app' });
    expect(s).toEqual({
      displayName: DEFAULTS.displayName,
      signInAudience: 'AzureADMyOrg',
      hosts: ['https://test.icnow.app/sso'],
      scopeValue: 'UserProfile.ReadWrite',
      consent: 'users',
      groupTypes: ['SecurityGroup'],
      consentTexts: {
        adminConsentDisplayName: 'Read and write your ICE user profile',
        adminConsentDescription: 'Allows the application to read and write your Instant Connect user profile.',
        userConsentDisplayName: 'Read and write your ICE user profile',
        userConsentDescription: 'Allows the application to read and write your Instant Connect user profile.',
      },
      cloud: CLOUDS.global,
    });
  });

  it('deduplicates hosts given in different forms and splits comma lists', () => {
    const s = settingsOrThrow({ hosts: ['test.icnow.app', 'https://TEST.icnow.app/sso/', 'dc2.icnow.app, alias.icnow.app'] });
    expect(s.hosts).toEqual(['https://test.icnow.app/sso', 'https://dc2.icnow.app/sso', 'https://alias.icnow.app/sso']);
  });

  it('requires at least one host and names the field', () => {
    expect(errorsOf({})).toEqual([{ field: 'hosts', message: expect.stringMatching(/missing.*at least one ICE host/) }]);
    expect(errorsOf({ hosts: [] })[0]?.field).toBe('hosts');
    const e = errorsOf({ hosts: ['ok.example', 'http://bad.example'] });
    expect(e).toEqual([{ field: 'hosts[1]', message: expect.stringMatching(/https/) }]);
  });

  it('accepts case-insensitive choices and aliases', () => {
    const s = settingsOrThrow({ hosts: 'a.example', signInAudience: 'azureadmultipleorgs', consent: 'Admins', groupTypes: 'securitygroup, DirectoryRole' });
    expect(s.signInAudience).toBe('AzureADMultipleOrgs');
    expect(s.consent).toBe('admins');
    expect(s.groupTypes).toEqual(['SecurityGroup', 'DirectoryRole']);
    expect(settingsOrThrow({ hosts: 'a.example', groupTypes: ['SecurityGroup', 'All'] }).groupTypes).toEqual(['All']);
  });

  it('explains every invalid choice with what would be valid', () => {
    const errs = errorsOf({
      hosts: 'a.example',
      displayName: '   ',
      signInAudience: 'Everyone',
      consent: 'nobody',
      groupTypes: 'None',
      cloud: 'mars',
      consentTexts: { userConsentDescription: '' },
      colour: 'blue',
    });
    const byField = Object.fromEntries(errs.map((e) => [e.field, e.message]));
    expect(byField.displayName).toMatch(/empty.*1-120/);
    expect(byField.signInAudience).toMatch(/AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount/);
    expect(byField.consent).toMatch(/"users".*"admins"/);
    expect(byField['groupTypes[0]']).toMatch(/None.*groups claim.*use one or more of .*SecurityGroup.*All/);
    expect(byField.cloud).toMatch(/global, usgov, china, or custom/);
    expect(byField['consentTexts.userConsentDescription']).toMatch(/empty/);
    expect(byField.colour).toMatch(/not a setting: valid ones are displayName/);
  });

  it('limits the display name to 120 characters and consent texts to sane lengths', () => {
    expect(errorsOf({ hosts: 'a.example', displayName: 'x'.repeat(121) })[0]?.message).toMatch(/121 characters.*at most 120/);
    expect(settingsOrThrow({ hosts: 'a.example', displayName: 'x'.repeat(120) }).displayName).toHaveLength(120);
    expect(errorsOf({ hosts: 'a.example', consentTexts: { adminConsentDisplayName: 'x'.repeat(257) } })[0]?.field).toBe('consentTexts.adminConsentDisplayName');
  });

  it('resolves clouds: named, custom from URLs, and refuses mixes', () => {
    expect(settingsOrThrow({ hosts: 'a.example', cloud: 'USGov' }).cloud).toEqual(CLOUDS.usgov);
    expect(settingsOrThrow({ hosts: 'a.example', cloud: 'china' }).cloud.loginUrl).toBe('https://login.partner.microsoftonline.cn');
    const c = settingsOrThrow({ hosts: 'a.example', loginUrl: 'https://127.0.0.1:8443/', graphUrl: 'https://127.0.0.1:8444' }).cloud;
    expect(c).toEqual({ name: 'custom', loginUrl: 'https://127.0.0.1:8443', graphUrl: 'https://127.0.0.1:8444', portalUrl: 'https://portal.azure.com' });
    expect(errorsOf({ hosts: 'a.example', cloud: 'global', loginUrl: 'https://x.example' })[0]?.message).toMatch(/fixed endpoints/);
    const errs = errorsOf({ hosts: 'a.example', cloud: 'custom', loginUrl: 'http://x.example' });
    expect(errs.map((e) => e.field).sort()).toEqual(['graphUrl', 'loginUrl']);
    expect(errs.find((e) => e.field === 'loginUrl')?.message).toMatch(/not https/);
  });

  it('is idempotent: parsed settings parse to themselves, and settingsToInput round-trips', () => {
    const s = settingsOrThrow({ hosts: ['a.example', 'b.example:8443'], consent: 'admins', groupTypes: 'DirectoryRole', cloud: 'custom', loginUrl: 'https://l.example', graphUrl: 'https://g.example' });
    expect(settingsOrThrow(s)).toEqual(s);
    expect(settingsOrThrow(settingsToInput(s))).toEqual(s);
  });

  it('refuses a non-object', () => {
    expect(errorsOf('hosts')[0]?.message).toMatch(/object/);
    expect(errorsOf(null)[0]?.field).toBe('(settings)');
  });
});
