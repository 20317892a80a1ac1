// `npm start` / `npm run dev` (scripts/start.mjs) on a clone without the Electron binary and without network:
// Electron's own installer is tried, fails, and the script ends with one plain message and exit code 1.
// Runs on a copy of the script inside a scratch "clone" whose node_modules/electron is the real package
// without its binary (no path.txt, no dist/), so the result does not depend on this checkout's state.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const realElectron = path.join(ROOT, 'node_modules/electron');
let clone: string;
let deadPort: number;

/** A loopback port nothing listens on: the download is refused at once, as on a machine without network. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  deadPort = await closedPort();
  clone = mkdtempSync(path.join(os.tmpdir(), 'ice-start-'));
  mkdirSync(path.join(clone, 'scripts'));
  copyFileSync(path.join(ROOT, 'scripts/start.mjs'), path.join(clone, 'scripts/start.mjs'));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(clone, 'package.json'));
  const nm = path.join(clone, 'node_modules');
  mkdirSync(path.join(nm, 'electron'), { recursive: true });
  // The electron package as npm installs it (no binary), its installer's dependencies from this checkout.
  for (const f of ['package.json', 'index.js', 'install.js', 'cli.js', 'checksums.json']) copyFileSync(path.join(realElectron, f), path.join(nm, 'electron', f));
  symlinkSync(path.join(ROOT, 'node_modules/@electron'), path.join(nm, '@electron'));
  symlinkSync(path.join(ROOT, 'node_modules/@electron-internal'), path.join(nm, '@electron-internal'));
  // A stand-in electron-vite that reports how it was started (only reached when an Electron is found).
  mkdirSync(path.join(nm, 'electron-vite/bin'), { recursive: true });
  writeFileSync(path.join(nm, 'electron-vite/package.json'), JSON.stringify({ name: 'electron-vite', version: '0.0.0', bin: { 'electron-vite': 'bin/electron-vite.js' } }));
  writeFileSync(path.join(nm, 'electron-vite/bin/electron-vite.js'), "console.log(JSON.stringify({ argv: process.argv.slice(2), exec: process.env.ELECTRON_EXEC_PATH }));\n");
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

function run(mode: string, env: Record<string, string | undefined> = {}) {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const k of ['ELECTRON_OVERRIDE_DIST_PATH', 'ELECTRON_EXEC_PATH', 'ELECTRON_SKIP_BINARY_DOWNLOAD', 'ELECTRON_MIRROR', 'electron_config_cache']) delete base[k];
  return spawnSync(process.execPath, [path.join(clone, 'scripts/start.mjs'), mode], {
    cwd: clone,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...base,
      // Offline: Electron's installer (@electron/get) downloads from a mirror that refuses, into an empty cache.
      ELECTRON_MIRROR: `http://127.0.0.1:${deadPort}/`,
      electron_config_cache: mkdtempSync(path.join(os.tmpdir(), 'ice-electron-cache-')),
      ...env,
    },
  });
}

describe('scripts/start.mjs (npm start, npm run dev)', () => {
  it.each(['start', 'dev'])('%s without Electron and without network: one plain message, exit 1', (mode) => {
    const r = run(mode);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const version = (JSON.parse(readFileSync(path.join(realElectron, 'package.json'), 'utf8')) as { version: string }).version;
    // What failed, with the installer's reason.
    expect(r.stderr).toMatch(new RegExp(`ICE SSO Assistant cannot start: Electron ${version.replace(/\./g, '\\.')} is not installed and could not be downloaded \\(fetch failed\\)`));
    // What to do: an unpacked Electron through ELECTRON_OVERRIDE_DIST_PATH; the CLI works without it.
    expect(r.stderr).toContain(`ELECTRON_OVERRIDE_DIST_PATH=<that folder> npm ${mode === 'dev' ? 'run dev' : 'start'}`);
    expect(r.stderr).toContain('The CLI needs no Electron: npm run --silent cli -- help');
    // No stack trace, and only one "cannot start" message.
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/TypeError|node:internal/);
    expect(r.stderr.match(/cannot start/g)).toHaveLength(1);
  });

  it('ELECTRON_OVERRIDE_DIST_PATH without an Electron in it is named, exit 1', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'ice-no-electron-'));
    const r = run('start', { ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`ELECTRON_OVERRIDE_DIST_PATH is ${empty}, but there is no Electron executable at ${path.join(empty, process.platform === 'win32' ? 'electron.exe' : 'electron')}`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('with an unpacked Electron in ELECTRON_OVERRIDE_DIST_PATH it hands over to electron-vite (preview / dev) with that executable', () => {
    const dist = mkdtempSync(path.join(os.tmpdir(), 'ice-fake-electron-'));
    const exe = path.join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    for (const [mode, cmd] of [['start', 'preview'], ['dev', 'dev']] as const) {
      const r = run(mode, { ELECTRON_OVERRIDE_DIST_PATH: dist });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toEqual({ argv: [cmd], exec: exe });
    }
  });
});
