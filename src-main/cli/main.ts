// The CLI's dispatcher: argv -> command -> exit code. Injected I/O so tests run it in-process.
// Every failure a command throws ends here: its code picks the exit code (exit-codes.ts), its message goes
// to stderr; an unexpected error prints a generic message (exit 70) and its detail goes to the log.
import { suggest } from './args';
import { COMMAND_NAMES, loadCommand, isCommandName } from './commands/registry';
import { commandHelp, overview, runHelp } from './help';
import { exitCodeFor } from './exit-codes';
import { cliCommand } from './invocation';
import type { CliIO } from './io';
import { cliLog } from './log';
import { sanitisedIO } from './safe-io';
import { toErrorInfo } from '../lib/errors';
import { messageFor, type ErrorCode } from '../shared/errors';

export async function main(argv: readonly string[], rawIO: CliIO): Promise<number> {
  const io = sanitisedIO(rawIO);
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.stderr.write(`error: no command given.\n\n${overview()}`);
      return 2;
    }
    if (name === '--help' || name === '-h') {
      io.stdout.write(overview());
      return 0;
    }
    if (!isCommandName(name)) {
      const s = suggest(name, COMMAND_NAMES);
      io.stderr.write(`error: unknown command "${name}"${s ? ` (did you mean ${s}?)` : ''}. The commands are ${COMMAND_NAMES.join(', ')}; run \`${cliCommand()} help\`.\n`);
      return 2;
    }
    if (name === 'help') return await runHelp(rest, io);
    const command = await loadCommand(name);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(commandHelp(name, command));
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    return reportFailure(e, io, name);
  }
}

/** Codes printed as "refused:" (the tool chose not to), not "error:". */
const REFUSALS = new Set<ErrorCode>(['bundle.refused', 'bundle.no-run', 'bundle.incomplete']);

/** Prints a failure (its message only: never exception text of a bug, never a stack) and returns its exit code. */
export function reportFailure(e: unknown, io: CliIO, command = 'cli'): number {
  const info = toErrorInfo(e, cliLog(io.env), `command ${command}`);
  const prefix = REFUSALS.has(info.code) ? 'refused' : 'error';
  io.stderr.write(`${prefix}: ${messageFor(info, 'cli')}\n`);
  return exitCodeFor(info.code);
}
