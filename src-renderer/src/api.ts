// The renderer's only door to the main process: window.iceApi, exposed by the preload.
import type { Channel, EventName, IceApi, IpcEvents, Req, Res } from '../../src-main/shared/ipc-contract';

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

/** The error text of a failed call, or '' (for results shaped as ApiResult). */
export function errorOf(res: { ok: boolean } & Partial<{ error: string; cancelled: boolean }>): string {
  if (res.ok || res.cancelled) return '';
  return res.error ?? 'The request failed.';
}
