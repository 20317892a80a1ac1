// The CLI as it ships: the built command (out/cli/ice-sso.mjs, package.json "bin"), run as a child process.
// It prints what the sources print; it runs from a copy with no node_modules (dependencies are bundled: the
// admin's path for `bundle verify`); each command parses only what it needs (a module-load trace per command);
// `npm run --silent cli` runs it with file arguments resolved where the command was typed; `npm pack` ships it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_INFO, CLI_ENTRY, OUT_DIR } from '../../scripts/build-cli.mjs';
import type { CliIO } from '../../src-main/cli/io';
import { main } from '../../src-main/cli/main';
import { recordRun } from '../../src-main/sites/store';
import { readZip, writeZip } from '../../src-main/bundle/zip';
import { cli, cliProcess } from '../support/cli';
import { COMPLIANT, fixturePath } from '../support/fixtures';
import { ROOT as REPO } from '../support/paths';
import { verifiedRun } from '../support/sites';

const F = (n: string) => fixturePath(n);
const COMPLIANT_ARGS = ['--app', F('compliant-application.json'), '--service-principal', F('compliant-service-principal.json'), '--grants', F('compliant-grants-admins.json'), '--host', 'test.icnow.app', '--host', 'dc2.icnow.app', '--tenant', COMPLIANT.tenantId];
const PASSPHRASE = 'a long test passphrase';

let dir: string;
let config: string;
let bundle: string;

/** A real bundle: sites new, a recorded verify, bundle export (in-process, from the sources). */
async function makeBundle(): Promise<string> {
  const io: CliIO = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    readStdin: async () => '',
    env: { ICE_SSO_CONFIG_DIR: config, ICE_SSO_KEY_PASSPHRASE: PASSPHRASE },
    cwd: dir,
  };
  expect(await main(['sites', 'new', '--file', 'contoso.json', '--site-name', 'Contoso HQ', '--host', 'ice-dc1.contoso.com', '--host', 'ice-dc2.contoso.com', '--tenant', 'contoso.onmicrosoft.com'], io)).toBe(0);
  await recordRun(path.join(dir, 'contoso.json'), verifiedRun().run);
  expect(await main(['bundle', 'export', '--site', 'contoso.json', '--out', dir], io)).toBe(0);
  // the engineer's public key, as the admin receives it
  expect(await main(['keys', 'export', '--out', 'engineer.pub'], io)).toBe(0);
  return path.join(dir, 'Contoso-HQ.icesso');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ice-built-'));
  config = path.join(dir, 'config');
  bundle = await makeBundle();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface BuildInfo {
  chunks: Record<string, { bytes: number; inputs: string[]; entryPoint?: string }>;
}
const buildInfo = (): BuildInfo => JSON.parse(readFileSync(BUILD_INFO, 'utf8')) as BuildInfo;

/** The npm packages (and our source folders) whose code a CLI run parsed: a load trace mapped through the build's chunk inputs. */
async function loadedBy(argv: string[]): Promise<{ code: number; packages: Set<string>; sources: Set<string>; chunks: number }> {
  const trace = path.join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const r = await run([process.execPath, '--import', path.join(REPO, 'test/cli/load-trace/register.mjs'), CLI_ENTRY, ...argv], { ICE_LOAD_TRACE: trace });
  const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  const info = buildInfo();
  const packages = new Set<string>();
  const sources = new Set<string>();
  let chunks = 0;
  // Everything comes from the build: not one module from node_modules, no TypeScript.
  expect(urls.filter((u) => u.includes('/node_modules/') || u.endsWith('.ts'))).toEqual([]);
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const rel = path.relative(REPO, new URL(url).pathname);
    const chunk = info.chunks[rel];
    if (!chunk) continue;
    chunks += 1;
    for (const input of chunk.inputs) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) packages.add(m[1]!);
      else sources.add(input);
    }
  }
  expect(chunks).toBeGreaterThan(0); // the trace saw the built CLI
  return { code: r.code, packages, sources, chunks };
}

