// The CLI's dispatcher: argv -> command -> exit code. Injected I/O so tests run it in-process.
import { suggest } from './args';
import { commandHelp, overview } from './commands/help';
import { COMMANDS } from './commands/registry';
import { isUsageError } from './errors';
import type { CliIO } from './io';
import { cliCommand } from './invocation';

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
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
    if (isUsageError(e)) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 3;
  }
}
