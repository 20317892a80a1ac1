// What a CLI command is. Commands live in their own modules and are listed (with their one-line summary) in registry.ts.
import type { OptionDef } from '../args';
import type { CliIO } from '../io';

export interface CliCommand {
  name: string;
  /** Usage line(s), e.g. "audit --app FILE [--service-principal FILE] ...". */
  usage: string;
  /** Options shown by `help <command>`. */
  options: OptionDef[];
  /** More help text (optional), printed after the options. */
  details?: string;
  /**
   * Runs the command; returns the exit code (0 ok, 1 checks fail, 2 bad input). Throw UsageError for bad
   * input/usage: main() prints its message to stderr and exits 2.
   */
  run(argv: string[], io: CliIO): Promise<number>;
}
