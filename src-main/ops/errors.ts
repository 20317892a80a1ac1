// Any thrown value -> ErrorInfo {code, message, fields?, expected?}: the one mapping both front ends use
// (the IPC dispatcher sends it, the CLI turns its code into an exit code). Anything not recognised is a bug:
// code "internal" with a generic message, and the detail (exception text, stack) goes to the local log only.
import { SignInError } from '../auth/errors';
import { GraphRequestError } from '../graph/errors';
import { AppError } from '../lib/errors';
import { WriteError } from '../lib/atomic-file';
import { noLog, type ErrorLog } from '../lib/log';
import { INTERNAL_MESSAGE, type ErrorInfo } from '../shared/errors';

/** The code and message of an expected failure, or null when `e` is unexpected (a bug). */
export function knownError(e: unknown): ErrorInfo | null {
  if (e instanceof AppError) return e.info();
  if (e instanceof SignInError) return { code: e.code === 'cancelled' ? 'cancelled' : `signin.${e.code}`, message: e.message };
  if (e instanceof GraphRequestError) return { code: e.kind === 'cancelled' ? 'cancelled' : `graph.${e.kind}`, message: e.message };
  if (e instanceof WriteError) return { code: e.code === 'EEXIST' ? 'write.exists' : 'write.failed', message: e.message };
  return null;
}

/** As knownError, and an unexpected error becomes code "internal" with the generic message (detail logged). */
export function toErrorInfo(e: unknown, log: ErrorLog = noLog, context = 'unexpected error'): ErrorInfo {
  const known = knownError(e);
  if (known) return known;
  log.error(context, e);
  return { code: 'internal', message: log.file ? `${INTERNAL_MESSAGE} Log: ${log.file}` : INTERNAL_MESSAGE };
}
