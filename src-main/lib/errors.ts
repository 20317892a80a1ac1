// The one base for errors that cross a boundary (IPC, CLI exit code, log): a code to branch on, a message that
// says what is wrong and what to do, and optionally per-field messages or what was expected.
import type { ErrorCode, ErrorInfo, FieldError } from '../shared/errors';

export type { ErrorCode, ErrorInfo, FieldError };

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly fields?: FieldError[];
  readonly expected?: string;
  constructor(code: ErrorCode, message: string, opts: { fields?: FieldError[]; expected?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    if (opts.fields?.length) this.fields = opts.fields;
    if (opts.expected !== undefined) this.expected = opts.expected;
  }

  info(): ErrorInfo {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}), ...(this.expected !== undefined ? { expected: this.expected } : {}) };
  }
}
