import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ICE_VALUE_KEYS, STEP_IDS, STEP_STATUSES } from '../../src-main/core/types';
import { COMPLIANT, fixturePath } from '../support/fixtures';
import { cli, cliProcess } from '../support/cli';

const F = (n: string) => fixturePath(n);
const HOSTS = ['--host', 'test.icnow.app', '--host', 'https://DC2.icnow.app/sso/'];
const COMPLIANT_ARGS = ['--app', F('compliant-application.json'), '--service-principal', F('compliant-service-principal.json'), '--grants', F('compliant-grants-admins.json'), ...HOSTS, '--tenant', COMPLIANT.tenantId];

function expectAuditJson(stdout: string) {
  const j = JSON.parse(stdout) as { steps: Array<Record<string, unknown>>; values: Record<string, unknown> };
  expect(Object.keys(j)).toEqual(['steps', 'values']);
  expect(j.steps.map((s) => s.id)).toEqual([...STEP_IDS]);
  for (const s of j.steps) {
    expect(Object.keys(s)).toEqual(['id', 'status', 'title', 'found', 'expected', 'fix']);
    expect(STEP_STATUSES).toContain(s.status);
    for (const k of ['title', 'found', 'expected', 'fix']) expect(typeof s[k]).toBe('string');
  }
  expect(Object.keys(j.values)).toEqual([...ICE_VALUE_KEYS]);
  return j;
}

