// `npm run bench`: first the CLI's start-up against `node -e 0` (bench/startup.ts), then the desktop app's start-up
// against a blank page (bench/desktop-startup.ts); then measures apply (empty
// tenant, "Admins and users" and "Admins only") and verify against the loopback Entra/Graph emulator, at 100 ms and 0 ms injected latency per HTTP round trip.
// Prints: sequential HTTP round trips to Graph, Graph requests (inner $batch requests counted), wall time.
// Sign-in is measured once on its own row and not counted in the others (it is the same for every action).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { customCloud } from '../src-main/core/clouds';
import { parseSettings } from '../src-main/core/settings';
import type { Settings } from '../src-main/core/types';
import { apply, verify } from '../src-main/graph/engine';
import { openSession, type Session } from '../src-main/ops/session';
import { CA_PATH, startEmulator, type Emulator } from '../test/emulator/index';
import { visitBench } from './visit';
import { startupBench } from './startup';
import { desktopStartupBench } from './desktop-startup';
import { markdownTable } from './table';

interface Row {
  latency: number;
  action: string;
  roundTrips: number;
  graphRequests: number;
  httpRequests: number;
  writes: number | string;
  ms: number;
  emuRoundTrips: number;
  ok: string;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function settingsFor(emu: Emulator, consent: 'users' | 'admins'): Settings {
  const r = parseSettings({ hosts: ['dc1.example.com', 'dc2.example.com'], consent, cloud: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.settings;
}

async function signedIn(emu: Emulator, purpose: Parameters<typeof openSession>[0]['purpose']): Promise<Session> {
  return openSession({ cloud: customCloud(emu.loginUrl, emu.graphUrl), tenant: emu.tenantDomain, purpose, method: 'device-code' });
}

function verdict(steps: Array<{ id: string; status: string }>): string {
  const bad = steps.filter((s) => s.status === 'fail' || s.status === 'warn');
  return bad.length ? `FAIL ${bad.map((s) => s.id).join(',')}` : 'no fail/warn';
}

async function once(latency: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const consent of ['users', 'admins'] as const) {
    const emu = await startEmulator({ latencyMs: latency, deviceCodeIntervalSec: 0.05, autoApproveDeviceCodeAfterMs: 0 });
    try {
      const settings = settingsFor(emu, consent);
      emu.resetStats();
      let t0 = performance.now();
      const s = await signedIn(emu, { action: 'apply', consent });
      if (consent === 'users') {
        rows.push({
          latency,
          action: 'sign-in (device code, approved at once; MSAL)',
          roundTrips: emu.stats.byHost.login,
          graphRequests: 0,
          httpRequests: emu.stats.byHost.login,
          writes: '-',
          ms: performance.now() - t0,
          emuRoundTrips: 0,
          ok: '(login host)',
        });
      }
      emu.resetStats();
      t0 = performance.now();
      const a = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants });
      rows.push({
        latency,
        action: `apply, empty tenant, consent=${consent}`,
        roundTrips: a.stats.roundTrips,
        graphRequests: a.stats.graphRequests,
        httpRequests: a.stats.httpRequests,
        writes: a.writes,
        ms: performance.now() - t0,
        emuRoundTrips: emu.stats.byHost.graph,
        ok: verdict(a.steps),
      });

      const before = { ...s.graph.stats };
      emu.resetStats();
      t0 = performance.now();
      const again = await apply(s.graph, { settings, tenantId: s.tenantId, readGrants: s.readGrants, hint: { objectId: a.app.objectId, appId: a.app.appId } });
      rows.push({
        latency,
        action: `apply again (no change), consent=${consent}`,
        roundTrips: again.stats.roundTrips - before.roundTrips,
        graphRequests: again.stats.graphRequests - before.graphRequests,
        httpRequests: again.stats.httpRequests - before.httpRequests,
        writes: again.writes,
        ms: performance.now() - t0,
        emuRoundTrips: emu.stats.byHost.graph,
        ok: verdict(again.steps),
      });

      if (consent === 'users') {
        const v = await signedIn(emu, { action: 'verify' });
        for (const [label, hint] of [
          ['verify, ids known (site/journal)', { objectId: a.app.objectId, appId: a.app.appId }],
          ['verify, ids unknown (uniqueName)', {}],
        ] as const) {
          const b = { ...v.graph.stats };
          emu.resetStats();
          t0 = performance.now();
          const r = await verify(v.graph, { settings, tenantId: v.tenantId, readGrants: v.readGrants, hint });
          rows.push({
            latency,
            action: label,
            roundTrips: r.stats.roundTrips - b.roundTrips,
            graphRequests: r.stats.graphRequests - b.graphRequests,
            httpRequests: r.stats.httpRequests - b.httpRequests,
            writes: '-',
            ms: performance.now() - t0,
            emuRoundTrips: emu.stats.byHost.graph,
            ok: verdict(r.steps),
          });
        }
      }
    } finally {
      await emu.stop();
    }
  }
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  // First, while nothing else of ours runs: the CLI's start-up (bench/startup.ts).
  const startup = await startupBench();
  if (!startup.ok) process.exitCode = 1;
  // Then the desktop app's start-up: first screen usable against a blank page, start-up JavaScript (bench/desktop-startup.ts).
  const desktop = await desktopStartupBench();
  if (!desktop.ok) process.exitCode = 1;
  // One visit (sites new → verify → apply → verify → export): device codes per visit (bench/visit.ts).
  const visits = await visitBench();
  if (!visits.ok) process.exitCode = 1;
  const all: Row[] = [];
  for (const latency of [100, 0]) {
    const runs: Row[][] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(latency));
    const first = runs[0]!;
    first.forEach((row, i) => {
      all.push({ ...row, ms: median(runs.map((r) => r[i]!.ms)) });
    });
  }
  const head = ['latency', 'action', 'HTTP round trips (sequential)', 'Graph requests', 'HTTP requests', 'writes', `wall ms (median of ${RUNS})`, 'checklist after'];
  const body = all.map((r) => [`${r.latency} ms`, r.action, String(r.roundTrips), String(r.graphRequests), String(r.httpRequests), String(r.writes), r.ms.toFixed(0), r.ok]);
  process.stdout.write(
    [
      'ICE SSO Assistant: Graph cost of apply and verify against the loopback emulator (sign-in on its own row)',
      '',
      ...markdownTable(head, body),
      '',
      'Round trips are sequential HTTP exchanges with Graph (a $batch is one); Graph requests count every request inside a',
      `$batch. The emulator saw the same number of Graph HTTP requests in every row: ${all.every((r) => r.graphRequests === 0 || r.emuRoundTrips === r.httpRequests) ? 'yes' : 'NO'}.`,
      'The sign-in row counts HTTP requests to the login host (metadata, device code, token polls); the rows below exclude it.',
      '',
    ].join('\n'),
  );
  if (all.some((r) => r.ok !== 'no fail/warn' && r.ok !== '(login host)')) process.exitCode = 1;
}

// TLS trust for the emulator's test CA: Node reads NODE_EXTRA_CA_CERTS only at start, so re-run ourselves with it
// (keeping any bundle already named there: the variable takes one file, so both go into a temporary one).
if (process.env.ICE_BENCH_CA !== '1' && process.env.NODE_EXTRA_CA_CERTS !== CA_PATH) {
  let pem = readFileSync(CA_PATH, 'utf8');
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (existing && existsSync(existing)) pem = `${readFileSync(existing, 'utf8').trimEnd()}\n${pem}`;
  const bundle = path.join(mkdtempSync(path.join(os.tmpdir(), 'ice-bench-')), 'ca.pem');
  writeFileSync(bundle, pem);
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, ICE_BENCH_CA: '1' },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}
