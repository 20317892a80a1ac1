// One visit to a customer site with the built CLI (the `ice-sso` command), each step its own process as a field
// engineer types them: sites new → verify --site → apply --site → verify --site → bundle export. Counts the device
// codes Entra issued (sign-ins the engineer had to complete) and the wall time of each step, for two tenants:
// - consent exists: the tenant already consented to the assistant's permissions for the sign-in client → 1 device
//   code (the first command; the others sign in silently from the saved sign-in);
// - write consent must be given: only the first sign-in's read permissions are consented; apply's silent request
//   for the write permission answers AADSTS65001 consent_required → one interactive sign-in where the admin
//   consents → 2 device codes.
// Run on its own: `npx tsx bench/visit.ts` (needs NODE_EXTRA_CA_CERTS=test/emulator/tls/ca.pem); `npm run bench` prints it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI_ENTRY, ensureCliBuilt } from '../scripts/build-cli.mjs';
import { startEmulator, type Emulator } from '../test/emulator/index';

export interface VisitRow {
  tenant: string;
  deviceCodes: number;
  expected: number;
  steps: Array<{ step: string; code: number | null; ms: number; deviceCodes: number }>;
  ok: boolean;
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - t0, stderr }));
  });
}

async function visit(emu: Emulator, label: string, expected: number): Promise<VisitRow> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ice-bench-visit-'));
  const env = {
    ...process.env,
    NO_COLOR: '1',
    ICE_SSO_CONFIG_DIR: path.join(dir, 'config'),
    ICE_SSO_KEY_PASSPHRASE: 'bench passphrase, not a secret',
  };
  const site = path.join(dir, 'contoso.site.json');
  const cloud = ['--cloud', 'custom', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl];
  const steps: Array<[string, string[]]> = [
    ['sites new', ['sites', 'new', '--file', site, '--tenant', emu.tenantDomain, '--host', 'dc1.example.com', '--host', 'dc2.example.com', ...cloud]],
    ['verify --site', ['verify', '--site', site, '--device-code']],
    ['apply --site', ['apply', '--site', site, '--device-code']],
    ['verify --site', ['verify', '--site', site, '--device-code']],
    ['bundle export', ['bundle', 'export', '--site', site, '--out', dir]],
  ];
  const out: VisitRow['steps'] = [];
  const start = emu.deviceCodes.length;
  for (const [step, args] of steps) {
    const before = emu.deviceCodes.length;
    const r = await run(args, env, dir);
    out.push({ step, code: r.code, ms: r.ms, deviceCodes: emu.deviceCodes.length - before });
    if (step === 'verify --site' && out.length === 2 && r.code !== 1) throw new Error(`bench visit: first verify exited ${r.code}: ${r.stderr}`);
    if (step !== 'verify --site' && r.code !== 0) throw new Error(`bench visit: ${step} exited ${r.code}: ${r.stderr}`);
  }
  const deviceCodes = emu.deviceCodes.length - start;
  const finalVerify = out[3]!;
  return { tenant: label, deviceCodes, expected, steps: out, ok: deviceCodes === expected && finalVerify.code === 0 };
}

/** Runs both visits and prints the table; ok = 1 and 2 device codes. */
export async function visitBench(): Promise<{ rows: VisitRow[]; ok: boolean }> {
  await ensureCliBuilt();
  const rows: VisitRow[] = [];
  const emu = await startEmulator({ deviceCodeIntervalSec: 0.05, autoApproveDeviceCodeAfterMs: 0 });
  try {
    // The tenant consented tenant-wide to the sign-in client's permissions (verify's and apply's, "Admins and users").
    emu.state.preConsentedScopes.push('Application.Read.All', 'Directory.Read.All', 'Application.ReadWrite.All');
    rows.push(await visit(emu, 'consent exists', 1));
    emu.resetDirectory(); // also forgets every consent
    rows.push(await visit(emu, 'write consent must be given (admin)', 2));
  } finally {
    await emu.stop();
  }
  const lines = [
    'One visit with the built CLI, each step its own process (sites new → verify → apply → verify → bundle export):',
    '',
    '| tenant | device codes per visit | expected | steps (exit code, device codes, ms) |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.tenant} | ${r.deviceCodes} | ${r.expected} | ${r.steps.map((s) => `${s.step}: ${s.code}, ${s.deviceCodes}, ${s.ms.toFixed(0)}`).join('; ')} |`,
    ),
    '',
    'The sign-in is kept in the config folder between commands (MSAL token cache, 0600): later commands sign in silently;',
    'apply asks interactively only when the saved sign-in lacks consent for its write permission (AADSTS65001).',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return { rows, ok: rows.every((r) => r.ok) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await visitBench();
  if (!r.ok) process.exitCode = 1;
}
