// The local diagnostics log: where the detail of an internal error goes (exception text and stack), so the user
// sees a generic message and support still gets the detail. Appends, never throws, never holds secrets the
// caller did not pass (callers pass errors, not tokens).
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface ErrorLog {
  /** Where the log is written (for messages), or undefined when nothing is kept. */
  readonly file?: string;
  error(context: string, err: unknown): void;
}

export const noLog: ErrorLog = { error: () => undefined };

/** The detail of any thrown value: name, message, stack and causes (for the log only). */
export function errorDetail(err: unknown, depth = 0): string {
  if (!(err instanceof Error)) return String(err);
  const own = err.stack ?? `${err.name}: ${err.message}`;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && depth < 4 ? `${own}\nCaused by: ${errorDetail(cause, depth + 1)}` : own;
}

/** A log appending to `file` (the folder is made on first use). */
export function fileLog(file: string): ErrorLog {
  return {
    file,
    error(context, err) {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        appendFileSync(file, `${new Date().toISOString()} ERROR ${context}\n${errorDetail(err).replace(/^/gm, '  ')}\n`, { mode: 0o600 });
      } catch {
        // the log is best effort: a full disk must not turn a handled error into a crash
      }
    },
  };
}
