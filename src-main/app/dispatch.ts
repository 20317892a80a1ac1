// One entry point for every IPC call (main's ipcMain handler and the e2e harness use it alike):
// known channel, request checked against the contract's schema, the handler's data wrapped as {ok:true, ...data},
// failures as {ok:false, code, message, fields?}; anything unexpected is code "internal" with a generic message
// (the detail goes to the local log), and no answer carrying a secret ever leaves.
import type * as z from 'zod/mini';
import { toErrorInfo } from '../lib/errors';
import { noLog, type ErrorLog } from '../lib/log';
import { CONTRACT, isChannel, type Channel, type Contract, type Data, type Failure, type Result } from '../shared/ipc-contract';
import { INTERNAL_MESSAGE, messageFor } from '../shared/errors';

/** A handler gets the validated request and returns the response data, or throws (AppError for expected failures). */
export type Handlers = { [C in Channel]: (req: z.output<Contract[C]['req']>) => Promise<Data<C>> };

/** Property names whose string values must never appear in anything sent to the renderer. */
const SECRET_KEYS = /^(access_?token|refresh_?token|id_?token|accessToken|refreshToken|idToken|privateKey|private_key|secret|client_?secret|password|passphrase|d)$/i;

/** Paths of secret-looking properties in a value (JWK private part `d`, tokens...). */
export function secretPaths(value: unknown, at = '$', out: string[] = [], depth = 0): string[] {
  if (depth > 40 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => secretPaths(v, `${at}[${i}]`, out, depth + 1));
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // Only string values: Graph's optionalClaims.accessToken (a list of claims) is configuration, not a token.
    if (SECRET_KEYS.test(k) && typeof v === 'string' && v !== '') out.push(`${at}.${k}`);
    secretPaths(v, `${at}.${k}`, out, depth + 1);
  }
  return out;
}

/** A JWT-looking string (three base64url parts, the first a JSON header) anywhere in the value. */
export function containsJwt(value: unknown): boolean {
  const text = JSON.stringify(value) ?? '';
  return /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(text);
}

/** Where a zod issue points and what is wrong, in words. */
function issueText(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join('.') || '(request)';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${at} has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'too_big':
      return `${at} is too long (at most ${String(issue.maximum)})`;
    case 'invalid_type':
      return `${at} should be ${issue.expected}`;
    case 'invalid_value':
      return `${at} should be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${at} is not valid`;
  }
}

function failure(info: Omit<Failure, 'ok'>): Failure {
  return { ok: false, ...info };
}

export async function dispatch(handlers: Handlers, channel: unknown, req: unknown, log: ErrorLog = noLog): Promise<Result<object>> {
  if (!isChannel(channel)) {
    return failure({ code: 'request.unknown', message: `Unknown request "${String(channel).slice(0, 80)}".` });
  }
  const parsed = CONTRACT[channel].req.safeParse(req ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return failure({ code: 'request.malformed', message: `Malformed request for ${channel}: ${first ? issueText(first) : 'invalid'}.` });
  }
  let data: object;
  try {
    data = await (handlers[channel] as (r: unknown) => Promise<object>)(parsed.data);
  } catch (e) {
    // The app's advice joins the message; the CLI's never reaches the page.
    const info = toErrorInfo(e, log, `IPC ${channel}`);
    const { todo: _todo, ...rest } = info;
    return failure({ ...rest, message: messageFor(info, 'app') });
  }
  const leaks = secretPaths(data);
  if (leaks.length || containsJwt(data)) {
    // A bug: the detail (where, never the value) goes to the log; the renderer gets the generic message.
    log.error(`IPC ${channel}`, new Error(`the answer held a secret (${leaks.length ? leaks.slice(0, 3).join(', ') : 'a token-like string'}) and was withheld`));
    return failure({ code: 'internal', message: log.file ? `${INTERNAL_MESSAGE} Log: ${log.file}` : INTERNAL_MESSAGE });
  }
  return { ...data, ok: true };
}
