// How commands reach the outside world. main() gets a CliIO, so tests run commands in-process.
import { resolve } from 'node:path';
import { readFailureReason } from '../lib/atomic-file';
import { AppError } from '../lib/errors';
import { UsageError } from './errors';
import { checkSize, isInputLimitError, readFileWithinLimit } from '../lib/input-limits';

export interface CliWriter {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: CliWriter;
  stderr: CliWriter;
  /** Reads all of standard input (for `-` as a file name). */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks a yes/no question at the terminal (tests inject it); absent: stdin/stderr when they are a terminal. */
  ask?: (question: string) => Promise<boolean | null>;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour only when writing to a terminal and NO_COLOR is unset or empty (https://no-color.org). */
export function useColour(io: CliIO): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR;
}

/** A path the user gave, resolved against the command's working folder (absolute paths stay as they are). */
export function resolvePath(io: CliIO, p: string): string {
  return resolve(io.cwd, p);
}

/** Reads a file (or stdin for '-') as text. `option` names the option for messages, e.g. --app. */
export async function readTextInput(name: string, option: string, io: CliIO): Promise<{ text: string; label: string }> {
  try {
    if (name === '-') {
      const text = await io.readStdin();
      checkSize(Buffer.byteLength(text, 'utf8'), 'standard input');
      return { text, label: 'standard input' };
    }
    return { text: (await readFileWithinLimit(resolvePath(io, name), name)).toString('utf8'), label: name };
  } catch (e) {
    if (isInputLimitError(e)) throw new AppError(e.code, `${option} ${e.message}.`);
    throw new UsageError(`${option} ${name}: cannot read the file (${readFailureReason(e, 'it is a directory')}). Give the path of a JSON file, or - for standard input.`);
  }
}
