// Issue 8: a site file from elsewhere cannot move sign-in to any host. The emulator on 127.0.0.1 plays a hostile
// IdP named by an imported site: it must receive nothing until the user confirms its hosts (a yes at the terminal,
// or --trust-cloud); the confirmation is remembered on this machine (config folder), never in the site file.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudTrustStore, cloudTrust, microsoftCloudName } from '../../src-main/auth/cloud-trust';
import { main } from '../../src-main/cli/main';
import type { CliIO } from '../../src-main/cli/io';
import { CLOUDS, customCloud } from '../../src-main/core/clouds';
import { settingsToInput } from '../../src-main/core';
import { newSiteDocument, serializeSite } from '../../src-main/sites/store';
import type { Emulator } from '../emulator/index';
import { emulator, settingsFor, HOST_ARGS } from '../support/emulator';
import { tmpDir } from '../support/tmp';

interface Run {
  code: number;
  out: string;
  err: string;
  asked: string[];
}

async function cli(cwd: string, cfg: string, argv: string[], answer?: boolean): Promise<Run> {
  let out = '';
  let err = '';
  const asked: string[] = [];
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    readStdin: async () => '',
    env: { ICE_SSO_CONFIG_DIR: cfg },
    cwd,
    ...(answer === undefined
      ? {}
      : {
          ask: async (q: string) => {
            asked.push(q);
            return answer;
          },
        }),
  };
  return { code: await main(argv, io), out, err, asked };
}

