// The requests the first screen (Sites) needs, sent by the preload as soon as the window's document starts, before
// the renderer's JavaScript has even loaded: main reads the saved sites while the renderer downloads and evaluates
// React and Fluent, and the answers are in when the first render asks. Each held answer serves the first identical
// request once, within HOLD_MS; anything else (a later request, a second one) goes to main as usual. Only a successful
// answer is served: a failure or a refusal (Electron may not yet know the new page's frame while its preload runs, and
// main's sender check then refuses) is dropped and the request asked again, so the worst case is the start-up as it
// was without the early requests.
import type { Channel } from './ipc-contract';

export const STARTUP_REQUESTS: ReadonlyArray<readonly [Channel, Record<string, never>]> = [
  ['app.info', {}],
  ['auth.status', {}],
  ['sites.list', {}],
];

/** A held answer older than this is not used (asked again instead): start-up takes well under a second. */
export const HOLD_MS = 10_000;

export function requestKey(channel: string, req: unknown): string {
  return `${channel} ${JSON.stringify(req)}`;
}

type Invoke = (channel: string, req: unknown) => Promise<unknown>;

/** Sends STARTUP_REQUESTS through `invoke` now, and returns an invoke that answers each of them once from what it holds. */
export function holdStartupRequests(invoke: Invoke, now: () => number = Date.now): Invoke {
  const held = new Map<string, { answer: Promise<unknown>; at: number }>();
  for (const [channel, req] of STARTUP_REQUESTS) {
    const answer = invoke(channel, req);
    answer.catch(() => undefined); // a failure is the first asker's to see, never an unhandled rejection
    held.set(requestKey(channel, req), { answer, at: now() });
  }
  return (channel, req) => {
    const key = requestKey(channel, req);
    const h = held.get(key);
    if (h) {
      held.delete(key);
      const again = () => invoke(channel, req);
      if (now() - h.at <= HOLD_MS) return h.answer.then((r) => (succeeded(r) ? r : again()), again);
    }
    return invoke(channel, req);
  };
}

function succeeded(r: unknown): boolean {
  return typeof r === 'object' && r !== null && (r as { ok?: unknown }).ok === true;
}
