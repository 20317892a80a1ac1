// The CLI's dispatcher: argv -> command -> exit code. Injected I/O so tests run it in-process.
import { suggest } from './args';
import { commandHelp, overview } from './commands/help';
import { COMMANDS } from './commands/registry';
import { isUsageError } from './errors';
import type { CliIO } from './io';
import { sanitisedIO } from './safe-io';
import { isInputLimitError } from '../lib/input-limits';
import { cliCommand } from './invocation';

export async function main(argv: readonly string[], rawIO: CliIO): Promise<number> {
  const io = sanitisedIO(rawIO);
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.stderr.write(`error: no command given.\n\n${await overview()}`);
      return 2;
    }
    if (name === '--help' || name === '-h') {
      io.stdout.write(await overview());
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) {
      const s = suggest(name, Object.keys(COMMANDS));
      io.stderr.write(`error: unknown command "${name}"${s ? ` (did you mean ${s}?)` : ''}. The commands are ${Object.keys(COMMANDS).join(', ')}; run \`${cliCommand()} help\`.\n`);
      return 2;
    }
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (isUsageError(e) || isInputLimitError(e)) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    // No stack trace reaches a user: one line saying what failed.
    io.stderr.write(`error: an internal error stopped the command (${e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e)}). Please report it with the command line you ran.\n`);
    return 3;
  }
}
