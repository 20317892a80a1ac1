// The renderer's only door to the main process: window.iceApi, exposed by the preload. Every call answers a
// Result: { ok: true, ...data } or { ok: false, code, message, fields? } — branch on `code`, never on `message`.
import type { Channel, Data, EventName, Failure, IceApi, IpcEvents, Req, Res } from '../../src-main/shared/ipc-contract';
import { INTERNAL_MESSAGE } from '../../src-main/shared/errors';

export type { Failure } from '../../src-main/shared/ipc-contract';

declare global {
  interface Window {
    iceApi: IceApi;
  }
}

/** What a channel answers when it succeeded: { ok: true, ...data }. */
export type Success<C extends Channel> = Extract<Res<C>, { ok: true }>;

/** Calls a channel. Never rejects: a broken bridge is reported as an internal failure like any other. */
export async function invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  try {
    return await window.iceApi.invoke(channel, req);
  } catch {
    return { ok: false, code: 'internal', message: INTERNAL_MESSAGE };
  }
}

/** A failed call as an exception (for code that prefers try/catch): carries the code and field messages. */
export class IpcError extends Error {
  override name = 'IpcError';
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
  get code() {
    return this.failure.code;
  }
}

/** Calls a channel and returns its data, or throws IpcError with the failure's code. */
export async function call<C extends Channel>(channel: C, req: Req<C>): Promise<Data<C>> {
  const r = await invoke(channel, req);
  if (!r.ok) throw new IpcError(r);
  return r as Data<C>;
}

export function onEvent<E extends EventName>(name: E, cb: (payload: IpcEvents[E]) => void): () => void {
  return window.iceApi.onEvent(name, cb);
}

/** The message of a failed call, or '' when it succeeded or was cancelled by the user. */
export function errorOf(res: Res<Channel> | { ok: boolean; code?: string; message?: string }): string {
  if (res.ok || res.code === 'cancelled') return '';
  return res.message ?? 'The request failed.';
}