describe('cloud trust: a custom cloud from a site file', () => {
  let emu: Emulator;
  let dir: string;
  let cfg: string;
  let loginHost: string;
  let graphHost: string;
  beforeAll(async () => {
    emu = await emulator();
    loginHost = new URL(emu.loginUrl).host;
    graphHost = new URL(emu.graphUrl).host;
    dir = await tmpDir('trust');
    // A site made on another machine (written as a file, not with `sites new` here), naming the emulator as its cloud.
    const site = newSiteDocument({ name: 'Imported', settings: settingsToInput(settingsFor(emu)) as Record<string, unknown>, tenant: { domain: emu.tenantDomain } });
    await fsp.writeFile(path.join(dir, 'imported.json'), serializeSite(site));
  });
  afterAll(async () => emu.stop());
  beforeEach(async () => {
    cfg = await tmpDir('trust-cfg');
    emu.resetStats();
  });
  const reached = () => emu.stats.byHost.login + emu.stats.byHost.graph;

  it('no terminal, no --trust-cloud: refused (exit 2) naming the hosts; the IdP receives nothing', async () => {
    const r = await cli(dir, cfg, ['verify', '--site', 'imported.json', '--device-code']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`sign-in host ${loginHost}, Microsoft Graph host ${graphHost}`);
    expect(r.err).toMatch(/not Microsoft's.*nothing was sent.*--trust-cloud/s);
    expect(reached()).toBe(0);
    expect(await fsp.readdir(cfg)).toEqual([]);
  });

  it('at a terminal: the question names the hosts; "no" sends nothing; "yes" signs in and is remembered', async () => {
    const no = await cli(dir, cfg, ['verify', '--site', 'imported.json', '--device-code'], false);
    expect(no.asked).toHaveLength(1);
    expect(no.asked[0]).toContain(`sign-in host ${loginHost}, Microsoft Graph host ${graphHost}`);
    expect(no.asked[0]).toMatch(/not created on this machine/);
    expect(no.code).toBe(2);
    expect(no.err).toMatch(/You declined/);
    expect(reached()).toBe(0);

    const before = await fsp.readFile(path.join(dir, 'imported.json'), 'utf8');
    const yes = await cli(dir, cfg, ['verify', '--site', 'imported.json', '--device-code', '--json'], true);
    expect(yes.asked).toHaveLength(1);
    expect([0, 1]).toContain(yes.code);
    expect(emu.stats.byHost.login).toBeGreaterThan(0);
    // The sign-in line and the device-code line name the login host.
    expect(yes.err).toContain(`Signing in to tenant ${emu.tenantDomain}: sign-in host ${loginHost}, Microsoft Graph host ${graphHost} (not a Microsoft cloud).`);
    expect(yes.err).toContain(`issued by sign-in host ${loginHost}`);
    // Remembered on this machine, not in the file: the file gained the run, but no trust.
    const trust = JSON.parse(await fsp.readFile(path.join(cfg, 'trusted-clouds.json'), 'utf8'));
    expect(trust.clouds).toEqual([expect.objectContaining({ login: loginHost, graph: graphHost, how: 'confirmed' })]);
    const after = await fsp.readFile(path.join(dir, 'imported.json'), 'utf8');
    expect(after).not.toMatch(/trust/i);
    expect(JSON.parse(after).history.length).toBe(JSON.parse(before).history.length + 1);

    const again = await cli(dir, cfg, ['verify', '--site', 'imported.json', '--device-code', '--json'], false);
    expect(again.asked).toEqual([]);
    expect([0, 1]).toContain(again.code);
  }, 30_000);

  it('--trust-cloud confirms without a terminal; another machine (config folder) asks again', async () => {
    const r = await cli(dir, cfg, ['verify', '--site', 'imported.json', '--device-code', '--trust-cloud', '--json']);
    expect([0, 1]).toContain(r.code);
    expect(r.err).toContain(`Trusting this cloud on this machine (--trust-cloud): sign-in host ${loginHost}`);
    expect(emu.stats.byHost.login).toBeGreaterThan(0);
    emu.resetStats();
    const elsewhere = await cli(dir, await tmpDir('trust-cfg2'), ['apply', '--site', 'imported.json', '--device-code']);
    expect(elsewhere.code).toBe(2);
    expect(reached()).toBe(0);
  }, 30_000);

  it('a site created on this machine, or hosts typed on the command line, need no confirmation', async () => {
    const made = await cli(dir, cfg, ['sites', 'new', '--file', 'here.json', '--tenant', emu.tenantDomain, ...HOST_ARGS, '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl]);
    expect(made.code).toBe(0);
    const r = await cli(dir, cfg, ['verify', '--site', 'here.json', '--device-code', '--json'], false);
    expect(r.asked).toEqual([]);
    expect([0, 1]).toContain(r.code);
    // The imported file's cloud is the same hosts: this machine trusts them now (the engineer typed them here).
    const typed = await cli(dir, await tmpDir('trust-cfg3'), ['verify', '--site', 'imported.json', '--device-code', '--json', '--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl], false);
    expect(typed.asked).toEqual([]);
    expect([0, 1]).toContain(typed.code);
  }, 30_000);

  it('Microsoft clouds are trusted; look-alike hosts are not', async () => {
    const store = new CloudTrustStore(cfg);
    for (const c of Object.values(CLOUDS)) expect(await cloudTrust(c, true, store)).toMatchObject({ trusted: true, reason: 'microsoft' });
    expect(microsoftCloudName(customCloud('https://login.microsoftonline.com.evil.example', 'https://graph.microsoft.com'))).toBeNull();
    expect(microsoftCloudName(customCloud('https://login.microsoftonline.com', 'https://graph.evil.example'))).toBeNull();
    expect(microsoftCloudName(customCloud('http://login.microsoftonline.com', 'https://graph.microsoft.com'))).toBeNull();
    expect(microsoftCloudName(customCloud('https://LOGIN.microsoftonline.com/', 'https://graph.microsoft.com'))).toBe('global');
    expect(await cloudTrust(customCloud('https://idp.example', 'https://graph.example'), true, store)).toMatchObject({ trusted: false, hosts: { login: 'idp.example', graph: 'graph.example' } });
    // A damaged trust file trusts nothing.
    await fsp.writeFile(store.file, '{"format":"ice-sso-trusted-clouds","clouds":[{"login":"idp.example"');
    expect((await cloudTrust(customCloud('https://idp.example', 'https://graph.example'), true, store)).trusted).toBe(false);
  });
});
