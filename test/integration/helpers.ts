// Shared by the integration tests: emulator + settings + a signed-in session through MSAL, and the CLI as a child process.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_ENTRY } from '../../scripts/build-cli.mjs';
import { customCloud } from '../../src-main/core/clouds';
import { parseSettings, type SettingsInput } from '../../src-main/core/settings';
import type { Settings } from '../../src-main/core/types';
import { openSession, type Session } from '../../src-main/graph/session';
import { CA_PATH, startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index';

/** This test process's config folder for the CLI (trusted clouds, keys): never the user's own. */
export const CONFIG_DIR = mkdtempSync(path.join(os.tmpdir(), 'ice-cli-cfg-'));

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HOSTS = ['dc1.example.com', 'https://dc2.example.com/sso'];

export async function emulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ deviceCodeIntervalSec: 0.05, autoApproveDeviceCodeAfterMs: 0, ...opts });
}

export function settingsFor(emu: Emulator, extra: SettingsInput = {}): Settings {
  const r = parseSettings({ hosts: HOSTS, cloud: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.settings;
}

export async function session(emu: Emulator, purpose: Parameters<typeof openSession>[0]['purpose'], extra: Partial<Parameters<typeof openSession>[0]> = {}): Promise<Session> {
  return openSession({
    cloud: customCloud(emu.loginUrl, emu.graphUrl),
    tenant: emu.tenantDomain,
    purpose,
    method: 'device-code',
    retry: { throttleBaseMs: 200, lagBaseMs: 200 },
    ...extra,
  });
}

/** Steps that must pass after a full apply (the rest are info, or unknown without a proof/server). */
export const NOT_PASS_OK: Record<string, string[]> = {
  'auth.public-client-flows': ['info'],
  'consent.admin-grant': ['info', 'pass'],
  'proof.token': ['unknown'],
  'server.sso-meta': ['unknown'],
};

export function badSteps(steps: Array<{ id: string; status: string; found: string }>): string[] {
  return steps.filter((s) => s.status !== 'pass' && !(NOT_PASS_OK[s.id] ?? []).includes(s.status)).map((s) => `${s.id}=${s.status} (${s.found})`);
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (out/cli/ice-sso.mjs, the package's bin: what ships is what is tested) in one child
 * process, trusting the emulator's CA. `onStderr` may kill it.
 */
export function runCli(
  args: string[],
  opts: {
    onStderr?: (all: string, kill: () => void, input: (line: string) => void, signal: (sig: NodeJS.Signals) => void) => void;
    cwd?: string;
    keepStdin?: boolean;
    /** The CLI's config folder (its saved sign-in). Default: a fresh one per run, so each run signs in anew. */
    configDir?: string;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // The config folder holds this machine's trusted clouds and keys (shared by the test process) and the saved
    // sign-in (per run unless the test gives one): the shared files are copied in before and back after each run.
    const configDir = opts.configDir ?? mkdtempSync(path.join(os.tmpdir(), 'ice-cfg-'));
    const shared = process.env.ICE_SSO_CONFIG_DIR ?? CONFIG_DIR;
    syncConfig(shared, configDir);
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: CA_PATH, NO_COLOR: '1', ICE_SSO_CONFIG_DIR: configDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (!opts.keepStdin) child.stdin.end();
    const input = (line: string) => {
      child.stdin.write(`${line}\n`);
      child.stdin.end();
    };
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(stderr, () => child.kill('SIGKILL'), input, (sig) => child.kill(sig));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      syncConfig(configDir, shared);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Copies a config folder's files except the saved sign-in (token cache, account index). */
function syncConfig(from: string, to: string): void {
  if (from === to || !existsSync(from)) return;
  cpSync(from, to, { recursive: true, force: true, filter: (src) => !/(msal-token-cache|signins)\.json$/.test(src) });
}

export function cliCloudArgs(emu: Emulator): string[] {
  return ['--tenant', emu.tenantDomain, '--device-code', '--login-url', emu.loginUrl, '--graph-url', emu.graphUrl, '--cloud', 'custom'];
}

/** Anything that looks like a JWT or an emulator refresh token / device code / auth code. */
export const SECRET_RE = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*|emu-(rt|dc|ac)\.[\w-]{10,}/;
