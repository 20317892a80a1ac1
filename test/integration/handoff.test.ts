// The field engineer's whole path as the CLI runs it, over real HTTPS to the emulator:
// sites new → apply --site → bundle export → bundle verify (ours and Debian's minisign).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../emulator/index';
import { readZip } from '../../src-main/bundle/zip';
import { SECRET_RE, cliCloudArgs, emulator, HOST_ARGS } from '../support/emulator';
import { cliProcess } from '../support/cli';
import { tmpDir } from '../support/tmp';

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await emulator();
  dir = await tmpDir('handoff');
});
afterAll(async () => {
  await emu.stop();
});

describe('site → apply → signed bundle', () => {
  it('a bundle made from a real apply record exports, verifies, and holds no token', async () => {
    const site = path.join(dir, 'contoso.site.json');
    const cloud = cliCloudArgs(emu);
    const tenantAt = cloud.indexOf('--tenant');
    const cloudOnly = cloud.filter((_, i) => i !== tenantAt && i !== tenantAt + 1 && cloud[i] !== '--device-code');
    const made = await cliProcess(['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, ...HOST_ARGS, ...cloudOnly, '--consent', 'admins']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);

    const applied = await cliProcess(['apply', '--site', site, '--device-code']);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(/Recorded in site/);

    const env = { ICE_SSO_CONFIG_DIR: path.join(dir, 'cfg'), ICE_SSO_KEY_PASSPHRASE: 'a passphrase for the test key' };
    Object.assign(process.env, env);
    const out = path.join(dir, 'usb');
    execFileSync('mkdir', ['-p', out]);
    const exported = await cliProcess(['bundle', 'export', '--site', site, '--out', out]);
    expect(exported.stderr + exported.stdout).not.toMatch(/refus/i);
    expect(exported.code).toBe(0);
    const bundle = path.join(out, 'contoso.icesso');
    expect(existsSync(bundle)).toBe(true);

    // The admin without the engineer's key: intact but UNTRUSTED (exit 4); with it: VALID.
    const unpinned = await cliProcess(['bundle', 'verify', bundle, '--json']);
    expect(unpinned.code).toBe(4);
    expect(JSON.parse(unpinned.stdout)).toMatchObject({ verdict: 'UNTRUSTED', complete: true, problems: [] });
    const pub = path.join(dir, 'engineer.pub');
    expect((await cliProcess(['keys', 'export', '--format', 'minisign', '--out', pub])).code).toBe(0);
    const verified = await cliProcess(['bundle', 'verify', bundle, '--public-key', pub, '--json']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ verdict: 'VALID', valid: true });

    // The apply's requests (with optionalClaims.accessToken/idToken claim lists) are in the bundle; no token is.
    const entries = readZip(await readFile(bundle));
    const checklist = entries.find((e) => e.name === 'checklist.json');
    expect(checklist).toBeDefined();
    const text = Buffer.from(checklist!.data).toString('utf8');
    expect(text).toMatch(/optionalClaims/);
    // (manifest.jws is our own signature, a JWS by design; nothing else may look like one.)
    for (const e of entries.filter((x) => x.name !== 'manifest.jws')) expect(Buffer.from(e.data).toString('utf8')).not.toMatch(SECRET_RE);
    const meta = JSON.parse(Buffer.from(entries.find((e) => e.name === 'sso-meta.json')!.data).toString('utf8'));
    expect(meta.provider).toBe('azure_ad');
    expect(meta.tenantId).toBe(emu.tenantId);

    if (!existsSync('/usr/bin/minisign')) {
      console.log('skipped the minisign part: /usr/bin/minisign not installed (apt-get install minisign)');
      return;
    }
    const unpacked = path.join(dir, 'unpacked');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('python3', ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', bundle, unpacked]);
    // The admin's stock check, with the key the engineer gave (README, summary.html).
    const ok = execFileSync('sh', ['-c', '/usr/bin/minisign -Vm SHA256SUMS -p "$1" && sha256sum -c SHA256SUMS', 'sh', pub], { cwd: unpacked, encoding: 'utf8' });
    expect(ok).toMatch(/Signature and comment signature verified/);
    expect(ok).toMatch(/^summary\.html: OK$/m);
  });
});
