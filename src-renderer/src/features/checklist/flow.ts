// The checklist run as ONE state machine: what the Checklist screen shows is a function of this state,
// and every transition is an action below (no scattered useStates, no reset sequences).
//
//   idle ──plan──▶ planning ──planned──▶ confirming ──run(apply)──▶ running ──ran──▶ idle
//     │                 └─planFailed─▶ failed ◀──runFailed──┘   ▲
//     ├──run(verify)────────────────────────────────────────────┘
//     └──checkServer──▶ checkingServer ──serverChecked──▶ idle  (serverFailed ▶ failed)
//
// Pure: no IPC, no React. The provider (ChecklistFlow.tsx) performs the calls and dispatches.
import type {
  ErrorCode,
  ApplyPreviewView,
  ChecklistView,
  DeviceCodeEvent,
  ProgressEvent,
  RunRecord,
  SsoMetaHostReport,
} from '../../../../src-main/shared/ipc-contract';

export type RunKind = 'verify' | 'apply';
export type FlowOp = 'load' | 'plan' | RunKind | 'server';

export interface FlowFailure {
  code: ErrorCode;
  message: string;
  /** A user who may not consent: the link for the tenant's administrator. */
  adminConsentUrl?: string;
}

export type Phase =
  | { kind: 'idle' }
  | { kind: 'planning'; planId: string }
  | { kind: 'confirming'; preview: ApplyPreviewView }
  | { kind: 'running'; run: RunKind; runId: string; deviceCode: DeviceCodeEvent | null }
  | { kind: 'checkingServer' }
  | { kind: 'failed'; op: FlowOp; failure: FlowFailure };

export interface LastRun {
  kind: RunRecord['kind'];
  at: string;
  by: string;
  /** One check recorded as an 'audit' run: "Prove sign-in" or "Check ICE Server". */
  check?: RunRecord['check'];
}

export interface ChecklistState {
  siteId: string | null;
  phase: Phase;
  /** The checklist as last recorded for the site (null until loaded). */
  view: ChecklistView | null;
  lastRun: LastRun | null;
  /** Progress of the running apply, kept after it ends (what was written). */
  progress: ProgressEvent[];
  /** The ICE Server hosts of the last server check in this visit. */
  serverHosts: SsoMetaHostReport[] | null;
  /** Counts finished runs and loads: views reset what is open or closed when it changes. */
  seq: number;
}

export type FlowAction =
  | { type: 'site'; siteId: string | null }
  | { type: 'loaded'; siteId: string; view: ChecklistView; lastRun: LastRun | null }
  | { type: 'loadFailed'; siteId: string; failure: FlowFailure }
  | { type: 'plan'; planId: string }
  | { type: 'planned'; planId: string; preview: ApplyPreviewView }
  | { type: 'planFailed'; planId: string; failure: FlowFailure }
  | { type: 'dismiss' }
  | { type: 'run'; run: RunKind; runId: string }
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'deviceCode'; runId: string; code: DeviceCodeEvent }
  | { type: 'ran'; runId: string; view: ChecklistView; run: LastRun }
  | { type: 'runFailed'; runId: string; failure: FlowFailure }
  | { type: 'checkServer' }
  | { type: 'serverChecked'; hosts: SsoMetaHostReport[]; view: ChecklistView; run: LastRun }
  | { type: 'serverFailed'; failure: FlowFailure };

export const CANCELLED = 'cancelled';

export function initialChecklistState(siteId: string | null = null): ChecklistState {
  return { siteId, phase: { kind: 'idle' }, view: null, lastRun: null, progress: [], serverHosts: null, seq: 0 };
}

/** Whether nothing is in flight (buttons that start something are enabled). */
export function isSettled(s: ChecklistState): boolean {
  return s.phase.kind === 'idle' || s.phase.kind === 'failed';
}

/** A cancelled operation is not a failure: back to idle. */
function failed(s: ChecklistState, op: FlowOp, failure: FlowFailure): ChecklistState {
  return { ...s, phase: failure.code === CANCELLED ? { kind: 'idle' } : { kind: 'failed', op, failure } };
}

export function checklistReducer(s: ChecklistState, a: FlowAction): ChecklistState {
  switch (a.type) {
    case 'site':
      return a.siteId === s.siteId ? s : initialChecklistState(a.siteId);
    case 'loaded':
      if (a.siteId !== s.siteId) return s;
      return { ...s, view: a.view, lastRun: a.lastRun, seq: s.seq + 1, ...(s.phase.kind === 'failed' && s.phase.op === 'load' ? { phase: { kind: 'idle' } } : {}) };
    case 'loadFailed':
      return a.siteId === s.siteId && isSettled(s) ? failed(s, 'load', a.failure) : s;
    case 'plan':
      return isSettled(s) ? { ...s, phase: { kind: 'planning', planId: a.planId } } : s;
    case 'planned':
      return s.phase.kind === 'planning' && s.phase.planId === a.planId ? { ...s, phase: { kind: 'confirming', preview: a.preview } } : s;
    case 'planFailed':
      return s.phase.kind === 'planning' && s.phase.planId === a.planId ? failed(s, 'plan', a.failure) : s;
    case 'dismiss':
      return s.phase.kind === 'confirming' || s.phase.kind === 'planning' || s.phase.kind === 'failed' ? { ...s, phase: { kind: 'idle' } } : s;
    case 'run':
      if (a.run === 'apply' ? s.phase.kind !== 'confirming' : !isSettled(s)) return s;
      return { ...s, phase: { kind: 'running', run: a.run, runId: a.runId, deviceCode: null }, progress: [] };
    case 'progress':
      return s.phase.kind === 'running' && s.phase.runId === a.event.runId ? { ...s, progress: [...s.progress, a.event] } : s;
    case 'deviceCode':
      return s.phase.kind === 'running' && s.phase.runId === a.runId ? { ...s, phase: { ...s.phase, deviceCode: a.code } } : s;
    case 'ran':
      if (s.phase.kind !== 'running' || s.phase.runId !== a.runId) return s;
      return { ...s, phase: { kind: 'idle' }, view: a.view, lastRun: a.run, seq: s.seq + 1 };
    case 'runFailed':
      if (s.phase.kind !== 'running' || s.phase.runId !== a.runId) return s;
      return failed(s, s.phase.run, a.failure);
    case 'checkServer':
      return isSettled(s) ? { ...s, phase: { kind: 'checkingServer' } } : s;
    case 'serverChecked':
      if (s.phase.kind !== 'checkingServer') return s;
      return { ...s, phase: { kind: 'idle' }, serverHosts: a.hosts, view: a.view, lastRun: { ...a.run, check: 'server' }, seq: s.seq + 1 };
    case 'serverFailed':
      return s.phase.kind === 'checkingServer' ? failed(s, 'server', a.failure) : s;
  }
}

export function lastRunOf(run: RunRecord | undefined | null): LastRun | null {
  return run ? { kind: run.kind, at: run.at, by: run.by, ...(run.check ? { check: run.check } : {}) } : null;
}
