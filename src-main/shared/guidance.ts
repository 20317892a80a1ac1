// Shared with the renderer (pure: imports only core/types), so the Checklist screen and the journey use it directly.
// The checklist's problems, each root cause once: an empty tenant is ONE problem ("No ICE registration in this
// tenant yet: Apply creates it") with the steps that follow from it grouped under it, not sixteen fails.
// Also: the stage of the visit the checklist is at, and the next sensible action. Pure: step results in.
import type { StepId, StepResult, StepStatus } from '../core/types';

/** What resolves a problem, from the engineer's side. */
export type ProblemAction = 'verify' | 'apply' | 'choose' | 'check-server' | 'prove' | 'by-hand';

export interface Problem {
  /** The step the problem is rooted in. */
  root: StepId;
  status: Exclude<StepStatus, 'pass' | 'info'>;
  /** One sentence: the cause and what resolves it. */
  title: string;
  /** The root step's fix or finding, in full. */
  detail: string;
  action: ProblemAction;
  /** The root and every step that follows from it, in guide order. */
  steps: StepId[];
}

/** Steps apply brings to pass (what the plan writes). */
export const APPLY_FIXES: ReadonlySet<StepId> = new Set<StepId>([
  'register.app',
  'register.audience',
  'register.native-redirect',
  'tenant.service-principal',
  'auth.spa-redirects',
  'auth.implicit-access-token',
  'api.identifier-uri',
  'api.scope',
  'permissions.no-graph',
  'permissions.own-scope',
  'consent.admin-grant',
  'token.groups-claim',
  'token.groups-sam-account-name',
  'token.upn-claim',
  'token.upn-external',
]);

/** Steps that are later stages of the visit (prove, the ICE Server), not problems of the registration. */
export const LATER_STAGES: ReadonlySet<StepId> = new Set<StepId>(['proof.token', 'server.sso-meta']);

const RANK: Record<StepStatus, number> = { fail: 0, warn: 1, unknown: 2, info: 3, pass: 4 };

function isProblem(s: StepResult): s is StepResult & { status: Problem['status'] } {
  return s.status === 'fail' || s.status === 'warn' || s.status === 'unknown';
}

/** True when nothing of the registration was read yet (every registration step unknown). */
export function notReadYet(steps: readonly StepResult[]): boolean {
  const own = steps.filter((s) => !LATER_STAGES.has(s.id));
  return own.length > 0 && own.every((s) => s.status === 'unknown');
}

export function groupProblems(steps: readonly StepResult[]): Problem[] {
  const own = steps.filter((s) => !LATER_STAGES.has(s.id));
  const open = own.filter(isProblem);
  if (!open.length) return [];
  if (notReadYet(steps)) {
    return [
      {
        root: own[0]!.id,
        status: 'unknown',
        title: 'Not checked yet: Verify reads the app registration in the tenant (read-only, changes nothing).',
        detail: 'Sign in first if you have not; Verify then shows what the tenant has against what the guide asks.',
        action: 'verify',
        steps: open.map((s) => s.id),
      },
    ];
  }
  const app = own.find((s) => s.id === 'register.app');
  if (app?.status === 'fail' && app.reason === 'choose-existing') {
    return [
      {
        root: 'register.app',
        status: 'fail',
        title: "A registration in this tenant looks like ICE's: choose it under “Use an existing registration”.",
        detail: app.found,
        action: 'choose',
        steps: open.map((s) => s.id),
      },
    ];
  }
  if (app?.status === 'fail') {
    return [
      {
        root: 'register.app',
        status: 'fail',
        title: 'No ICE registration in this tenant yet: Apply creates it.',
        detail: app.fix || app.found,
        action: 'apply',
        steps: open.map((s) => s.id),
      },
    ];
  }
  const problems: Problem[] = [];
  const taken = new Set<StepId>();
  const sp = own.find((s) => s.id === 'tenant.service-principal');
  if (sp?.status === 'fail') {
    const deps = open.filter((s) => s.id === 'tenant.service-principal' || s.id === 'consent.admin-grant').map((s) => s.id);
    deps.forEach((d) => taken.add(d));
    problems.push({
      root: 'tenant.service-principal',
      status: 'fail',
      title: 'The registration has no enterprise application (service principal) in this tenant yet: Apply creates it.',
      detail: sp.fix || sp.found,
      action: 'apply',
      steps: deps,
    });
  }
  for (const s of open) {
    if (taken.has(s.id) || s.id === 'overview.values') continue;
    const action: ProblemAction = s.status === 'unknown' ? 'verify' : s.status === 'fail' && APPLY_FIXES.has(s.id) ? 'apply' : 'by-hand';
    const how = action === 'apply' ? 'Apply fixes it' : action === 'verify' ? 'Verify reads it' : s.status === 'warn' ? 'works, but differs from the guide' : 'change it in the portal';
    problems.push({ root: s.id, status: s.status, title: `${s.title}: ${how}.`, detail: s.fix || s.found, action, steps: [s.id] });
  }
  // The eight values follow from the other steps: listed under the first problem, unless they are the only one.
  const values = open.find((s) => s.id === 'overview.values');
  if (values) {
    const first = problems.find((p) => p.action === 'apply') ?? problems[0];
    if (first) first.steps.push('overview.values');
    else problems.push({ root: 'overview.values', status: values.status, title: `${values.title}: Verify against the tenant reads what is missing.`, detail: values.fix || values.found, action: 'verify', steps: ['overview.values'] });
  }
  return problems.sort((a, b) => RANK[a.status] - RANK[b.status]);
}

/** The stages of a visit, in order, as the app's journey shows them. */
export const STAGES = ['site', 'signin', 'check', 'fix', 'prove', 'values', 'export'] as const;
export type Stage = (typeof STAGES)[number];
export type StageState = 'done' | 'current' | 'todo' | 'attention';

export interface VisitFacts {
  hasSite: boolean;
  signedIn: boolean;
  /** The site's checklist (null: none open). */
  steps: readonly StepResult[] | null;
  exported: boolean;
}

/** Each stage's state and the one that comes next. */
export function journey(f: VisitFacts): { stages: Record<Stage, StageState>; next: Stage } {
  const steps = f.steps ?? [];
  const read = f.hasSite && steps.length > 0 && !notReadYet(steps);
  const problems = read ? groupProblems(steps) : [];
  const fixable = problems.some((p) => p.status === 'fail');
  const proof = steps.find((s) => s.id === 'proof.token');
  const values = steps.find((s) => s.id === 'overview.values');
  const done: Record<Stage, boolean> = {
    site: f.hasSite,
    signin: f.signedIn || read,
    check: read,
    fix: read && !fixable,
    prove: proof?.status === 'pass',
    values: values?.status === 'pass',
    export: f.exported,
  };
  const next = STAGES.find((s) => !done[s]) ?? 'export';
  const stages = Object.fromEntries(
    STAGES.map((s): [Stage, StageState] => [s, done[s] ? 'done' : s === next ? 'current' : s === 'fix' && read && fixable ? 'attention' : 'todo']),
  ) as Record<Stage, StageState>;
  return { stages, next };
}
