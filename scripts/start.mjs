#!/usr/bin/env node
// `npm start` / `npm run dev`: make sure the Electron binary is on this machine, then hand over to electron-vite.
//
// Electron 42+ ships without its binary and fetches it on first use (node_modules/electron/install.js, the
// `install-electron` bin); electron-vite only reads node_modules/electron/path.txt, which that installer writes.
// So this script runs Electron's own installer when the binary is missing, and when it cannot be fetched (no
// network, a proxy, a blocked host) it ends with one plain message that says what to do instead, exit code 1.
//
//   node scripts/start.mjs start [args]   electron-vite preview (build, then run the built app)
//   node scripts/start.mjs dev [args]     electron-vite dev (hot reload)
//
// ELECTRON_OVERRIDE_DIST_PATH=<folder holding an unpacked Electron> uses that Electron (Electron's own convention).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const [mode = 'start', ...rest] = process.argv.slice(2);
const commands = { start: 'preview', dev: 'dev' };
const CLI_HINT = 'The CLI needs no Electron: npm run --silent cli -- help';

/** Ends the run with one plain message (no stack trace). */
function fail(what, ...lines) {
  process.stderr.write([`ICE SSO Assistant cannot start: ${what}`, ...lines.map((l) => `  ${l}`)].join('\n') + '\n');
  process.exit(1);
}

if (!(mode in commands)) fail(`unknown mode "${mode}" (use "start" or "dev").`, CLI_HINT);

/** Where Electron keeps its executable inside an unpacked build (as Electron's install.js names it). */
function platformPath() {
  const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function electronPackage() {
  try {
    const pkgFile = require.resolve('electron/package.json');
    return { dir: dirname(pkgFile), version: JSON.parse(readFileSync(pkgFile, 'utf8')).version };
  } catch {
    return null;
  }
}

/** The executable electron-vite would start, or null when the binary is not on this machine. */
function installedExecutable(dir, version) {
  try {
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const installed = readFileSync(join(dir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '');
    const exe = join(dir, 'dist', rel);
    return installed === version && existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

/** The installer's last words, without its stack trace: "fetch failed", "HTTPError: Response code 404", ... */
function reasonFrom(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/^Downloading Electron/i.test(l));
  const line = lines.find((l) => /error|failed|ENOTFOUND|ECONN|EAI_AGAIN|ETIMEDOUT|certificate|\d{3}/i.test(l)) ?? lines[0];
  return (line ?? 'the installer gave no reason').replace(/^(TypeError|Error|RequestError|HTTPError):\s*/, '');
}

function resolveElectron() {
  const pkg = electronPackage();
  if (!pkg) fail('the electron package is not installed (node_modules/electron).', 'Run `npm ci` first (devDependencies included).', CLI_HINT);
  const osName = `${process.env.ELECTRON_INSTALL_PLATFORM || process.platform}-${process.env.ELECTRON_INSTALL_ARCH || process.arch}`;
  const exec = process.env.ELECTRON_EXEC_PATH;
  if (exec) {
    if (!existsSync(exec)) fail(`ELECTRON_EXEC_PATH is ${exec}, which does not exist.`, 'Unset it, or point it at an Electron executable.', CLI_HINT);
    return exec;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = join(resolve(override), platformPath());
    if (!existsSync(exe)) {
      fail(
        `ELECTRON_OVERRIDE_DIST_PATH is ${override}, but there is no Electron executable at ${exe}.`,
        `Point it at the folder of an unpacked Electron ${pkg.version} build for ${osName} (the one holding "${platformPath()}").`,
        CLI_HINT,
      );
    }
    return exe;
  }
  const have = installedExecutable(pkg.dir, pkg.version);
  if (have) return have;

  process.stderr.write(`Electron ${pkg.version} is not on this machine yet: fetching it with Electron's installer (once)...\n`);
  const r = spawnSync(process.execPath, [join(pkg.dir, 'install.js')], { cwd: root, encoding: 'utf8', env: process.env });
  const exe = r.status === 0 ? installedExecutable(pkg.dir, pkg.version) : null;
  if (exe) return exe;
  const reason = r.error ? r.error.message : r.status === 0 ? 'the installer finished but wrote no node_modules/electron/path.txt' : reasonFrom(`${r.stderr ?? ''}\n${r.stdout ?? ''}`);
  return fail(
    `Electron ${pkg.version} is not installed and could not be downloaded (${reason}).`,
    'Electron is fetched once, from GitHub, into node_modules/electron/dist: with network access, run the command again.',
    `Offline: unpack an Electron ${pkg.version} build for ${osName} and start with ELECTRON_OVERRIDE_DIST_PATH=<that folder> npm ${mode === 'dev' ? 'run dev' : 'start'}`,
    ...(nodeBelowAppTooling() ? [`Note: the desktop app's tooling (Electron ${pkg.version}) wants Node >= 22.12; this is Node ${process.versions.node}.`] : []),
    CLI_HINT,
  );
}

function nodeBelowAppTooling() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major < 22 || (major === 22 && minor < 12);
}

const executable = resolveElectron();
let viteBin;
try {
  const pkgFile = require.resolve('electron-vite/package.json');
  viteBin = join(dirname(pkgFile), JSON.parse(readFileSync(pkgFile, 'utf8')).bin['electron-vite']);
} catch {
  fail('electron-vite is not installed.', 'Run `npm ci` first (devDependencies included).', CLI_HINT);
}
// electron-vite starts the executable named by ELECTRON_EXEC_PATH (else it reads node_modules/electron/path.txt).
const child = spawn(process.execPath, [viteBin, commands[mode], ...rest], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: executable },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
