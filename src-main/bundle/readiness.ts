// Is a site ready to hand over? The evidence a bundle carries is the latest result of each step across
// the site's runs (verify, apply, server check), each with the time and kind of the run that produced it,
// so the order in which they were run never loses evidence. A site is ready when it has all eight values
// and no step fails; an incomplete bundle is only exported on an explicit choice and says so everywhere.
import type { RunRecord, StepResult } from '../core/types';
import type { SiteDocument } from '../sites/schema';

export type RunKind = RunRecord['kind'];

/** A step result as evidence: when it was established and by which kind of run. */
export interface EvidenceStep extends StepResult {
  at: string;
  kind: RunKind;
}

const sameResult = (a: StepResult, b: StepResult): boolean => a.status === b.status && a.found === b.found && a.expected === b.expected && a.fix === b.fix;

/**
 * The latest result of each step across the runs, in the order steps first appear. A later run's "unknown"
 * (it did not check that step, e.g. verify does not fetch /sso-meta) does not replace an earlier decided
 * result; a server check (kind "audit") repeats the other steps unchanged and does not re-date them.
 */
export function latestEvidence(history: readonly RunRecord[]): EvidenceStep[] {
  const held = new Map<string, EvidenceStep>();
  for (const run of history) {
    for (const s of run.steps) {
      const prev = held.get(s.id);
      if (prev && s.status === 'unknown' && prev.status !== 'unknown') continue;
      if (prev && run.kind === 'audit' && sameResult(prev, s)) continue;
      held.set(s.id, { id: s.id, status: s.status, title: s.title, found: s.found, expected: s.expected, fix: s.fix, at: run.at, kind: run.kind });
    }
  }
  return [...held.values()];
}

export interface Readiness {
  /** No step fails (the bundle would not be labelled INCOMPLETE). */
  ready: boolean;
  steps: EvidenceStep[];
  failing: EvidenceStep[];
}

export function failingSteps(steps: readonly StepResult[]): string[] {
  return steps.filter((s) => s.status === 'fail').map((s) => s.id);
}

export function siteReadiness(site: Pick<SiteDocument, 'history'>): Readiness {
  const steps = latestEvidence(site.history as RunRecord[]);
  const failing = steps.filter((s) => s.status === 'fail');
  return { ready: failing.length === 0, steps, failing };
}

/** "id (title; verify 2026-11-26 14:03 UTC)" for each failing step, for refusals and choices. */
export function describeFailing(failing: readonly EvidenceStep[]): string {
  return failing.map((s) => `${s.id} (${s.title}; ${s.kind} ${s.at.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')})`).join(', ');
}
