// Loading data over IPC in a component: one request per (channel, request) pair, cancelled when the
// component unmounts or the request changes (a late answer never lands in a screen that moved on).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, Req } from '../../../src-main/shared/ipc-contract';
import { invoke, type Failure, type Success } from '../api';

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
  const key = req === null ? null : `${channel} ${JSON.stringify(req)}`;
  const [nonce, setNonce] = useState(0);
  const [held, setHeld] = useState<{ key: string | null; state: IpcState<Success<C>> }>({ key: null, state: { status: 'loading' } });
  const reqRef = useRef(req);
  useEffect(() => {
    reqRef.current = req;
  });
  useEffect(() => {
    if (key === null) return;
    const ac = new AbortController();
    void invoke(channel, reqRef.current as Req<C>).then((r) => {
      if (ac.signal.aborted) return;
      setHeld((prev) => {
        const value = prev.key === key ? prev.state.value : undefined;
        return { key, state: r.ok ? { status: 'ok', value: r as Success<C> } : { status: 'failed', failure: r, ...(value !== undefined ? { value } : {}) } };
      });
    });
    return () => ac.abort();
  }, [channel, key, nonce]);
  const reload = useCallback(() => {
    setHeld((prev) => ({ key: prev.key, state: { status: 'loading', ...(prev.state.value !== undefined ? { value: prev.state.value } : {}) } }));
    setNonce((n) => n + 1);
  }, []);
  const set = useCallback((value: Success<C>) => setHeld((prev) => ({ key: prev.key, state: { status: 'ok', value } })), []);
  const state: IpcState<Success<C>> = held.key === key ? held.state : { status: 'loading' };
  return { state, value: state.value, failure: state.failure, loading: state.status === 'loading', reload, set };
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
