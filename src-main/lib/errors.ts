// The one base for errors that cross a boundary (IPC, CLI exit code, log): a code to branch on, a message that
// says what is wrong and what to do, and optionally per-field messages or what was expected. Errors that keep
// their own fields (SignInError, GraphRequestError, WriteError) implement `errorInfo()` instead of extending it.
// `toErrorInfo` is the one mapping from anything thrown to {code, message}: unknown errors are bugs.
import { INTERNAL_MESSAGE, type ErrorCode, type ErrorInfo, type FieldError, type FrontEndWords } from '../shared/errors';
import { noLog, type ErrorLog } from './log';

export type { ErrorCode, ErrorInfo, FieldError };

/** An error that knows its code and the message to show. */
export interface CodedError {
  errorInfo(): ErrorInfo;
}

export class AppError extends Error implements CodedError {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly fields?: FieldError[];
  readonly expected?: string;
  /** What to do, where the CLI and the app say it differently (see ErrorInfo.todo). */
  readonly todo?: FrontEndWords;
  constructor(code: ErrorCode, message: string, opts: { fields?: FieldError[]; expected?: string; todo?: FrontEndWords; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    if (opts.fields?.length) this.fields = opts.fields;
    if (opts.expected !== undefined) this.expected = opts.expected;
    if (opts.todo) this.todo = opts.todo;
  }

  /** The same error with its message prefixed (e.g. by the option that named the file); nothing else lost. */
  prefixed(prefix: string): AppError {
    return new AppError(this.code, `${prefix}${this.message}`, {
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.expected !== undefined ? { expected: this.expected } : {}),
      ...(this.todo ? { todo: this.todo } : {}),
      cause: this,
    });
  }

  errorInfo(): ErrorInfo {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.expected !== undefined ? { expected: this.expected } : {}),
      ...(this.todo ? { todo: this.todo } : {}),
    };
  }
}

export function isCodedError(e: unknown): e is Error & CodedError {
  return e instanceof Error && typeof (e as Partial<CodedError>).errorInfo === 'function';
}

/** The code and message of an expected failure, or null when `e` is unexpected (a bug). */
export function knownError(e: unknown): ErrorInfo | null {
  return isCodedError(e) ? e.errorInfo() : null;
}

/** As knownError, and an unexpected error becomes code "internal" with the generic message (the detail is logged). */
export function toErrorInfo(e: unknown, log: ErrorLog = noLog, context = 'unexpected error'): ErrorInfo {
  const known = knownError(e);
  if (known) return known;
  log.error(context, e);
  return { code: 'internal', message: log.file ? `${INTERNAL_MESSAGE} Log: ${log.file}` : INTERNAL_MESSAGE };
}
