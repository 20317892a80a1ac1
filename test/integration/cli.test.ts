// The CLI as a user runs it (child processes over real HTTPS to the emulator): apply/verify, --json, exit codes,
// kill mid-apply and resume from the journal, --site, and no token ever printed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator/index';
import { SECRET_RE, badSteps, cliCloudArgs, emulator, HOST_ARGS } from '../support/emulator';
import { recordingCli } from '../support/cli';
import { tmpDir } from '../support/tmp';

const { cli, outputs } = recordingCli();

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await emulator();
  dir = await tmpDir('cli');
});
afterAll(async () => {
  await emu.stop();
});

describe('CLI verify/apply', () => {
  it('apply --json from an empty tenant: all pass, requests counted; verify --json with the ids: one round trip', async () => {
    emu.state.applications.length = 0;
    const r = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--json', '--name', 'ICE JSON']);
    expect(r.stderr).toMatch(/enter the code|code/i);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 3)).toEqual(['steps', 'values', 'requests']);
    expect(badSteps(j.steps)).toEqual([]);
    // 5 requests plus the look-ups by tag and by SPA redirect URI (candidates), in the same first round trip.
    expect(j.requests).toBe(7);
    expect(j.roundTrips).toBe(3);
    expect(j.writes).toBe(3);
    expect(j.values.clientId).toBe(j.app.appId);

    const v = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--json', '--name', 'ICE JSON', '--app-id', j.app.appId, '--object-id', j.app.objectId]);
    expect(v.code).toBe(0);
    const vj = JSON.parse(v.stdout);
    expect(vj.roundTrips).toBe(1);
    expect(vj.requests).toBe(4);
    expect(vj.steps.map((x: { id: string; status: string }) => `${x.id}=${x.status}`)).toEqual(j.steps.map((x: { id: string; status: string }) => `${x.id}=${x.status}`));
    expect(vj.values).toEqual(j.values);
  });

  it('apply prints live progress to stderr and the checklist to stdout; a re-run writes nothing', async () => {
    const r = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--name', 'ICE Human', '--consent', 'admins']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/→ PATCH \/applications\(uniqueName='ice-sso-ice-human-[0-9a-f]{8}'\)/);
    expect(r.stderr).toMatch(/✔ create-app \(201\)/);
    expect(r.stderr).toMatch(/✔ create-service-principal \(201\)/);
    expect(r.stderr).toMatch(/✔ admin-consent \(201\)/);
    expect(r.stderr).toMatch(/Graph: 8 requests in 4 round trips/); // 6 + the look-ups by tag and by SPA redirect URI in the first round trip
    expect(r.stdout).toMatch(/ICE SSO checklist for "ICE Human"/);
    expect(r.stdout).toMatch(/No step fails/);
    const again = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--name', 'ICE Human', '--consent', 'admins']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Nothing to write/);
    expect(emu.state.applications.filter((a) => a.displayName === 'ICE Human')).toHaveLength(1);
  });

  it('a run killed mid-apply (high latency) resumes from its journal: one app, all pass', async () => {
    const journal = path.join(dir, 'kill.journal.json');
    const args = ['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--name', 'ICE Killed', '--consent', 'admins', '--journal', journal];
    const lat = emu.faults.latency(400, { host: 'graph' });
    const killed = await cli(args, {
      onStderr: (all, kill) => {
        if (all.includes('→ POST /servicePrincipals')) kill();
      },
    });
    lat.remove();
    expect(killed.signal).toBe('SIGKILL');
    const j1 = JSON.parse(await readFile(journal, 'utf8'));
    expect(j1.finished).toBe(false);
    expect(j1.completed).toEqual(['create-app']);
    expect(j1.app.appId).toMatch(/^[0-9a-f-]{36}$/);

    const resumed = await cli([...args, '--json']);
    expect(resumed.code).toBe(0);
    const rj = JSON.parse(resumed.stdout);
    expect(badSteps(rj.steps)).toEqual([]);
    expect(rj.app.appId).toBe(j1.app.appId);
    expect(rj.roundTrips).toBeLessThanOrEqual(3);
    expect(emu.state.applications.filter((a) => a.displayName === 'ICE Killed')).toHaveLength(1);
    expect(emu.state.servicePrincipals.filter((s) => s.appId === j1.app.appId)).toHaveLength(1);
    const j2 = JSON.parse(await readFile(journal, 'utf8'));
    expect(j2.finished).toBe(true);
  }, 60_000);

  it('--site: settings, tenant and ids come from the site; the run is recorded in it', async () => {
    const site = path.join(dir, 'contoso.site.json');
    const made = await cli(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, ...HOST_ARGS, '--name', 'ICE Site', '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl]);
    expect(made.code).toBe(0);
    const r = await cli(['apply', '--site', site, '--device-code', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const saved = JSON.parse(await readFile(site, 'utf8'));
    expect(JSON.stringify(saved)).toContain(j.app.appId);
    const v = await cli(['verify', '--site', site, '--device-code', '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).roundTrips).toBe(1);
  });

  it('a user without the role gets exit 3 and a message naming the role; bad usage is exit 2', async () => {
    emu.signInAs('user');
    // apply reads grants too (Directory.Read.All, the least privileged permission for them).
    emu.state.preConsentedScopes.push('Application.ReadWrite.All', 'Directory.Read.All');
    try {
      const r = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--name', 'ICE Denied']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/error: Graph refused .*403.*Application Administrator or Cloud Application Administrator/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      emu.signInAs('admin');
    }
    const u = await cli(['verify', '--device-code', ...HOST_ARGS]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--tenant is missing/);
    const b = await cli(['verify', '--tenant', 'common', ...HOST_ARGS]);
    expect(b.code).toBe(2);
  });

  it('verify --proof: the pasted address is exchanged as the ICE app and the token is proved', async () => {
    const r0 = await cli(['apply', ...cliCloudArgs(emu), ...HOST_ARGS, '--name', 'ICE Proof', '--json']);
    const ids = JSON.parse(r0.stdout).app;
    let fed = false;
    const r = await cli(['verify', ...cliCloudArgs(emu), ...HOST_ARGS, '--name', 'ICE Proof', '--app-id', ids.appId, '--proof', '--json'], {
      keepStdin: true,
      onStderr: (all, _kill, input) => {
        const m = /^(https:\/\/\S+\/oauth2\/v2\.0\/authorize\?\S+)$/m.exec(all);
        if (m && !fed) {
          fed = true;
          void fetch(m[1]!, { redirect: 'manual' }).then((res) => input(res.headers.get('location') ?? ''));
        }
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const proof = JSON.parse(r.stdout).steps.find((s: { id: string }) => s.id === 'proof.token');
    expect(proof.status).toBe('warn'); // the default admin is in a cloud-only group: one group id, not a name
    expect(proof.found).toMatch(/no nonce.*|signature verifies/);
  });

  it('signin --json shows the account, tenant and permissions, never the token', async () => {
    const r = await cli(['signin', ...cliCloudArgs(emu), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ username: `admin@${emu.tenantDomain}`, tenantId: emu.tenantId, scopes: ['Application.Read.All', 'Directory.Read.All'] });
  });

  it('never prints a token, refresh token, device code or auth code', () => {
    expect(outputs.length).toBeGreaterThan(5);
    for (const o of outputs) {
      expect(o.stdout).not.toMatch(SECRET_RE);
      expect(o.stderr).not.toMatch(SECRET_RE);
    }
  });
});
