// A small, strict argument parser: --name value, --name=value, repeatable options, flags, `--`.
// Unknown options and missing values are UsageErrors (exit 2) that say what to do.
import { UsageError } from './errors';
import { cliCommand } from './invocation';

export interface OptionDef {
  /** Long name without dashes, e.g. 'host'. */
  name: string;
  /** 'string': one value; 'list': repeatable, values collected in order; 'flag': no value. */
  kind: 'string' | 'list' | 'flag';
  /** Placeholder shown in help, e.g. FILE, H. */
  valueName?: string;
  /** One line for the help text. */
  description: string;
  /** Extra names (long, without dashes) or a single-letter short alias (e.g. 'h'). */
  aliases?: string[];
}

export interface ParsedArgs {
  options: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest known name, when close enough to be a typo. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(name.toLowerCase(), k.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function parseArgs(argv: readonly string[], defs: readonly OptionDef[], command: string): ParsedArgs {
  const byName = new Map<string, OptionDef>();
  for (const d of defs) {
    byName.set(d.name, d);
    for (const a of d.aliases ?? []) byName.set(a, d);
  }
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  const helpHint = `Run \`${cliCommand()} help ${command}\` for the options.`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = long ? arg.slice(2) : arg.slice(1);
    const eq = long ? body.indexOf('=') : -1;
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const def = byName.get(name);
    if (!def || (!long && name.length !== 1) || (long && name.length === 1)) {
      const s = suggest(name, defs.map((d) => d.name)) ?? suggest(name, [...byName.keys()].filter((k) => k.length > 1));
      throw new UsageError(`unknown option ${arg.split('=')[0]} for \`${command}\`${s ? ` (did you mean --${s}?)` : ''}. ${helpHint}`);
    }
    if (def.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${def.name} takes no value (got ${arg}). ${helpHint}`);
      options[def.name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${def.name} needs a value (${def.valueName ?? 'VALUE'}): ${def.description}. ${helpHint}`);
      }
      value = next;
      i++;
    }
    if (def.kind === 'list') {
      const prev = options[def.name];
      options[def.name] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      if (options[def.name] !== undefined) throw new UsageError(`--${def.name} is given twice; give it once. ${helpHint}`);
      options[def.name] = value;
    }
  }
  return { options, positionals };
}

/** Refuse positional arguments; `option` (e.g. '--app') suggests where the first one probably belongs. */
export function noPositionals(p: ParsedArgs, command: string, option?: string): void {
  if (!p.positionals.length) return;
  const got = p.positionals.map((x) => JSON.stringify(x)).join(' ');
  throw new UsageError(`${command} takes no positional arguments (got ${got})${option ? `; did you mean ${option} ${p.positionals[0]}?` : '.'}`);
}

export function str(p: ParsedArgs, name: string): string | undefined {
  const v = p.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(p: ParsedArgs, name: string): string[] {
  const v = p.options[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flag(p: ParsedArgs, name: string): boolean {
  return p.options[name] === true;
}

/** Help text lines for a list of options. */
export function formatOptions(defs: readonly OptionDef[]): string {
  const rows = defs.map((d) => {
    const left = `  --${d.name}${d.kind === 'flag' ? '' : ` ${d.valueName ?? 'VALUE'}`}${d.kind === 'list' ? ' (repeatable)' : ''}`;
    return { left, right: d.description };
  });
  const w = Math.min(40, Math.max(...rows.map((r) => r.left.length)) + 2);
  return rows.map((r) => (r.left.length >= w ? `${r.left}\n${' '.repeat(w)}${r.right}` : `${r.left.padEnd(w)}${r.right}`)).join('\n');
}
