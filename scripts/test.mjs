#!/usr/bin/env node
// The one test command (`npm test`): typecheck, lint, build (electron-vite: main, preload, renderer; the CLI bundle),
// then every vitest test (unit, integration over the loopback Entra/Graph emulator, UI end-to-end in
// Chromium). Ends with one summary line "tests: N passed, N failed, N skipped".
//   npm test                 everything
//   npm test -- --quick      skip typecheck, lint and build (vitest only)
//   npm test -- test/core    extra arguments go to vitest (filters)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../test/support/chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const vitestArgs = args.filter((a) => a !== '--quick');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const failures = [];

function step(title, cmd, cmdArgs, env = {}) {
  const started = Date.now();
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failures.push(title);
    process.stdout.write(`== ${title}: FAILED (exit ${r.status ?? r.signal}) after ${secs}s\n`);
  } else {
    process.stdout.write(`== ${title}: ok (${secs}s)\n`);
  }
  return r.status === 0;
}

if (!quick) {
  step('typecheck (main, core, tests)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
  step('typecheck (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
  step('typecheck (UI end-to-end tests)', bin('tsc'), ['-p', 'test/e2e/tsconfig.json', '--noEmit']);
  step('lint', bin('eslint'), ['.', '--max-warnings=0']);
  step('build (electron-vite)', bin('electron-vite'), ['build']);
  // The CLI as it ships (out/cli/ice-sso.mjs, the package's bin): the child-process CLI tests run it.
  step('build (CLI bundle, esbuild)', process.execPath, [join(root, 'scripts', 'build-cli.mjs')]);
}

const found = findChromium();
const chromium = found.path ?? undefined;
process.stdout.write(`\nChromium for UI tests: ${chromium ?? `none found (tried ${found.tried.join(', ')}; install Debian chromium: apt-get install chromium)`}\n`);
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const testEnv = {
  // The emulator's test CA: Node (MSAL's fetch, the Graph client's fetch, https) trusts it the standard way.
  NODE_EXTRA_CA_CERTS: join(root, 'test/emulator/tls/ca.pem'),
  ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
};

let passed = 0;
let failed = 0;
let skipped = 0;
/** One vitest run; its JSON report is added to the totals. */
function vitest(title, config, name) {
  const jsonOut = join(resultsDir, `vitest-${name}.json`);
  rmSync(jsonOut, { force: true });
  step(title, bin('vitest'), ['run', '--config', config, '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonOut}`, ...vitestArgs], testEnv);
  if (!existsSync(jsonOut)) {
    failed += 1;
    return;
  }
  const report = JSON.parse(readFileSync(jsonOut, 'utf8'));
  let runFailed = report.numFailedTests ?? 0;
  // A test file that fails to load has no failed tests but must still count.
  if ((report.numFailedTestSuites ?? 0) > 0 && runFailed === 0) runFailed = report.numFailedTestSuites;
  passed += report.numPassedTests ?? 0;
  failed += runFailed;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

vitest('vitest: unit and integration (core, CLI, emulator, live tenant, sites, bundle, app services)', 'vitest.config.ts', 'unit');
// The UI tests drive the built renderer (out/renderer) in Chromium, one file at a time.
vitest('vitest: UI end-to-end in Chromium', 'test/e2e/vitest.config.ts', 'e2e');

if (failures.length > 0) process.stdout.write(`\nFailed steps: ${failures.join(', ')}\n`);
failed += failures.filter((f) => !f.startsWith('vitest')).length;
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failures.length === 0 && failed === 0 ? 0 : 1);