describe('cli audit', () => {
  it('exit 0 and the JSON shape for the compliant registration', async () => {
    const r = await cli(['audit', ...COMPLIANT_ARGS, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = expectAuditJson(r.stdout);
    expect(j.values.scope).toBe(`api://${COMPLIANT.appId}/UserProfile.ReadWrite`);
    expect(j.values.tenantId).toBe(COMPLIANT.tenantId);
  });

  it('exit 1 when a step fails; human output is a checklist followed by the eight values', async () => {
    const r = await cli(['audit', '--app', F('portal-default-registration.json'), ...HOSTS]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✖ FAIL\s+No Microsoft Graph permissions {2}\[permissions\.no-graph\]/);
    expect(r.stdout).toMatch(/found: {4}Microsoft Graph permissions requested: User\.Read/);
    expect(r.stdout).toMatch(/fix: {6}Add https:\/\/test\.icnow\.app\/sso, https:\/\/dc2\.icnow\.app\/sso under Authentication/);
    const values = r.stdout.slice(r.stdout.indexOf('ICE Server values'));
    for (const label of ['Audience', 'Authorization URL', 'Token URL', 'Redirect URL', 'Tenant ID', 'Client ID', 'OpenID config URL', 'Scope']) expect(values).toContain(`${label}:`);
    expect(values).toMatch(/Redirect URL: +https:\/\/login\.microsoftonline\.com\/common\/oauth2\/nativeclient/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('colours only on a terminal without NO_COLOR', async () => {
    const args = ['audit', '--app', F('compliant-application.json'), ...HOSTS];
    expect((await cli(args, { tty: true })).stdout).toContain('\u001b[32m');
    expect((await cli(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('reads the application from stdin with -', async () => {
    const r = await cli(['audit', '--app', '-', ...HOSTS, '--json'], { stdin: readFileSync(F('compliant-application.json'), 'utf8') });
    expect(r.code).toBe(0);
    expectAuditJson(r.stdout);
  });

  it('parses every real Graph documentation example it is given, and audits it', async () => {
    for (const name of ['docs-application-get.json', 'docs-application-get-select.json', 'docs-application-upsert-created.json']) {
      const r = await cli(['audit', '--app', F(name), ...HOSTS, '--json']);
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(1);
      expectAuditJson(r.stdout);
    }
    const sp = await cli(['audit', '--app', F('compliant-application.json'), '--service-principal', F('docs-serviceprincipal-get.json'), '--grants', F('docs-oauth2permissiongrant-list.json'), ...HOSTS, '--json']);
    expect(sp.code).toBe(1);
    const j = expectAuditJson(sp.stdout);
    expect(j.steps.find((s) => s.id === 'tenant.service-principal')?.status).toBe('fail');
  });

  it('accepts grants as a plain array and an empty service principal list as "none"', async () => {
    const r = await cli(['audit', '--app', '-', '--service-principal', F('compliant-service-principal.json'), '--grants', F('compliant-grants-admins.json'), ...HOSTS, '--json'], { stdin: readFileSync(F('compliant-application.json'), 'utf8') });
    expect(r.code).toBe(0);
    const none = await cli(['audit', '--app', F('compliant-application.json'), '--service-principal', '-', ...HOSTS, '--json'], { stdin: '{"value":[]}' });
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).steps.find((s: { id: string }) => s.id === 'tenant.service-principal').status).toBe('fail');
    const arr = await cli(['audit', '--app', F('compliant-application.json'), '--grants', '-', ...HOSTS, '--consent', 'admins', '--json'], { stdin: '[]' });
    expect(JSON.parse(arr.stdout).steps.find((s: { id: string }) => s.id === 'consent.admin-grant').status).toBe('fail');
  });

  const bad: Array<[string, string[], string | undefined, RegExp]> = [
    ['not JSON, with the position', ['--app', '-'], '{\n  "displayName": "x",\n  oops\n}', /--app standard input: not JSON: parsing stopped at line 3, column 3/],
    ['truncated JSON', ['--app', '-'], '{"displayName": "x", "spa": {', /ends too early.*cut short/],
    ['an empty file', ['--app', '-'], '  ', /empty/],
    ['a missing file', ['--app', 'no/such/file.json'], undefined, /--app no\/such\/file\.json: cannot read the file \(no such file\)/],
    // A list answer holding exactly one application is that application (as Review offline reads it); two are refused.
    ['a list of two, not one application', ['--app', '-'], JSON.stringify({ value: [1, 2].map(() => JSON.parse(readFileSync(F('docs-application-list.json'), 'utf8')).value[0]) }), /a list response with 2 applications \(value: 2 item\(s\)\), not one application/],
    ['a service principal given as the app', ['--app', F('docs-serviceprincipal-get.json')], undefined, /service principal, not an application: pass it with --service-principal/],
    ['an array', ['--app', '-'], '[1,2]', /JSON array of 2 item\(s\), not an application object/],
    ['a legacy manifest', ['--app', '-'], '{"appId":"x","oauth2Permissions":[],"replyUrlsWithType":[]}', /legacy Azure AD Graph manifest/],
    ['wrong types inside', ['--app', '-'], '{"appId":"x","spa":{"redirectUris":"https://a/sso"}}', /not a usable application object: spa\.redirectUris/],
    ['an unknown option', ['--app', F('compliant-application.json'), '--hots', 'x'], undefined, /unknown option --hots for `audit` \(did you mean --host\?\)/],
    ['a bad host', ['--app', F('compliant-application.json'), '--host', 'http://test.icnow.app'], undefined, /--host: "http:\/\/test\.icnow\.app" uses http:\/\/.*use https:\/\/test\.icnow\.app\/sso/],
    ['no host', ['--app', F('compliant-application.json')], undefined, /--host: is missing: give at least one ICE host/],
    ['a bad scope', ['--app', F('compliant-application.json'), '--scope', '.bad'], undefined, /--scope: "\.bad" starts with '\.'/],
    ['a bad consent', ['--app', F('compliant-application.json'), '--consent', 'everyone'], undefined, /--consent: "everyone" is not a consent choice/],
    ['a bad tenant', ['--app', F('compliant-application.json'), '--tenant', 'not a tenant'], undefined, /--tenant "not a tenant": give the directory \(tenant\) id/],
    ['a missing --app', [], undefined, /--app FILE is required/],
    ['a missing value', ['--app'], undefined, /--app needs a value \(FILE\)/],
    ['two stdin inputs', ['--app', '-', '--grants', '-'], '{}', /only one of --app, --service-principal, --grants can read standard input/],
  ];
  for (const [what, args, stdin, msg] of bad) {
    it(`exit 2 with a clear message for ${what}`, async () => {
      const hostArgs = args.includes('--host') || what === 'no host' ? [] : ['--host', 'test.icnow.app'];
      const r = await cli(['audit', ...args, ...hostArgs], stdin === undefined ? {} : { stdin });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).toMatch(msg);
    });
  }
});

describe('cli plan', () => {
  it('plans nothing for the compliant registration', async () => {
    const r = await cli(['plan', ...COMPLIANT_ARGS, '--consent', 'users', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ writes: [] });
    const h = await cli(['plan', ...COMPLIANT_ARGS]);
    expect(h.stdout).toMatch(/Nothing to write.*Nothing sent/);
  });

  it('prints the writes for the portal default (method, path, body), nothing sent', async () => {
    const r = await cli(['plan', '--app', F('portal-default-registration.json'), '--service-principal', '-', ...HOSTS, '--scope-id', '0f8fad5b-d9cb-469f-a165-70867728950e', '--json'], { stdin: '{"value":[]}' });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { writes: Array<{ key: string; method: string; path: string; body: Record<string, unknown> }> };
    expect(j.writes.map((w) => `${w.method} ${w.path}`)).toEqual(['PATCH /applications/0d4f1e2a-8b3c-4d5e-9f6a-7b8c9d0e1f2a', 'POST /servicePrincipals']);
    expect(JSON.stringify(j.writes[0]!.body)).toContain('0f8fad5b-d9cb-469f-a165-70867728950e');
    const human = await cli(['plan', '--app', F('portal-default-registration.json'), ...HOSTS]);
    expect(human.stdout).toMatch(/1\. PATCH \/applications\/0d4f1e2a-8b3c-4d5e-9f6a-7b8c9d0e1f2a/);
    expect(human.stdout).toMatch(/nothing was sent/);
  });

  it('without --app plans a new registration with the idempotent create', async () => {
    const r = await cli(['plan', '--host', 'test.icnow.app', '--consent', 'admins', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { writes: Array<{ key: string; path: string; headers?: Record<string, string> }> };
    expect(j.writes.map((w) => w.key)).toEqual(['create-app', 'set-app-id-fields', 'create-service-principal', 'admin-consent']);
    expect(j.writes[0]!.path).toBe("/applications(uniqueName='ice-sso-test.icnow.app')");
    expect(j.writes[0]!.headers).toEqual({ Prefer: 'create-if-missing' });
  });

  it('exit 2 for a bad scope id', async () => {
    const r = await cli(['plan', '--host', 'a.example', '--scope-id', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scope-id "nope": a scope id is a GUID/);
  });
});

describe('cli dispatcher and help', () => {
  it('help lists the commands; help <command> and --help show the options', async () => {
    const h = await cli(['help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/audit\s+check a saved app registration/);
    expect(h.stdout).toMatch(/plan\s+print the Graph writes/);
    const a = await cli(['help', 'audit']);
    expect(a.stdout).toMatch(/--service-principal FILE/);
    expect(a.stdout).toMatch(/--host H \(repeatable\)/);
    expect((await cli(['audit', '--help'])).stdout).toBe(a.stdout);
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('help lists every exit code and every command of the registry with its summary', async () => {
    const h = await cli(['help']);
    const listed = [...h.stdout.slice(h.stdout.indexOf('Exit codes:')).matchAll(/^\s+(\d+)\s{2}/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual([0, 1, 2, 3, 4, 70, 130]);
    expect(h.stdout).toMatch(/ 70 {2}internal error/);
    expect(h.stdout).toMatch(/130 {2}cancelled with Ctrl-C/);
    const { COMMAND_NAMES } = await import('../../src-main/cli/commands/registry');
    for (const name of COMMAND_NAMES) expect(h.stdout).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
    expect((await cli(['help', 'help'])).stdout).toMatch(/^help: show the commands/);
    expect((await cli(['help', 'verify'])).stdout).toMatch(/^verify: sign in \(read-only\) and check/);
  });

  it('exit 2 for no command or an unknown one', async () => {
    expect((await cli([])).code).toBe(2);
    const u = await cli(['audti']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown command "audti" \(did you mean audit\?\)/);
    const hu = await cli(['help', 'nope']);
    expect(hu.code).toBe(2);
  });
});

describe('the real CLI process (the built command, out/cli/ice-sso.mjs)', () => {
  it('exits 0 with the JSON shape, 1 on failures, 2 on bad input', async () => {
    const ok = await cliProcess(['audit', ...COMPLIANT_ARGS, '--json']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expectAuditJson(ok.stdout);
    const fail = await cliProcess(['audit', '--app', '-', '--host', 'test.icnow.app'], { stdin: readFileSync(F('docs-application-get.json'), 'utf8') });
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('✖ FAIL');
    const bad = await cliProcess(['audit', '--app', '-', '--host', 'test.icnow.app'], { stdin: 'not json' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not JSON: parsing stopped at line 1, column 2 \(near "ot json"\)/);
  });
});
