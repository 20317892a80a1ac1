// The renderer's checklist flow (one reducer) and the event router, as plain data: no browser needed.
import { describe, expect, it } from 'vitest';
import { checklistReducer, initialChecklistState, isSettled, type ChecklistState, type FlowAction } from '../../src-renderer/src/features/checklist/flow';
import { EventRouter } from '../../src-renderer/src/ipc/events';
import type { ApplyPreviewView, ChecklistView, DeviceCodeEvent, ProgressEvent } from '../../src-main/shared/ipc-contract';

const view = (status: 'pass' | 'fail'): ChecklistView =>
  ({ steps: [{ id: 'register.app', status, title: 'App', found: '', expected: '', fix: '', guideStep: '1', portalLocation: '', why: '' }], values: {} }) as unknown as ChecklistView;
const preview = { writes: [], checklist: view('fail'), requests: 2 } as ApplyPreviewView;
const run = { kind: 'apply' as const, at: '2026-01-01T00:00:00Z', by: 'fe@contoso.example' };
const code: DeviceCodeEvent = { userCode: 'ABCD-EFGH', verificationUri: 'https://microsoft.com/devicelogin', expiresAt: '2026-01-01T00:15:00Z', message: '' };
const progress = (runId: string, key: string): ProgressEvent => ({ runId, key, phase: 'done', summary: key });

const reduce = (actions: FlowAction[], from: ChecklistState = initialChecklistState('site-1')) => actions.reduce(checklistReducer, from);

describe('checklist flow reducer', () => {
  it('apply: planning → confirming → running (progress, device code) → idle with the new checklist', () => {
    let s = reduce([{ type: 'loaded', siteId: 'site-1', view: view('fail'), lastRun: null }]);
    expect(s.seq).toBe(1);
    s = reduce([{ type: 'plan', planId: 'p1' }], s);
    expect(s.phase.kind).toBe('planning');
    expect(isSettled(s)).toBe(false);
    s = reduce([{ type: 'planned', planId: 'p1', preview }], s);
    expect(s.phase).toEqual({ kind: 'confirming', preview });
    s = reduce([{ type: 'run', run: 'apply', runId: 'r1' }, { type: 'progress', event: progress('r1', 'create-app') }, { type: 'progress', event: progress('other', 'x') }, { type: 'deviceCode', runId: 'r1', code }], s);
    expect(s.phase).toEqual({ kind: 'running', run: 'apply', runId: 'r1', deviceCode: code });
    expect(s.progress.map((p) => p.key)).toEqual(['create-app']);
    s = reduce([{ type: 'ran', runId: 'r1', view: view('pass'), run }], s);
    expect(s.phase).toEqual({ kind: 'idle' });
    expect(s.view?.steps[0]?.status).toBe('pass');
    expect(s.lastRun).toEqual(run);
    expect(s.progress).toHaveLength(1); // what was written stays visible
    expect(s.seq).toBe(2);
  });

  it('apply cannot start without a confirmed plan; a stale plan answer is ignored', () => {
    expect(reduce([{ type: 'run', run: 'apply', runId: 'r1' }]).phase.kind).toBe('idle');
    const s = reduce([{ type: 'plan', planId: 'p1' }, { type: 'dismiss' }, { type: 'plan', planId: 'p2' }, { type: 'planned', planId: 'p1', preview }]);
    expect(s.phase).toEqual({ kind: 'planning', planId: 'p2' });
  });

  it('failures carry their code and operation; a cancelled run is not a failure', () => {
    const failed = reduce([{ type: 'run', run: 'verify', runId: 'v1' }, { type: 'runFailed', runId: 'v1', failure: { code: 'auth.required', message: 'Sign in first.' } }]);
    expect(failed.phase).toEqual({ kind: 'failed', op: 'verify', failure: { code: 'auth.required', message: 'Sign in first.' } });
    expect(isSettled(failed)).toBe(true);
    const cancelled = reduce([{ type: 'run', run: 'verify', runId: 'v1' }, { type: 'runFailed', runId: 'v1', failure: { code: 'cancelled', message: '' } }]);
    expect(cancelled.phase).toEqual({ kind: 'idle' });
    // A late answer of an older run changes nothing.
    const late = reduce([{ type: 'run', run: 'verify', runId: 'v2' }, { type: 'ran', runId: 'v1', view: view('pass'), run }]);
    expect(late.phase.kind).toBe('running');
    expect(late.view).toBeNull();
  });

  it('server check: checkingServer → idle with the hosts; nothing starts while one runs', () => {
    let s = reduce([{ type: 'checkServer' }]);
    expect(s.phase.kind).toBe('checkingServer');
    expect(reduce([{ type: 'run', run: 'verify', runId: 'v' }], s).phase.kind).toBe('checkingServer');
    s = reduce([{ type: 'serverChecked', hosts: [], view: view('pass'), run }], s);
    expect(s.phase.kind).toBe('idle');
    expect(s.serverHosts).toEqual([]);
  });

  it('another site resets the flow; answers for the old site are ignored', () => {
    const s = reduce([{ type: 'loaded', siteId: 'site-1', view: view('fail'), lastRun: null }, { type: 'site', siteId: 'site-2' }, { type: 'loaded', siteId: 'site-1', view: view('pass'), lastRun: null }]);
    expect(s.siteId).toBe('site-2');
    expect(s.view).toBeNull();
  });
});

describe('event router', () => {
  it('subscribes once; progress goes to the run with that id, a device code to the latest sign-in owner', () => {
    const listeners = new Map<string, (p: unknown) => void>();
    let subscriptions = 0;
    const router = new EventRouter();
    const detach = router.attach(((name: string, cb: (p: unknown) => void) => {
      subscriptions++;
      listeners.set(name, cb);
      return () => listeners.delete(name);
    }) as Parameters<EventRouter['attach']>[0]);
    expect(subscriptions).toBe(2);
    const seen: string[] = [];
    const releaseRun = router.own('r1', { onProgress: (e) => seen.push(`r1 ${e.key}`), onDeviceCode: (c) => seen.push(`r1 code ${c.userCode}`) });
    const releaseSignIn = router.ownSignIn((c) => seen.push(`signin code ${c.userCode}`));
    listeners.get('live.progress')?.(progress('r1', 'a'));
    listeners.get('live.progress')?.(progress('r2', 'b'));
    listeners.get('auth.deviceCode')?.(code);
    releaseSignIn();
    listeners.get('auth.deviceCode')?.(code);
    releaseRun();
    listeners.get('live.progress')?.(progress('r1', 'c'));
    listeners.get('auth.deviceCode')?.(code);
    expect(seen).toEqual(['r1 a', 'signin code ABCD-EFGH', 'r1 code ABCD-EFGH']);
    detach();
    expect(listeners.size).toBe(0);
  });
});
