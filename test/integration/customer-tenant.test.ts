// The customer's tenant as it is (issue 10): a registration made by hand in the portal, a site file naming an
// unrelated app, consent not yet given, one sign-in per visit. The CLI as a user runs it (child processes over real
// HTTPS to the emulator).
//
// Microsoft documentation the emulated behaviour follows:
// - Which application properties $filter supports, and which only as advanced queries (ConsistencyLevel: eventual
//   + $count=true): https://learn.microsoft.com/graph/aad-advanced-queries ("Application properties": displayName,
//   tags/any, identifierUris/any default; spa/redirectUris/any advanced only).
// - AADSTS65001 consent_required on a silent (refresh) request for scopes not consented; an interactive request
//   then: https://learn.microsoft.com/entra/identity-platform/reference-error-codes and
//   https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code (errors of the token endpoint).
// - The admin consent URL {login}/{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri:
//   https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
// - AADSTS700016 unauthorized_client for a client id unknown in the tenant:
//   https://learn.microsoft.com/entra/identity-platform/reference-error-codes
// - Listing a service principal's grants needs Directory.Read.All (least privileged):
//   https://learn.microsoft.com/graph/api/serviceprincipal-list-oauth2permissiongrants
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../../src-main/auth/signin';
import type { Emulator } from '../emulator/index';
import { CLI_ENTRY } from '../../scripts/build-cli.mjs';
import { recordingCli } from '../support/cli';
import { SECRET_RE, badSteps, cliCloudArgs, emulator, HOST_ARGS } from '../support/emulator';
import { EMULATOR_CA as CA_PATH } from '../support/paths';
import { tmpDir } from '../support/tmp';

const { cli, outputs } = recordingCli();

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await emulator();
  dir = await tmpDir('customer');
});
afterAll(async () => {
  await emu.stop();
  // No token ever reaches the screen.
  for (const o of outputs) {
    expect(o.stdout).not.toMatch(SECRET_RE);
    expect(o.stderr).not.toMatch(SECRET_RE);
  }
});

/** A registration an admin made by hand in the portal following the vendor's PDF: the guide's example name, no tag, one of the two SPA hosts. */
function handMade(name = 'ICE'): { appId: string; id: string } {
  const a = emu.seedApplication({
    displayName: name,
    signInAudience: 'AzureADMyOrg',
    spa: { redirectUris: ['https://dc1.example.com/sso'] },
    publicClient: { redirectUris: [`${emu.loginUrl}/common/oauth2/nativeclient`] },
  });
  return { appId: String(a.appId), id: String(a.id) };
}

function snapshot(id: string): string {
  return JSON.stringify(emu.findApplication(id));
}

