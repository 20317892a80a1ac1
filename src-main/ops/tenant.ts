// The live-tenant operations, front-end neutral: verify (read and audit), preview (read and plan; no write) and
// apply (read, plan, write with progress). Each takes a signed-in session, what to run on (settings parsed once,
// how to find the app, the scope id to reuse), an AbortSignal and a progress callback; each returns a typed
// outcome the caller renders and records (recordRun in ./site).
import type { Settings } from '../core/types';
import { apply, preview, verify, type ApplyInterruptedError, type ApplyOptions, type ApplyResult, type PreviewResult, type ProgressEvent, type VerifyResult } from '../graph/engine';
import type { AppHint } from '../graph/read';
import type { Session } from './session';
import type { RunOutcome } from './site';

export interface RunTarget {
  settings: Settings;
  /** How to find the app (saved ids, --object-id/--app-id/--unique-name). */
  hint: AppHint;
  /** The scope id to use for a new scope: the one an earlier run (or the preview the user confirmed) planned with. */
  scopeId?: string;
  /** Apply's journal: ids and completed writes, so a run stopped half-way resumes. */
  journalPath?: string;
  /** Work on the registration found although the assistant did not make it (its tag is added first). */
  adopt?: boolean;
  /** Create a new registration even though existing ones look like ICE's. */
  createNew?: boolean;
}

export interface OpContext {
  session: Session;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Asks the user whether to adopt a registration the assistant did not make (CLI: a terminal prompt). */
  confirmAdopt?: ApplyOptions['confirmAdopt'];
}

function runOptions(ctx: OpContext, t: RunTarget) {
  return {
    settings: t.settings,
    tenantId: ctx.session.tenantId,
    hint: t.hint,
    readGrants: ctx.session.readGrants,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

function applyOptions(ctx: OpContext, t: RunTarget): ApplyOptions {
  return {
    ...runOptions(ctx, t),
    ...(t.journalPath ? { journalPath: t.journalPath } : {}),
    ...(t.scopeId ? { newScopeId: t.scopeId } : {}),
    ...(t.adopt ? { adopt: true } : {}),
    ...(t.createNew ? { createNew: true } : {}),
    ...(ctx.confirmAdopt ? { confirmAdopt: ctx.confirmAdopt } : {}),
    // Revoking a leftover Microsoft Graph grant needs the grant-write permission: asked for when needed (a consent step-up).
    requirePermissions: (perms) => ctx.session.require(perms, ctx.signal),
  };
}

/** Reads the app, its service principal and grants, and audits them. */
export function verifyTenant(ctx: OpContext, target: RunTarget): Promise<VerifyResult> {
  return verify(ctx.session.graph, runOptions(ctx, target));
}

/** What apply would write now (GET requests only), planned exactly as apply will. */
export function previewApply(ctx: OpContext, target: RunTarget): Promise<PreviewResult> {
  return preview(ctx.session.graph, applyOptions(ctx, target));
}

/** Creates or repairs the registration; progress for each write; the checklist from the state Graph acknowledged. */
export function applyTenant(ctx: OpContext, target: RunTarget): Promise<ApplyResult> {
  return apply(ctx.session.graph, { ...applyOptions(ctx, target), ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}) });
}

/** A verify/apply result as a run to record. */
export function tenantRunOutcome(kind: 'verify' | 'apply', session: Session, r: VerifyResult | ApplyResult): RunOutcome {
  return {
    kind,
    by: session.username,
    tenantId: session.tenantId,
    app: r.app,
    steps: r.steps,
    values: r.values,
    ...('requests' in r ? { requests: r.requests, scopeId: r.scopeId } : {}),
  };
}

/**
 * An apply stopped by Ctrl-C/Cancel or a lost connection, as a run to record: the checklist from Graph read again,
 * and the writes known applied. null when Graph could not be read again (nothing reliable to record).
 */
export function interruptedRunOutcome(session: Pick<Session, 'username' | 'tenantId'>, e: ApplyInterruptedError): RunOutcome | null {
  if (!e.result) return null;
  return {
    kind: 'apply',
    by: session.username,
    tenantId: session.tenantId,
    app: e.result.app,
    steps: e.result.steps,
    values: e.result.values,
    requests: e.outcomes.filter((o) => o.applied).map((o) => ({ method: o.method, path: o.path, status: 0 })),
  };
}
