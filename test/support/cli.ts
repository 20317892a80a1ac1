// The CLI for tests, two ways: in-process through main() with captured output (fast), or as the user runs it,
// one child process (node --import tsx: no tsx wrapper process, so a kill really kills the CLI) trusting the
// emulator's CA.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { main } from '../../src-main/cli/main';
import type { CliIO } from '../../src-main/cli/io';
import { EMULATOR_CA, ROOT } from './paths';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  stdin?: string;
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
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
    cwd: opts.cwd ?? ROOT,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export interface ProcessRun extends Omit<CliRun, 'code'> {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessOptions {
  /** Called with all stderr so far on every chunk: may kill the process or answer on stdin. */
  onStderr?: (all: string, kill: () => void, input: (line: string) => void) => void;
  cwd?: string;
  /** Standard input to send (then closed); with keepStdin, stdin stays open for onStderr's input(). */
  stdin?: string;
  keepStdin?: boolean;
  env?: Record<string, string>;
}

/** `node --import tsx src-main/cli/index.ts ...` as a child process. */
export function cliProcess(args: string[], opts: ProcessOptions = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src-main/cli/index.ts'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: EMULATOR_CA, NO_COLOR: '1', ...opts.env },
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
      opts.onStderr?.(stderr, () => child.kill('SIGKILL'), input);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
