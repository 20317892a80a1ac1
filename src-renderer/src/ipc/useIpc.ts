// Loading data over IPC in a component: one request per (channel, request) pair, cancelled when the
// component unmounts or the request changes (a late answer never lands in a screen that moved on).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, Req, Res } from '../../../src-main/shared/ipc-contract';
import { invoke, type Failure, type Success } from '../api';
import { requestKey } from '../../../src-main/shared/startup-requests';
import { earlyAnswer, takeEarly } from './early';

export type IpcState<T> =
  | { status: 'loading'; value?: T; failure?: undefined }
  | { status: 'ok'; value: T; failure?: undefined }
  | { status: 'failed'; failure: Failure; value?: T };

export interface UseIpc<T> {
  state: IpcState<T>;
  /** The latest value (kept while reloading). */
  value: T | undefined;
  failure: Failure | undefined;
  loading: boolean;
  /** Asks again (e.g. after a change made elsewhere). */
  reload(): void;
  /** Replaces the value with a newer one the screen already has (e.g. the answer of a save). */
  set(value: T): void;
}

/** `req` null: nothing is asked (e.g. no site open). A new request drops the old value; reload() keeps it while asking. */
export function useIpc<C extends Channel>(channel: C, req: Req<C> | null): UseIpc<Success<C>> {
  const key = req === null ? null : requestKey(channel, req);
  const [nonce, setNonce] = useState(0);
  // An answer requested at start (./early) that is already in: the first render shows it, no "loading" first.
  const [held, setHeld] = useState<{ key: string | null; state: IpcState<Success<C>> }>(() => {
    const r = key === null ? undefined : (earlyAnswer(key) as Res<C> | undefined);
    return r ? { key, state: settled(r) } : { key: null, state: { status: 'loading' } };
  });
  const reqRef = useRef(req);
  useEffect(() => {
    reqRef.current = req;
  });
  useEffect(() => {
    if (key === null) return;
    const ac = new AbortController();
    const first = nonce === 0 ? takeEarly(key) : undefined;
    if (first?.answer && held.key === key) return; // the first render already had it
    void ((first?.promise as Promise<Res<C>> | undefined) ?? invoke(channel, reqRef.current as Req<C>)).then((r) => {
      if (ac.signal.aborted) return;
      setHeld((prev) => {
        const value = prev.key === key ? prev.state.value : undefined;
        return { key, state: settled(r, value) };
      });
    });
    return () => ac.abort();
    // `held` is read only for the first answer: the effect runs again when the request changes, not the state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel, key, nonce]);
  const reload = useCallback(() => {
    setHeld((prev) => ({ key: prev.key, state: { status: 'loading', ...(prev.state.value !== undefined ? { value: prev.state.value } : {}) } }));
    setNonce((n) => n + 1);
  }, []);
  const set = useCallback((value: Success<C>) => setHeld((prev) => ({ key: prev.key, state: { status: 'ok', value } })), []);
  const state: IpcState<Success<C>> = held.key === key ? held.state : { status: 'loading' };
  return { state, value: state.value, failure: state.failure, loading: state.status === 'loading', reload, set };
}

function settled<C extends Channel>(r: Res<C>, value?: Success<C>): IpcState<Success<C>> {
  return r.ok ? { status: 'ok', value: r as Success<C> } : { status: 'failed', failure: r, ...(value !== undefined ? { value } : {}) };
}

/** An AbortSignal that fires when the component unmounts: actions started from a click check it before touching state. */
export function useUnmountSignal(): () => AbortSignal {
  const ref = useRef<AbortController | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    ref.current = ac;
    return () => ac.abort();
  }, []);
  return useCallback(() => ref.current?.signal ?? new AbortController().signal, []);
}
