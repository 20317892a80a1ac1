// `help [command]`: the command list (from the registry's summaries: no command module is loaded), the exit
// codes, or one command's usage and options.
import { formatOptions } from './args';
import { COMMANDS, COMMAND_NAMES, isCommandName, loadCommand } from './commands/registry';
import type { CliCommand } from './commands/types';
import { UsageError } from './errors';
import { EXIT_CODE_HELP } from './exit-codes';
import { cliCommand } from './invocation';
import type { CliIO } from './io';

export function overview(): string {
  const PREFIX = cliCommand();
  const lines = ['ICE SSO Assistant: checks, plans and fixes the Entra ID app registration Instant Connect Enterprise uses for SSO.', '', `Usage: ${PREFIX} <command> [options]`, '', 'Commands:'];
  const w = Math.max(...COMMAND_NAMES.map((n) => n.length)) + 2;
  for (const name of COMMAND_NAMES) lines.push(`  ${name.padEnd(w)}${COMMANDS[name].summary}`);
  lines.push('', `Run \`${PREFIX} help <command>\` (or <command> --help) for its options.`, '', 'Exit codes:');
  for (const [code, meaning] of EXIT_CODE_HELP) lines.push(`    ${String(code).padStart(3)}  ${meaning}`);
  lines.push('');
  return lines.join('\n');
}

export function commandHelp(name: string, c: CliCommand): string {
  const PREFIX = cliCommand();
  const summary = isCommandName(name) ? COMMANDS[name].summary : '';
  const usage = c.usage.split('\n').map((l, i) => (i === 0 ? `Usage: ${PREFIX} ${l}` : `       ${' '.repeat(PREFIX.length + 1)}${l.replace(/^\s+/, '')}`));
  return [`${name}: ${summary}`, '', ...usage, '', 'Options:', formatOptions(c.options), ...(c.details ? ['', c.details] : []), ''].join('\n');
}


/** `help` / `help <command>`. */
export async function runHelp(argv: readonly string[], io: CliIO): Promise<number> {
  const name = argv.find((a) => !a.startsWith('-'));
  if (!name) {
    io.stdout.write(overview());
    return 0;
  }
  if (!isCommandName(name)) throw new UsageError(`unknown command "${name}": the commands are ${COMMAND_NAMES.join(', ')}.`);
  if (name === 'help') {
    io.stdout.write(`help: ${COMMANDS.help.summary}\n\nUsage: ${cliCommand()} help [command]\n\nCommands: ${COMMAND_NAMES.join(', ')}.\n`);
    return 0;
  }
  io.stdout.write(commandHelp(name, await loadCommand(name)));
  return 0;
}
