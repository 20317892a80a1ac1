// The CLI for tests, two ways: in-process from the sources through main() with captured output (fast), or as
// the user runs it: the built command (out/cli/ice-sso.mjs, the package's bin: what ships is what is tested) in
// one child process, trusting the emulator's CA, with this test process's own config folder.
import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { CLI_ENTRY } from '../../scripts/build-cli.mjs';
import { main } from '../../src-main/cli/main';
import type { CliIO } from '../../src-main/cli/io';
import { EMULATOR_CA, ROOT } from './paths';
import { tmpDirSync } from './tmp';

/** This test process's config folder for the CLI (trusted clouds, keys, log): never the user's own. */
export const CONFIG_DIR = tmpDirSync('cli-cfg');
/** The passphrase the tests protect signing keys with. */
export const TEST_PASSPHRASE = 'a long test passphrase';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  stdin?: string;
  /** stdout and stderr are a terminal. */
  tty?: boolean;
  env?: Record<string, string | undefined>;
  /** Working folder file arguments resolve against (default: the repository root). */
  cwd?: string;
}

export async function cli(argv: string[], opts: InProcessOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), ...(opts.tty ? { isTTY: true } : {}) },
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
    cwd: opts.cwd ?? ROOT,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** In-process in `cwd`, with its own config folder `cfg` (signing key, trusted clouds) and the test passphrase. */
export async function cliIn(cwd: string, cfg: string, argv: string[], opts: { stdin?: string; tty?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const r = await cli(argv, { ...opts, cwd, env: { ICE_SSO_CONFIG_DIR: cfg, ICE_SSO_KEY_PASSPHRASE: TEST_PASSPHRASE } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

export interface ProcessRun extends Omit<CliRun, 'code'> {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessOptions {
  /** Called with all stderr so far on every chunk: may kill the process, send it a signal, or answer on stdin. */
  onStderr?: (all: string, kill: () => void, input: (line: string) => void, signal: (sig: NodeJS.Signals) => void) => void;
  /** The CLI's config folder (its saved sign-in). Default: a fresh one per run, so each run signs in anew. */
  configDir?: string;
  cwd?: string;
  /** Standard input to send (then closed); with keepStdin, stdin stays open for onStderr's input(). */
  stdin?: string;
  keepStdin?: boolean;
  env?: Record<string, string>;
  /** Another build of the command (default: out/cli/ice-sso.mjs). */
  entry?: string;
}

/** Copies a config folder's files except the saved sign-in (token cache, account index). */
function syncConfig(from: string, to: string): void {
  if (from === to || !existsSync(from)) return;
  cpSync(from, to, { recursive: true, force: true, filter: (src) => !/(msal-token-cache|signins)\.json$/.test(src) });
}

/**
 * The built command as a child process (vitest's global setup builds it when stale). Its config folder holds this
 * machine's trusted clouds and keys (shared by the test process: copied in before and back after each run) and the
 * saved sign-in (per run unless `configDir` is given).
 */
export function cliProcess(args: string[], opts: ProcessOptions = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const configDir = opts.configDir ?? tmpDirSync('cfg');
    const shared = process.env.ICE_SSO_CONFIG_DIR ?? CONFIG_DIR;
    syncConfig(shared, configDir);
    const child = spawn(process.execPath, [opts.entry ?? CLI_ENTRY, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: EMULATOR_CA, NO_COLOR: '1', ICE_SSO_CONFIG_DIR: configDir, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (!opts.keepStdin) child.stdin.end(opts.stdin ?? '');
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

/** cliProcess that keeps every run, so a test can check all that reached the screen at the end (no token, …). */
export function recordingCli(): { cli: (args: string[], opts?: ProcessOptions) => Promise<ProcessRun>; outputs: ProcessRun[] } {
  const outputs: ProcessRun[] = [];
  return {
    outputs,
    cli: async (args, opts) => {
      const r = await cliProcess(args, opts);
      outputs.push(r);
      return r;
    },
  };
}