describe('a registration made by hand', () => {
  beforeEach(() => {
    emu.resetDirectory();
    emu.signInAs('admin');
  });

  it('is named by verify, never duplicated by apply, adopted with --adopt, and then passes every step', async () => {
    const ice = handMade();
    const apps = () => emu.state.applications.length;
    const before = apps();

    // verify: register.app names the candidate with its ICE traits and the fix, never "not found".
    const v = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--json']);
    expect(v.code).toBe(1);
    const vj = JSON.parse(v.stdout);
    const reg = vj.steps.find((s: { id: string }) => s.id === 'register.app');
    expect(reg.status).toBe('fail');
    expect(reg.found).toContain(`"ICE" (client id ${ice.appId})`);
    expect(reg.found).toContain('SPA redirect URI https://dc1.example.com/sso');
    expect(reg.fix).toContain(`--app-id ${ice.appId} --adopt`);
    expect(vj.steps.map((s: { found: string }) => s.found)).not.toContain('No app registration was found.');
    expect(vj.candidates).toEqual([
      { appId: ice.appId, objectId: ice.id, displayName: 'ICE', createdDateTime: expect.any(String), matches: ['spaRedirectUri', 'nativeRedirect'] },
    ]);
    // Found in the same round trip as the look-up by uniqueName.
    expect(vj.roundTrips).toBe(1);
    const human = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS]);
    expect(human.stdout).toContain(`"ICE" (client id ${ice.appId})`);

    // apply without ids: exit 2, nothing written, the candidates and both ways on.
    const writes0 = emu.stats.graphWrites;
    const snap = snapshot(ice.id);
    const a = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(`"ICE" (client id ${ice.appId})`);
    expect(a.stderr).toContain(`--app-id ${ice.appId} --adopt`);
    expect(a.stderr).toContain('--create-new');
    expect(a.stderr).not.toMatch(/\n\s+at /);
    expect(apps()).toBe(before);
    expect(emu.stats.graphWrites).toBe(writes0);
    expect(snapshot(ice.id)).toBe(snap);
    const aj = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--json']);
    expect(aj.code).toBe(2);
    expect(JSON.parse(aj.stdout)).toMatchObject({ reason: 'candidates', writes: 0, candidates: [{ appId: ice.appId, displayName: 'ICE' }] });

    // apply --app-id without --adopt (not at a terminal): exit 2, byte-identical.
    const n = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--app-id', ice.appId]);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/was not made by ICE SSO Assistant/);
    expect(n.stderr).toContain(`--app-id ${ice.appId} --adopt`);
    expect(snapshot(ice.id)).toBe(snap);
    expect(emu.stats.graphWrites).toBe(writes0);

    // The dry run shows the tag as a write, and names the target app in its header.
    const d = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--app-id', ice.appId, '--adopt', '--dry-run']);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(`Target: app registration "ICE" (client id ${ice.appId})`);
    expect(d.stdout).toMatch(/Adopt the existing registration "ICE"/);
    expect(snapshot(ice.id)).toBe(snap);

    // --adopt: the tag first, then the repairs; every step passes; the name "ICE" is fine.
    const ad = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--app-id', ice.appId, '--adopt', '--json']);
    expect(ad.code).toBe(0);
    const adj = JSON.parse(ad.stdout);
    expect(badSteps(adj.steps)).toEqual([]);
    expect(adj.app.appId).toBe(ice.appId);
    const after = emu.findApplication(ice.id)!;
    expect(after.tags).toContain('ice-sso-assistant');
    expect(after.displayName).toBe('ICE');
    expect(apps()).toBe(before);

    // Later runs recognise it without ids (its tag and ICE hosts), and write nothing more.
    const again = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ foundBy: 'tag', app: { appId: ice.appId } });
    const re = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--json']);
    expect(re.code).toBe(0);
    expect(JSON.parse(re.stdout).writes).toBe(0);
    expect(apps()).toBe(before);
  });

  // At a terminal, a registration the assistant did not make is adopted only after a yes to a prompt naming it.
  // util-linux `script` gives the CLI a pseudo-terminal (stdin and stderr are TTYs).
  it.skipIf(!existsSync('/usr/bin/script'))('at a terminal: a prompt names the app (display name, client id, created date); no writes nothing, yes adopts', async () => {
    const ice = handMade();
    const snap = snapshot(ice.id);
    const atTerminal = (answer: string) =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const cmd = [process.execPath, CLI_ENTRY, 'apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--app-id', ice.appId].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
        const child = spawn('/usr/bin/script', ['-qfec', cmd, '/dev/null'], {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: CA_PATH, NO_COLOR: '1', ICE_SSO_CONFIG_DIR: dir },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let answered = false;
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (!answered && /\[y\/N\]/.test(out)) {
            answered = true;
            child.stdin.write(`${answer}\r`);
          }
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out }));
      });
    const no = await atTerminal('n');
    expect(no.out).toContain(`The registration "ICE" (client id ${ice.appId}), created ${new Date().toISOString().slice(0, 10)}, was not made by ICE SSO Assistant`);
    expect(no.code).toBe(2);
    expect(snapshot(ice.id)).toBe(snap);
    const yes = await atTerminal('y');
    expect(yes.code, yes.out).toBe(0);
    expect(emu.findApplication(ice.id)!.tags).toContain('ice-sso-assistant');
  });

  it('--create-new makes a new registration although candidates exist', async () => {
    handMade();
    const before = emu.state.applications.length;
    const r = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--create-new', '--json']);
    expect(r.code).toBe(0);
    expect(emu.state.applications.length).toBe(before + 1);
  });

  it('a site file naming an unrelated app: exit 2, that app byte-identical, whatever the site says', async () => {
    const payroll = emu.seedApplication({ displayName: 'Payroll (production)', signInAudience: 'AzureADMyOrg', web: { redirectUris: ['https://payroll.example.com/signin'] } });
    const id = String(payroll.id);
    const site = path.join(dir, 'hostile.site.json');
    const made = await cli(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, ...HOST_ARGS, '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl]);
    expect(made.code).toBe(0);
    const doc = JSON.parse(await readFile(site, 'utf8'));
    doc.app = { objectId: id, appId: payroll.appId };
    await writeFile(site, JSON.stringify(doc, null, 2));
    const snap = snapshot(id);
    const writes0 = emu.stats.graphWrites;
    const r = await cli(['apply', '--site', site, '--device-code']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"Payroll (production)" (client id ${String(payroll.appId)})`);
    expect(r.stderr).toMatch(/was not made by ICE SSO Assistant/);
    expect(snapshot(id)).toBe(snap);
    expect(emu.stats.graphWrites).toBe(writes0);
    // The preview names the target app too, and refuses the same way.
    const d = await cli(['apply', '--site', site, '--device-code', '--dry-run']);
    expect(d.code).toBe(2);
    expect(snapshot(id)).toBe(snap);
  });

  it('--object-id and --app-id naming different apps: exit 2, nothing written', async () => {
    const one = handMade('ICE One');
    const two = handMade('ICE Two');
    const writes0 = emu.stats.graphWrites;
    for (const cmd of ['verify', 'apply']) {
      const r = await cli([cmd, ...cliCloudArgs(emu), ...HOST_ARGS, '--object-id', one.id, '--app-id', two.appId]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/two different registrations/);
    }
    expect(emu.stats.graphWrites).toBe(writes0);
  });
});

describe('consent and one sign-in per visit', () => {
  beforeEach(() => {
    emu.resetDirectory();
    emu.signInAs('admin');
    emu.state.preConsentedScopes.length = 0;
  });

  it('verify, then apply: the apply asks interactively for the write permissions (consent step-up); the next command signs in silently; signout forgets', async () => {
    const configDir = await tmpDir('cfg-keep');
    const codes = () => emu.deviceCodes.length;
    const c0 = codes();
    const v = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--json'], { configDir });
    expect(v.code).toBe(1); // nothing created yet
    expect(codes()).toBe(c0 + 1);
    // The cache file is the user's alone.
    const cacheFile = path.join(configDir, 'msal-token-cache.json');
    expect((await stat(cacheFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(cacheFile, 'utf8')).not.toMatch(/Application\.ReadWrite\.All/);

    // apply: the saved sign-in has no consent for the write permission → AADSTS65001 on the silent refresh →
    // an interactive sign-in for those scopes (the admin consents there), then the writes.
    const a = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS], { configDir });
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/no consent for Application\.ReadWrite\.All/);
    expect(a.stderr).toMatch(/consent prompt/);
    expect(codes()).toBe(c0 + 2);

    // A second command signs in silently (no device code); so does a third.
    const v2 = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS], { configDir });
    expect(v2.code).toBe(0);
    expect(v2.stderr).not.toMatch(/enter the code/);
    const s = await cli(['signin', '--tenant', emu.tenantDomain, '--device-code', '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl, '--write'], { configDir });
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(/silently/);
    expect(codes()).toBe(c0 + 2);

    // signout --tenant forgets that tenant's sign-in (the cache keeps no account, so the file goes too).
    const one = await cli(['signout', '--tenant', emu.tenantDomain, '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl], { configDir });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Signed out appadmin@|Signed out admin@/);
    const v4 = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS], { configDir });
    expect(v4.code).toBe(0);
    expect(codes()).toBe(c0 + 3);
    // signout forgets: the next command needs a device code again.
    const out = await cli(['signout'], { configDir });
    expect(out.code).toBe(0);
    await expect(stat(cacheFile)).rejects.toThrow();
    const v3 = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS], { configDir });
    expect(v3.code).toBe(0);
    expect(codes()).toBe(c0 + 4);

    // --no-cache keeps nothing.
    const fresh = await tmpDir('cfg-none');
    const n = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--no-cache'], { configDir: fresh });
    expect(n.code).toBe(0);
    await expect(stat(path.join(fresh, 'msal-token-cache.json'))).rejects.toThrow();
  });

  it('a user who may not consent: the admin-consent URL to send, and verify and the portal steps still work', async () => {
    // The tenant consented to the read permissions for the sign-in client; the engineer is a plain user.
    emu.state.preConsentedScopes.push('Application.Read.All', 'Directory.Read.All');
    emu.signInAs('user');
    const configDir = await tmpDir('cfg-user');
    try {
      const v = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS], { configDir });
      expect(v.code).toBe(1);
      const a = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS], { configDir });
      expect(a.code).toBe(3);
      const m = /(https:\/\/\S+\/v2\.0\/adminconsent\?\S+)/.exec(a.stderr);
      expect(m, a.stderr).not.toBeNull();
      const url = new URL(m![1]!);
      expect(url.origin + url.pathname).toBe(`${emu.loginUrl}/${emu.tenantDomain}/v2.0/adminconsent`);
      expect(url.searchParams.get('client_id')).toBe(DEFAULT_CLIENT_ID);
      expect(url.searchParams.get('scope')).toContain(`${emu.graphUrl}/Application.ReadWrite.All`);
      expect(url.searchParams.get('redirect_uri')).toBe(`${emu.loginUrl}/common/oauth2/nativeclient`);
      expect(a.stderr).toMatch(/verify \(read-only\) and the portal steps .* still work/);
      expect(a.stderr).toMatch(/Or use your organisation's own sign-in client with --client-id\./);
      expect(a.stderr).not.toMatch(/\n\s+at /);
    } finally {
      emu.signInAs('admin');
    }
  });

  it('a refused device code request shows the AADSTS code and what to do (never "undefined")', async () => {
    emu.state.knownClients = [DEFAULT_CLIENT_ID];
    try {
      const r = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--client-id', '3f1b0a57-2f45-4c8e-9d0e-0b5c8e1e2d11']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/AADSTS700016/);
      expect(r.stderr).toMatch(/is not known in this tenant.*Check --client-id, or leave it out/s);
      expect(r.stderr).not.toMatch(/undefined|NaN/);
    } finally {
      emu.state.knownClients = null;
    }
  });
});

describe('honest results', () => {
  beforeEach(() => {
    emu.resetDirectory();
    emu.signInAs('admin');
  });

  it('a leftover Microsoft Graph grant stays a warning after an "Admins and users" apply until removed; removing it asks for the grant permission', async () => {
    const configDir = await tmpDir('cfg-grant');
    const made = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--json'], { configDir });
    expect(made.code).toBe(0);
    const spId = JSON.parse(made.stdout).app.servicePrincipalId as string;
    // Removing a Graph permission in the portal leaves its grant behind.
    emu.seedGrant({ clientId: spId, resourceId: emu.graphServicePrincipalId, scope: 'User.Read', consentType: 'AllPrincipals' });
    const v = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--json'], { configDir });
    const grantStep = JSON.parse(v.stdout).steps.find((s: { id: string }) => s.id === 'consent.admin-grant');
    expect(grantStep.status).not.toBe('pass');
    expect(grantStep.found).toMatch(/Microsoft Graph grant/);
    // apply reads the grants, plans the revoke, and asks for DelegatedPermissionGrant.ReadWrite.All first.
    const codes = emu.deviceCodes.length;
    const a = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--json'], { configDir });
    expect(a.code).toBe(0);
    expect(emu.deviceCodes.length).toBe(codes + 1);
    expect(emu.deviceCodes.at(-1)!.scopes.join(' ')).toContain('DelegatedPermissionGrant.ReadWrite.All');
    const aj = JSON.parse(a.stdout);
    expect(aj.steps.find((s: { id: string }) => s.id === 'consent.admin-grant').status).not.toBe('warn');
    expect(emu.state.oauth2PermissionGrants.filter((g) => g.clientId === spId && g.resourceId === emu.graphServicePrincipalId)).toHaveLength(0);
  });

  it('Ctrl-C during apply: Graph is read again, each write reported applied or not, the run recorded in the site', async () => {
    const site = path.join(dir, 'ctrl-c.site.json');
    await cli(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, ...HOST_ARGS, '--name', 'ICE CtrlC', '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl]);
    // The create's answer is slow: Ctrl-C arrives after Graph made the app, before the 201 reaches the CLI.
    const slow = emu.faults.latency(3000, { host: 'graph', method: 'PATCH', path: '/applications(uniqueName=', phase: 'after' });
    let sent = false;
    const r = await cli(['apply', '--site', site, '--device-code'], {
      onStderr: (all, _kill, _input, signal) => {
        if (!sent && /→ PATCH \/applications\(uniqueName=/.test(all)) {
          sent = true;
          setTimeout(() => signal('SIGINT'), 700);
        }
      },
    });
    slow.remove();
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Apply was cancelled part-way; Graph was read again/);
    expect(r.stderr).toMatch(/✔ applied\s+create-app/);
    expect(r.stderr).toMatch(/✖ not applied/);
    const doc = JSON.parse(await readFile(site, 'utf8'));
    expect(doc.history.at(-1).kind).toBe('apply');
    expect(doc.app.appId).toBeTruthy();
    // A re-run finishes: one app.
    const again = await cli(['apply', '--site', site, '--device-code', '--json']);
    expect(again.code).toBe(0);
    expect(emu.state.applications.filter((a) => a.displayName === 'ICE CtrlC')).toHaveLength(1);
  });

  it('apply --site --host NEW: for this run only (not recorded) unless --save', async () => {
    const site = path.join(dir, 'hosts.site.json');
    await cli(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, ...HOST_ARGS, '--name', 'ICE Hosts', '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl]);
    const first = await cli(['apply', '--site', site, '--device-code']);
    expect(first.code).toBe(0);
    const n0 = JSON.parse(await readFile(site, 'utf8')).history.length;
    const once = await cli(['verify', '--site', site, '--device-code', '--host', 'dc3.example.com']);
    expect(once.stderr).toMatch(/--host differs from what site "hosts" holds: used for this run only/);
    const doc1 = JSON.parse(await readFile(site, 'utf8'));
    expect(doc1.history.length).toBe(n0);
    expect(doc1.settings.hosts).not.toContain('dc3.example.com');
    const saved = await cli(['apply', '--site', site, '--device-code', '--host', 'dc3.example.com', '--save']);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/Saved the changed settings \(--host\)/);
    const doc2 = JSON.parse(await readFile(site, 'utf8'));
    expect(doc2.history.length).toBe(n0 + 1);
    expect(JSON.stringify(doc2.settings.hosts)).toContain('dc3.example.com');
  });

  it('a site stores the sign-in client id: sites set --client-id, then verify --site uses it', async () => {
    const site = path.join(dir, 'client.site.json');
    await cli(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, ...HOST_ARGS, '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl]);
    const own = 'c0ffee00-1111-4222-8333-444455556666';
    const set = await cli(['sites', 'set', site, '--client-id', own, '--name', 'ICE Prod']);
    expect(set.code).toBe(0);
    const doc = JSON.parse(await readFile(site, 'utf8'));
    expect(doc.signIn).toEqual({ clientId: own });
    expect(doc.settings.displayName).toBe('ICE Prod');
    const bad = await cli(['sites', 'set', site, '--client-id', 'nope']);
    expect(bad.code).toBe(2);
    const v = await cli(['verify', '--site', site, '--device-code']);
    expect(v.code).toBe(1);
    expect(emu.deviceCodes.at(-1)!.clientId).toBe(own);
  });
});
