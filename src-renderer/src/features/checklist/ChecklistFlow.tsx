// The checklist flow, held by the App (not by the screen): a run keeps going, and keeps its progress and
// device code, while the user looks at another screen. The reducer is in flow.ts; this file performs the
// IPC calls and routes the run's events to it.
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import type { StepId } from '../../../../src-main/shared/catalog';
import { invoke } from '../../api';
import { useEvents } from '../../ipc/events';
import { useVisit } from '../../app/visit';
import { checklistReducer, initialChecklistState, lastRunOf, type ChecklistState, type RunKind } from './flow';

export interface ChecklistFlow {
  state: ChecklistState;
  /** Reads the site's recorded checklist again (after Setup saved, say). */
  reload(): void;
  verify(): void;
  /** "Apply fixes": read and plan (nothing written), then ask. */
  plan(): void;
  /** Confirmed in the dialog: write. */
  apply(): void;
  /** Closes the apply dialog or the failure. */
  dismiss(): void;
  /** Stops a running apply (before its next write). */
  cancelRun(): void;
  /** Stops the sign-in a run is waiting for. */
  cancelSignIn(): void;
  checkServer(): void;
  /** A step the Checklist screen should open and scroll to (the journey's Prove goes to proof.token). */
  focus: { id: StepId; n: number } | null;
  focusStep(id: StepId): void;
  /** The journey's "Prove sign-in": asks the Checklist's Prove button to start (it may not be on screen yet). */
  proofAsked: boolean;
  askProof(): void;
  /** The Prove button took the request (started, or cannot start): it is not started again. */
  takeProofRequest(): void;
}

const newId = (kind: string) => `${kind}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

const FlowContext = createContext<ChecklistFlow | null>(null);

export function useChecklistFlow(): ChecklistFlow {
  const f = useContext(FlowContext);
  if (!f) throw new Error('useChecklistFlow outside <ChecklistFlowProvider>');
  return f;
}

export function ChecklistFlowProvider({ siteId, children }: { siteId: string | null; children: ReactNode }) {
  const events = useEvents();
  const refreshVisit = useVisit().refresh;
  const [state, dispatch] = useReducer(checklistReducer, siteId, initialChecklistState);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  });
  const [loadNonce, bumpLoad] = useReducer((n: number) => n + 1, 0);
  const [focus, setFocus] = useState<{ id: StepId; n: number } | null>(null);
  // A request to prove is for the site it was made on: another site open does not start it.
  const [proofFor, setProofFor] = useState<string | null>(null);
  const proofAsked = !!siteId && proofFor === siteId;

  useEffect(() => {
    dispatch({ type: 'site', siteId });
    if (!siteId) return;
    const ac = new AbortController();
    void invoke('sites.open', { id: siteId }).then((r) => {
      if (ac.signal.aborted) return;
      if (!r.ok) dispatch({ type: 'loadFailed', siteId, failure: r });
      else dispatch({ type: 'loaded', siteId, view: r.checklist, lastRun: lastRunOf(r.site.lastRun) });
    });
    return () => ac.abort();
  }, [siteId, loadNonce]);

  const run = useCallback(
    async (kind: RunKind) => {
      const id = stateRef.current.siteId;
      if (!id) return;
      const runId = newId(kind);
      dispatch({ type: 'run', run: kind, runId });
      const release = events.own(runId, {
        onProgress: (event) => dispatch({ type: 'progress', event }),
        onDeviceCode: (code) => dispatch({ type: 'deviceCode', runId, code }),
      });
      try {
        const r = kind === 'verify' ? await invoke('live.verify', { siteId: id }) : await invoke('live.apply', { siteId: id, runId });
        if (stateRef.current.siteId !== id) return;
        if (!r.ok) dispatch({ type: 'runFailed', runId, failure: r });
        else dispatch({ type: 'ran', runId, view: r.checklist, run: lastRunOf(r.run) ?? { kind, at: new Date().toISOString(), by: '' } });
      } finally {
        release();
        // A run may have signed in (again): the journey's Sign in stage asks main who is signed in now.
        refreshVisit();
      }
    },
    [events, refreshVisit],
  );

  const flow = useMemo<ChecklistFlow>(
    () => ({
      state,
      focus,
      focusStep: (id) => setFocus((f) => ({ id, n: (f?.n ?? 0) + 1 })),
      proofAsked,
      askProof: () => setProofFor(stateRef.current.siteId),
      takeProofRequest: () => setProofFor(null),
      reload: bumpLoad,
      verify: () => void run('verify'),
      plan() {
        const id = stateRef.current.siteId;
        if (!id || stateRef.current.phase.kind === 'planning') return;
        const planId = newId('plan');
        dispatch({ type: 'plan', planId });
        void invoke('live.preview', { siteId: id }).then((r) => {
          if (stateRef.current.siteId !== id) return;
          if (!r.ok) dispatch({ type: 'planFailed', planId, failure: r });
          else dispatch({ type: 'planned', planId, preview: r.preview });
        });
      },
      apply: () => void run('apply'),
      dismiss: () => dispatch({ type: 'dismiss' }),
      cancelRun() {
        const p = stateRef.current.phase;
        if (p.kind === 'running') void invoke('live.cancel', { runId: p.runId });
      },
      cancelSignIn: () => void invoke('auth.cancel', {}),
      checkServer() {
        const id = stateRef.current.siteId;
        if (!id) return;
        dispatch({ type: 'checkServer' });
        void invoke('server.checkSsoMeta', { siteId: id }).then((r) => {
          if (stateRef.current.siteId !== id) return;
          if (!r.ok) dispatch({ type: 'serverFailed', failure: r });
          else dispatch({ type: 'serverChecked', hosts: r.hosts, view: r.checklist, run: lastRunOf(r.run) ?? { kind: 'verify', at: new Date().toISOString(), by: '' } });
        });
      },
    }),
    [state, run, focus, proofAsked],
  );
  return <FlowContext.Provider value={flow}>{children}</FlowContext.Provider>;
}
