// Requests the first screen needs, taken before React renders: the preload sent them when the page started
// (src-main/shared/startup-requests.ts), so their answers are usually in by the first render, which then shows the
// data at once instead of "loading" and a second render. Imported first by main.tsx (./startup).
// useIpc takes an early answer once, for the first component that asks the same (channel, request); later mounts
// ask again, so nothing stale is ever shown.
import type { Channel, Req } from '../../../src-main/shared/ipc-contract';
import { invoke } from '../api';
import { STARTUP_REQUESTS, requestKey } from '../../../src-main/shared/startup-requests';

/** Stored without its channel's type: useIpc gets it back by the same key, hence the same channel. */
interface Early {
  promise: Promise<unknown>;
  /** Set once the answer is in: a component mounting after that starts with it (no "loading" render). */
  answer?: unknown;
}

const early = new Map<string, Early>();

/** Sends a request now; its answer waits for the first useIpc with the same channel and request. */
function requestEarly<C extends Channel>(channel: C, req: Req<C>): void {
  const entry: Early = { promise: invoke(channel, req) };
  void entry.promise.then((r) => (entry.answer = r));
  early.set(requestKey(channel, req), entry);
}

/** The early answer for this key if it is already in (does not take it). */
export function earlyAnswer(key: string): unknown {
  return early.get(key)?.answer;
}

/** Takes the early request for this key (answered or not), so that only one component uses it. */
export function takeEarly(key: string): Early | undefined {
  const e = early.get(key);
  early.delete(key);
  return e;
}

/** What the Sites screen and the shell ask at start (the preload sent them already: these take its answers). */
export function requestStartup(): void {
  for (const [channel, req] of STARTUP_REQUESTS) requestEarly(channel, req);
}