function run(argv: string[], env: Record<string, string> = {}, cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const HEAVY_SIGN_IN = ['@azure/msal-node', '@azure/msal-common', '@microsoft/microsoft-graph-client', 'jsonwebtoken'];

describe('the built command (out/cli/ice-sso.mjs)', () => {
  it('is an executable Node script with no TypeScript to compile at start', () => {
    const text = readFileSync(CLI_ENTRY, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).bin).toEqual({ 'ice-sso': 'out/cli/ice-sso.mjs' });
    expect(Object.keys(buildInfo().chunks).every((f) => f.startsWith('out/cli/') && f.endsWith('.mjs'))).toBe(true);
  });

  it('prints exactly what the sources print: help, help <command>, audit (pass, fail, --json), plan, bad input, zod messages', async () => {
    const failing = readFileSync(F('docs-application-get.json'), 'utf8');
    // zod's own messages (the build keeps only its English locale): a site document of the wrong shape
    const wrongSite = path.join(mkdtempSync(path.join(dir, 'wrong-')), 'wrong-shape.json');
    await fsp.writeFile(wrongSite, '{"format":"ice-sso-site","schemaVersion":1,"name":5}');
    const cases: Array<{ argv: string[]; stdin?: string }> = [
      { argv: ['sites', 'show', wrongSite] },
      { argv: ['audit', '--app', F('compliant-application.json'), '--host', 'h.example.com', '--consent', 'maybe'] },
      { argv: ['help'] },
      { argv: ['help', 'audit'] },
      { argv: ['bundle', '--help'] },
      { argv: ['audit', ...COMPLIANT_ARGS] },
      { argv: ['audit', ...COMPLIANT_ARGS, '--json'] },
      { argv: ['audit', '--app', '-', '--host', 'test.icnow.app'], stdin: failing },
      { argv: ['plan', '--app', '-', '--host', 'test.icnow.app', '--scope-id', '3fa85f64-5717-4562-b3fc-2c963f66afa6', '--json'], stdin: failing },
      { argv: ['audit', '--app', '-', '--host', 'test.icnow.app'], stdin: 'not json' },
      { argv: ['audti'] },
      { argv: [] },
    ];
    for (const c of cases) {
      const built = await cliProcess(c.argv, { stdin: c.stdin });
      const src = await cli(c.argv, { stdin: c.stdin });
      expect({ argv: c.argv, code: built.code, stdout: built.stdout, stderr: built.stderr }).toEqual({ argv: c.argv, code: src.code, stdout: src.stdout, stderr: src.stderr });
    }
    const zodMessage = await cliProcess(['sites', 'show', wrongSite]);
    expect(zodMessage.code).toBe(2);
    expect(zodMessage.stderr).toMatch(/field name: Invalid input: expected string, received number/);
    expect((await cliProcess(['audit', ...COMPLIANT_ARGS])).code).toBe(0);
    const bad = await cliProcess(['audit', '--app', '-', '--host', 'test.icnow.app'], { stdin: 'not json' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // a message, never a stack trace
  });

  it('sites and bundle through the built command: new, list, verify (valid, tampered, not a bundle), show, keys', async () => {
    const env = { ICE_SSO_CONFIG_DIR: config, ICE_SSO_KEY_PASSPHRASE: PASSPHRASE };
    let r = await cliProcess(['sites', 'new', '--file', 'fabrikam.json', '--site-name', 'Fabrikam', '--host', 'ice.fabrikam.com'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'fabrikam.json'))).toBe(true);
    r = await cliProcess(['sites', 'list', dir, '--json'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ name?: string }>).map((s) => s.name).sort()).toEqual(['Contoso HQ', 'Fabrikam']);

    r = await cliProcess(['bundle', 'verify', bundle], { env });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^UNTRUSTED: /);
    r = await cliProcess(['bundle', 'verify', bundle, '--public-key', path.join(dir, 'engineer.pub')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID: /);
    expect(r.stdout).toMatch(/archive ok · signature ok · minisign ok · hashes ok · schemas ok · summary ok/);
    r = await cliProcess(['bundle', 'show', bundle, '--json', '--public-key', path.join(dir, 'engineer.pub')], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'VALID', valid: true, summary: { site: 'Contoso HQ' } });
    const entries = readZip(await fsp.readFile(bundle));
    const tampered = path.join(dir, 'tampered.icesso');
    await fsp.writeFile(tampered, writeZip(entries.map((e) => ({ name: e.name, data: e.name === 'values.json' ? Buffer.from(e.data.toString().replace('UserProfile', 'UserPrefile')) : e.data }))));
    r = await cliProcess(['bundle', 'verify', tampered], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/INVALID[\s\S]*values\.json: changed after signing/);
    r = await cliProcess(['bundle', 'verify', path.join(dir, 'contoso.json')], { env });
    expect(r.code).toBe(2);
    r = await cliProcess(['keys', 'show'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Fingerprint: +[0-9A-F]{4}( [0-9A-F]{4}){7}\n/);
  });

  it('runs from a copy with no node_modules anywhere (dependencies bundled): help, audit, bundle verify', async () => {
    const bare = mkdtempSync(path.join(os.tmpdir(), 'ice-bare-'));
    try {
      // nothing named node_modules between the copy and the root: Node could not resolve a package if one were needed
      for (let d = bare; d !== path.dirname(d); d = path.dirname(d)) expect(existsSync(path.join(d, 'node_modules'))).toBe(false);
      cpSync(OUT_DIR, path.join(bare, 'ice-sso'), { recursive: true });
      const entry = path.join(bare, 'ice-sso', 'ice-sso.mjs');
      let r = await cliProcess(['help'], { cwd: bare, entry });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Commands:');
      r = await cliProcess(['audit', ...COMPLIANT_ARGS, '--json'], { cwd: bare, entry });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      r = await cliProcess(['bundle', 'verify', bundle, '--public-key', path.join(dir, 'engineer.pub')], { cwd: bare, entry });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^VALID: /);
      // the sign-in stack is bundled too: it loads (the usage error comes from the command itself)
      r = await cliProcess(['verify', '--device-code'], { cwd: bare, entry });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: invalid settings:\n {2}--host: is missing/);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('offline commands never parse MSAL or the Graph client; bundle verify parses jose but no sign-in code', async () => {
    for (const argv of [['help'], ['audit', ...COMPLIANT_ARGS], ['plan', ...COMPLIANT_ARGS], ['sites', 'list', dir]]) {
      const t = await loadedBy(argv);
      expect(t.code, argv.join(' ')).toBe(0);
      for (const heavy of [...HEAVY_SIGN_IN, 'jose']) expect([argv[0], heavy, t.packages.has(heavy)]).toEqual([argv[0], heavy, false]);
    }
    const help = await loadedBy(['help']);
    expect([...help.packages]).toEqual([]); // not even zod: the command list comes from the registry
    const v = await loadedBy(['bundle', 'verify', bundle, '--public-key', path.join(dir, 'engineer.pub')]);
    expect(v.code).toBe(0);
    expect(v.packages.has('jose')).toBe(true);
    for (const heavy of HEAVY_SIGN_IN) expect(v.packages.has(heavy)).toBe(false);
    expect([...v.sources].filter((s) => s.startsWith('src-main/auth/') || s.startsWith('src-main/graph/'))).toEqual([]);
    // the check can see MSAL: a sign-in command loads it
    const signIn = await loadedBy(['verify', '--help']);
    expect(signIn.packages.has('@azure/msal-node')).toBe(true);
    expect(signIn.packages.has('@microsoft/microsoft-graph-client')).toBe(true);
  });

  it("help's command list (which loads no command) says what each command's own help says", async () => {
    const list = await cliProcess(['help']);
    const rows = [...list.stdout.matchAll(/^ {2}(\S+) {2,}(.+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const [name, summary] of rows) {
      const one = await cli(['help', name]);
      expect(one.code).toBe(0);
      expect(one.stdout.split('\n')[0]).toBe(`${name}: ${summary}`);
    }
  });

  it('`npm run --silent cli -- …` runs the built command, with file arguments relative to where it was typed', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const env: Record<string, string> = {};
    const r = await run([npm, 'run', '--silent', '--prefix', REPO, 'cli', '--', 'audit', '--app', 'compliant-application.json', '--host', 'test.icnow.app', '--json'], env, path.dirname(F('compliant-application.json')));
    const src = await cli(['audit', '--app', F('compliant-application.json'), '--host', 'test.icnow.app', '--json']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: src.code, stdout: src.stdout });
    // the hints name the command the way it was started
    const help = await run([npm, 'run', '--silent', '--prefix', REPO, 'cli', '--', 'help'], env, os.tmpdir());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run --silent cli -- <command> [options]');
    const installed = await cliProcess(['help'], { env: { npm_lifecycle_event: '' } });
    expect(installed.stdout).toContain('Usage: ice-sso <command> [options]');
    expect(installed.stdout).toContain('Run `ice-sso help <command>`');
  });

  it('npm pack ships the command and nothing else of the repository', () => {
    const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [pack] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = pack!.files.map((f) => f.path).sort();
    const built = Object.keys(buildInfo().chunks).sort();
    for (const f of built) expect(files).toContain(f);
    expect(files.filter((f) => !built.includes(f)).sort()).toEqual(['README.md', 'package.json']);
  });
});
