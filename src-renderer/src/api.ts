// The renderer's only door to the main process: window.iceApi, exposed by the preload.
// Every failure reaches screens as one shape, { ok:false, code, message }: screens branch on `code`,
// never on the text of `message` (which is for people).
import type { Channel, EventName, FieldError, IceApi, IpcEvents, Req, Res } from '../../src-main/shared/ipc-contract';

declare global {
  interface Window {
    iceApi: IceApi;
  }
}

export function invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  return window.iceApi.invoke(channel, req);
}

export function onEvent<E extends EventName>(name: E, cb: (payload: IpcEvents[E]) => void): () => void {
  return window.iceApi.onEvent(name, cb);
}

/** A failed call as screens see it. `code` is stable (branch on it); `message` is for people. */
export interface Failure {
  ok: false;
  code: string;
  message: string;
  /** Validation messages per form field, when the main process checked a form. */
  errors?: FieldError[];
}

/** The codes the renderer branches on. */
export const CODES = {
  cancelled: 'cancelled',
  notSignedIn: 'auth.required',
  internal: 'internal',
} as const;

type Raw = { ok?: boolean; code?: unknown; message?: unknown; error?: unknown; errors?: unknown; fields?: unknown; cancelled?: unknown };

/** The Failure of a response, or null when it succeeded. */
export function failureOf(res: unknown): Failure | null {
  if (!res || typeof res !== 'object') return { ok: false, code: CODES.internal, message: 'The app did not answer. Try again; if it keeps failing, restart the app.' };
  const r = res as Raw;
  if (r.ok !== false) return null;
  const message = typeof r.message === 'string' ? r.message : typeof r.error === 'string' ? r.error : 'The request failed.';
  const code = typeof r.code === 'string' ? r.code : r.cancelled === true ? CODES.cancelled : 'failed';
  const errors = Array.isArray(r.fields) ? (r.fields as FieldError[]) : Array.isArray(r.errors) ? (r.errors as FieldError[]) : undefined;
  return { ok: false, code, message, ...(errors ? { errors } : {}) };
}

/** What a channel answers when it succeeded. */
export type Success<C extends Channel> = Exclude<Res<C>, { ok: false }>;

/** Calls a channel; a rejected promise (preload gone, bug in main) becomes a Failure too. */
export async function call<C extends Channel>(channel: C, req: Req<C>, signal?: AbortSignal): Promise<{ ok: true; value: Success<C> } | Failure> {
  let res: Res<C>;
  try {
    res = await invoke(channel, req);
  } catch {
    return { ok: false, code: CODES.internal, message: 'The app could not complete the request. Try again; if it keeps failing, restart the app.' };
  }
  if (signal?.aborted) return { ok: false, code: CODES.cancelled, message: '' };
  const f = failureOf(res);
  return f ?? { ok: true, value: res as Success<C> };
}

/** The message of a failed call, or '' when it succeeded or the user cancelled (kept for screens not yet on `call`). */
export function errorOf(res: unknown): string {
  const f = failureOf(res);
  return !f || f.code === CODES.cancelled ? '' : f.message;
}
