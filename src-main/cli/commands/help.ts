// `help [command]`: the command list, or one command's usage and options.
import { formatOptions } from '../args';
import { UsageError } from '../errors';
import { COMMANDS, SUMMARIES } from './registry';
import type { CliCommand } from './types';
import { cliCommand } from '../invocation';

export async function overview(): Promise<string> {
  const PREFIX = cliCommand();
  const lines = ['ICE SSO Assistant: checks, plans and fixes the Entra ID app registration Instant Connect Enterprise uses for SSO.', '', `Usage: ${PREFIX} <command> [options]`, '', 'Commands:'];
  const rows: Array<{ name: string; summary: string }> = [];
  for (const [name, load] of Object.entries(COMMANDS)) {
    // The registry's one-liner: listing the commands loads none of them (help starts fast).
    const known = SUMMARIES[name];
    if (known !== undefined) {
      rows.push({ name, summary: known });
      continue;
    }
    try {
      const c = await load();
      rows.push({ name, summary: c.summary });
    } catch (e) {
      rows.push({ name, summary: `(unavailable in this build: ${(e as Error).message.split('\n')[0]})` });
    }
  }
  const w = Math.max(...rows.map((c) => c.name.length)) + 2;
  for (const c of rows) lines.push(`  ${c.name.padEnd(w)}${c.summary}`);
  lines.push('', `Run \`${PREFIX} help <command>\` (or <command> --help) for its options.`, 'Exit codes: 0 ok, 1 a check failed, 2 bad input or usage.', '');
  return lines.join('\n');
}

export function commandHelp(c: CliCommand): string {
  const PREFIX = cliCommand();
  const usage = c.usage.split('\n').map((l, i) => (i === 0 ? `Usage: ${PREFIX} ${l}` : `       ${' '.repeat(PREFIX.length + 1)}${l.replace(/^\s+/, '')}`));
  return [`${c.name}: ${c.summary}`, '', ...usage, '', 'Options:', formatOptions(c.options), ...(c.details ? ['', c.details] : []), ''].join('\n');
}

export const command: CliCommand = {
  name: 'help',
  summary: 'show the commands, or one command\'s options',
  usage: 'help [command]',
  options: [],
  async run(argv, io) {
    const name = argv.find((a) => !a.startsWith('-'));
    if (!name) {
      io.stdout.write(await overview());
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`unknown command "${name}": the commands are ${Object.keys(COMMANDS).join(', ')}.`);
    io.stdout.write(commandHelp(await load()));
    return 0;
  },
};
