// Apply: read the tenant, plan, run the writes in dependency rounds (each round's independent writes in one
// $batch), substitute placeholders from Graph's answers, journal progress, and audit the state Graph
// acknowledged. Verify: read + audit.
import { randomUUID } from 'node:crypto';
import { audit } from '../core/audit';
import { plan } from '../core/plan';
import type {
  AuditResult,
  GraphApplication,
  GraphOAuth2PermissionGrant,
  GraphServicePrincipal,
  Observed,
  Plan,
  PlannedWrite,
  RecordedRequest,
  Settings,
} from '../core/types';
import { PLAN_PLACEHOLDERS } from '../core/types';
import { GraphRequestError, httpError } from './errors';
import type { BatchItem, GraphAccess, GraphResponse, GraphStats } from './http';
import { readJournal, writeJournal, type Journal } from './journal';
import { nativeClientRedirect } from '../core/clouds';
import { GRANT_WRITE_PERMISSION } from '../auth/scopes';
import { APP_TAG, deriveUniqueName, isAssistantApp, nameApp, readTenant, type AppHint, type Candidate, type CandidateProbe, type FoundBy } from './read';
import { AppError, type CodedError, type ErrorInfo } from '../lib/errors';

export interface ProgressEvent {
  type: 'started' | 'request' | 'done' | 'failed';
  key: string;
  summary: string;
  method: string;
  path: string;
  status?: number;
  reason?: string;
}

export interface AppIds {
  objectId?: string;
  appId?: string;
  uniqueName?: string;
  servicePrincipalId?: string;
}

export interface VerifyResult extends AuditResult {
  observed: Observed;
  app: AppIds;
  foundBy: FoundBy;
  stats: GraphStats;
  /** Existing registrations that look like ICE's, when none of the assistant's was found. */
  candidates: Candidate[];
  /** The app found is not the assistant's (no tag / uniqueName): apply writes to it only when adopted. */
  adoptable: boolean;
}

/** What an apply interrupted by Ctrl-C or a dropped connection did, write by write, from a fresh read of Graph. */
export interface WriteOutcome {
  key: string;
  summary: string;
  method: string;
  path: string;
  applied: boolean;
}

/**
 * Apply refused to write (exit 2 in the CLI): the registration is not the assistant's and was not adopted, or
 * existing registrations look like ICE's and --create-new was not given. Nothing was written.
 */
export class WriteRefusedError extends AppError {
  override name = 'WriteRefusedError';
  constructor(
    message: string,
    readonly reason: 'not-adopted' | 'candidates',
    readonly candidates: Candidate[],
    readonly target?: { appId?: string; objectId?: string; displayName?: string | null; createdDateTime?: string | null },
  ) {
    super('usage', message);
  }
}

/** Apply stopped half-way (Ctrl-C, dropped connection): Graph was read again and each write is known applied or not. */
export class ApplyInterruptedError extends Error implements CodedError {
  constructor(
    message: string,
    override readonly cause: unknown,
    readonly outcomes: WriteOutcome[],
    readonly result: VerifyResult | null,
    readonly cancelled: boolean,
  ) {
    super(message);
    this.name = 'ApplyInterruptedError';
  }

  errorInfo(): ErrorInfo {
    // Cancelled by the user, else a dropped connection: each write's outcome is in the message.
    return { code: this.cancelled ? 'cancelled' : 'graph.network', message: this.message };
  }
}

export interface ApplyResult extends VerifyResult {
  plan: Plan;
  /** The writes Graph acknowledged, in order (for the site history). */
  requests: RecordedRequest[];
  writes: number;
  /** The scope id used for a new scope (kept by the journal / site so a resumed run reuses it). */
  scopeId: string;
}

export interface RunOptions {
  settings: Settings;
  tenantId: string;
  hint?: AppHint;
  /** Whether the token may read oauth2PermissionGrants (see auth/scopes canReadGrants). */
  readGrants: boolean;
  signal?: AbortSignal;
}

export interface ApplyOptions extends RunOptions {
  /** The user adopts the registration found (it is not the assistant's): its tag is added as the first write. */
  adopt?: boolean;
  /** At a terminal: asks the user whether to adopt the registration (named by display name, client id, created date). */
  confirmAdopt?: (app: { displayName: string; appId: string; objectId: string; createdDateTime: string | null }) => Promise<boolean>;
  /** Create a new registration even though existing ones look like ICE's. */
  createNew?: boolean;
  /** Asks for more Graph permissions before writes that need them (revoking a leftover grant needs DelegatedPermissionGrant.ReadWrite.All). */
  requirePermissions?: (permissions: string[]) => Promise<void>;
  journalPath?: string;
  onProgress?: (e: ProgressEvent) => void;
  /** Scope id for a new scope (default: a fresh GUID, kept in the journal). */
  newScopeId?: string;
}

const RECENT_MS = 10 * 60_000;

function idsOf(o: Observed, uniqueName?: string): AppIds {
  return {
    objectId: o.application?.id,
    appId: o.application?.appId,
    uniqueName: o.application?.uniqueName ?? uniqueName,
    servicePrincipalId: o.servicePrincipal?.id,
  };
}

export function probeFor(settings: Settings): CandidateProbe {
  return { displayName: settings.displayName, hosts: settings.hosts, scopeValue: settings.scopeValue, nativeRedirect: nativeClientRedirect(settings.cloud) };
}

function hintFor(settings: Settings, tenantId: string, hint: AppHint = {}): AppHint {
  return {
    ...hint,
    uniqueName: hint.uniqueName ?? deriveUniqueName(settings.displayName, tenantId),
    displayName: hint.displayName ?? settings.displayName,
  };
}

/** Reads the app, its service principal and grants, then audits them. One round trip when the appId is known. */
export async function verify(graph: GraphAccess, opts: RunOptions): Promise<VerifyResult> {
  const hint = hintFor(opts.settings, opts.tenantId, opts.hint);
  const { observed, foundBy, candidates } = await readTenant(graph, hint, { tenantId: opts.tenantId, readGrants: opts.readGrants, signal: opts.signal, probe: probeFor(opts.settings) });
  const result = audit(observed, opts.settings);
  return {
    ...result,
    observed,
    app: idsOf(observed, hint.uniqueName),
    foundBy,
    stats: { ...graph.stats },
    candidates,
    adoptable: !!observed.application && !isAssistantApp(observed.application),
  };
}

/** The candidates as lines: `"<displayName>" (client id <appId>), created <date>: <traits>`. */
export function candidateLines(candidates: Candidate[]): string[] {
  return candidates.map((c) => `${nameApp(c)}${c.createdDateTime ? `, created ${c.createdDateTime.slice(0, 10)}` : ''}: has ${c.details.join(', ')}`);
}

// ---- placeholders

type Vars = { appId?: string; appObjectId?: string; servicePrincipalId?: string };

/**
 * Fills the placeholders in `s`. An unknown one is a bug when apply sends the write ('throw'); a preview
 * keeps it for the reader ('keep').
 */
function substitute(s: string, vars: Vars, unknown: 'throw' | 'keep' = 'throw'): string {
  return s.replace(/\{(appId|appObjectId|servicePrincipalId)\}/g, (m, name: keyof Vars) => {
    const v = vars[name];
    if (v) return v;
    if (unknown === 'keep') return m;
    throw new Error(`Internal: ${m} is not known yet`);
  });
}

function substituteDeep(v: unknown, vars: Vars, unknown: 'throw' | 'keep' = 'throw'): unknown {
  if (typeof v === 'string') return substitute(v, vars, unknown);
  if (Array.isArray(v)) return v.map((x) => substituteDeep(x, vars, unknown));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteDeep(x, vars, unknown)]));
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Graph PATCH semantics as the model keeps them: nested objects merge, arrays and scalars replace. */
function mergePatch<T extends Record<string, unknown>>(target: T, patch: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergePatch(out[k] as Record<string, unknown>, v) : v;
  }
  return out as T;
}

/** Rounds: each write runs after all its dependencies; writes of a round are independent of each other. */
export function rounds(writes: PlannedWrite[]): PlannedWrite[][] {
  const done = new Set<string>();
  const keys = new Set(writes.map((w) => w.key));
  let left = writes.slice();
  const out: PlannedWrite[][] = [];
  while (left.length) {
    const ready = left.filter((w) => w.dependsOn.every((d) => done.has(d) || !keys.has(d)));
    if (!ready.length) throw new Error(`Internal: the plan has a dependency cycle among ${left.map((w) => w.key).join(', ')}`);
    out.push(ready);
    for (const w of ready) done.add(w.key);
    left = left.filter((w) => !ready.includes(w));
  }
  return out;
}

/** The create carries the assistant's tag, so the app can be found by display name + tag as a last resort. */
function withTag(p: Plan): Plan {
  return {
    writes: p.writes.map((w) => {
      if (w.key !== 'create-app' || !w.body) return w;
      const tags = Array.isArray(w.body.tags) ? (w.body.tags as string[]) : [];
      return tags.includes(APP_TAG) ? w : { ...w, body: { ...w.body, tags: [...tags, APP_TAG] } };
    }),
  };
}

function isCreateApp(w: PlannedWrite, path: string): boolean {
  return path.startsWith('/applications(uniqueName=') || (w.method === 'POST' && path === '/applications');
}

interface Prepared {
  journal: Journal | null;
  recent: boolean;
  observed: Observed;
  foundBy: FoundBy;
  uniqueName: string;
  scopeId: string;
  plan: Plan;
  candidates: Candidate[];
}

/** The first write when adopting: the assistant's tag, so later runs recognise the registration. */
function adoptWrite(app: GraphApplication): PlannedWrite {
  return {
    key: 'adopt-app',
    method: 'PATCH',
    path: '/applications/{appObjectId}',
    body: { tags: [...(app.tags ?? []), APP_TAG] },
    dependsOn: [],
    steps: ['register.app'],
    summary: `Adopt the existing registration ${nameApp(app)}: add the tag "${APP_TAG}" so later runs recognise it.`,
  };
}

/** Refuses writes to a registration that is not the assistant's and not adopted now; adds the tag when adopted. */
async function checkOwnership(prep: Omit<Prepared, 'plan'> & { plan: Plan }, opts: ApplyOptions): Promise<Plan> {
  const app = prep.observed.application;
  if (!app) {
    if (prep.candidates.length && !opts.createNew) {
      const lines = candidateLines(prep.candidates).map((l) => `  ${l}`);
      throw new WriteRefusedError(
        `No registration made by ICE SSO Assistant was found, but ${prep.candidates.length === 1 ? 'an existing registration looks' : `${prep.candidates.length} existing registrations look`} like ICE's:\n${lines.join('\n')}\n` +
          `Nothing was written. Either work on the existing one: --app-id ${prep.candidates[0]!.appId} --adopt; or, if none of these is ICE's, create a new registration: --create-new.`,
        'candidates',
        prep.candidates,
      );
    }
    return prep.plan;
  }
  if (isAssistantApp(app)) return prep.plan;
  let adopt = !!opts.adopt;
  if (!adopt && opts.confirmAdopt && app.appId && app.id) {
    adopt = await opts.confirmAdopt({ displayName: app.displayName ?? '', appId: app.appId, objectId: app.id, createdDateTime: (app as { createdDateTime?: string | null }).createdDateTime ?? null });
  }
  if (!adopt) {
    const created = (app as { createdDateTime?: string | null }).createdDateTime;
    throw new WriteRefusedError(
      `The registration ${nameApp(app)}${created ? `, created ${created.slice(0, 10)},` : ''} was not made by ICE SSO Assistant (it has no "${APP_TAG}" tag), ` +
        'whatever a site file or option says about it. Nothing was written. If it is the customer\'s ICE registration, adopt it: ' +
        `--app-id ${app.appId ?? '<client id>'} --adopt (the tag is then added, so later runs recognise it).`,
      'not-adopted',
      [],
      { appId: app.appId, objectId: app.id, displayName: app.displayName, createdDateTime: created ?? null },
    );
  }
  const tag = adoptWrite(app);
  const appPath = '/applications/{appObjectId}';
  return {
    writes: [tag, ...prep.plan.writes.map((w) => (w.path === appPath ? { ...w, dependsOn: [...new Set([...w.dependsOn, tag.key])] } : w))],
  };
}

/** Reads the journal (if any) and the tenant, then plans: what apply and preview share. Writes nothing. */
async function prepare(graph: GraphAccess, opts: ApplyOptions): Promise<Prepared> {
  const { settings, tenantId } = opts;
  const journal: Journal | null = opts.journalPath ? await readJournal(opts.journalPath) : null;
  if (journal && journal.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    throw new GraphRequestError(
      `The journal ${opts.journalPath} belongs to tenant ${journal.tenantId}, not ${tenantId}: give another --journal file.`,
      { kind: 'http', method: 'READ', path: String(opts.journalPath) },
    );
  }
  const recent = !!journal && Date.now() - Date.parse(journal.updatedAt) < RECENT_MS && !journal.finished;
  const hint = hintFor(settings, tenantId, {
    objectId: opts.hint?.objectId ?? journal?.app.objectId,
    appId: opts.hint?.appId ?? journal?.app.appId,
    uniqueName: opts.hint?.uniqueName ?? journal?.uniqueName,
    displayName: opts.hint?.displayName,
    recent,
    servicePrincipalId: journal?.servicePrincipalId,
  });
  const { observed, foundBy, candidates } = await readTenant(graph, hint, { tenantId, readGrants: opts.readGrants, signal: opts.signal, probe: probeFor(settings) });
  const uniqueName = observed.application?.uniqueName ?? hint.uniqueName!;
  const scopeId = opts.newScopeId ?? journal?.scopeId ?? randomUUID();
  const base = { journal, recent, observed, foundBy, uniqueName, scopeId, candidates, plan: withTag(plan(observed, settings, { newScopeId: scopeId, uniqueName })) };
  return { ...base, plan: await checkOwnership(base, opts) };
}

// ---- preview: read + plan, no writes

/** What each placeholder stands for, for a person reading a preview. */
export const PLACEHOLDER_MEANINGS: Record<(typeof PLAN_PLACEHOLDERS)[number], string> = {
  '{appId}': 'the application (client) id Graph assigns when it creates the app registration',
  '{appObjectId}': "the app registration's object id, known once it exists",
  '{servicePrincipalId}': "the object id of the app's service principal, known once it is created",
};

export interface PreviewWrite {
  key: string;
  method: PlannedWrite['method'];
  /** The path with every placeholder already known filled in. */
  path: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  summary: string;
  steps: PlannedWrite['steps'];
  dependsOn: string[];
  /** Placeholders still in path/body (filled in from Graph's answers when apply runs), with what they stand for. */
  placeholders: Array<{ placeholder: string; meaning: string }>;
}

export interface PreviewResult extends VerifyResult {
  writes: PreviewWrite[];
  plan: Plan;
  scopeId: string;
}

/**
 * What apply would write, without writing: reads the tenant (and the journal, if given), plans, and returns
 * the writes (placeholders filled in where the ids are known, the others explained) with the checklist of the
 * current state. Makes only GET requests.
 */
export async function preview(graph: GraphAccess, opts: ApplyOptions): Promise<PreviewResult> {
  const prep = await prepare(graph, opts);
  const vars: Vars = {
    appId: prep.observed.application?.appId,
    appObjectId: prep.observed.application?.id,
    servicePrincipalId: prep.observed.servicePrincipal?.id,
  };
  const writes = prep.plan.writes.map((w): PreviewWrite => {
    const path = substitute(w.path, vars, 'keep');
    const body = w.body ? (substituteDeep(w.body, vars, 'keep') as Record<string, unknown>) : undefined;
    const text = `${path} ${JSON.stringify(body ?? {})}`;
    const placeholders = PLAN_PLACEHOLDERS.filter((ph) => text.includes(ph)).map((ph) => ({ placeholder: ph, meaning: PLACEHOLDER_MEANINGS[ph] }));
    return {
      key: w.key,
      method: w.method,
      path,
      ...(body ? { body } : {}),
      ...(w.headers ? { headers: w.headers } : {}),
      summary: w.summary,
      steps: w.steps,
      dependsOn: w.dependsOn,
      placeholders,
    };
  });
  const result = audit(prep.observed, opts.settings);
  return {
    ...result,
    observed: prep.observed,
    app: idsOf(prep.observed, prep.uniqueName),
    foundBy: prep.foundBy,
    stats: { ...graph.stats },
    candidates: prep.candidates,
    adoptable: !!prep.observed.application && !isAssistantApp(prep.observed.application),
    writes,
    plan: prep.plan,
    scopeId: prep.scopeId,
  };
}

/**
 * Creates or repairs the ICE app registration. Idempotent: a re-run plans zero writes; the create is an
 * upsert by uniqueName, so even a run killed between the create and its journal entry never makes a second app.
 */
export async function apply(graph: GraphAccess, opts: ApplyOptions): Promise<ApplyResult> {
  const { settings, tenantId } = opts;
  const emit = opts.onProgress ?? (() => undefined);
  const prep = await prepare(graph, opts);
  let journal = prep.journal;
  const { recent, observed, foundBy, uniqueName, scopeId } = prep;
  const thePlan = prep.plan;
  // Revoking a leftover Microsoft Graph grant (or writing the admin grant) needs the grant-write permission: ask for
  // it now, before any write (silently when consented, else an interactive sign-in where an admin consents).
  if (opts.requirePermissions && thePlan.writes.some((w) => w.path.startsWith('/oauth2PermissionGrants'))) {
    await opts.requirePermissions([GRANT_WRITE_PERMISSION]);
  }

  const model: Observed = structuredClone(observed);
  const vars: Vars = {
    appId: model.application?.appId,
    appObjectId: model.application?.id,
    servicePrincipalId: model.servicePrincipal?.id,
  };
  const now = () => new Date().toISOString();
  const completed: string[] = [];
  const saveJournal = async (finished: boolean) => {
    if (!opts.journalPath) return;
    journal = {
      version: 1,
      tenantId,
      uniqueName,
      scopeId,
      app: { objectId: vars.appObjectId, appId: vars.appId },
      servicePrincipalId: vars.servicePrincipalId,
      completed: [...new Set([...(journal && !journal.finished ? journal.completed : []), ...completed])],
      startedAt: journal && !journal.finished ? journal.startedAt : now(),
      updatedAt: now(),
      finished,
    };
    await writeJournal(opts.journalPath, journal);
  };
  const requests: RecordedRequest[] = [];
  let createdThisRun = recent;

  if (thePlan.writes.length) await saveJournal(false);

  /** Updates the model and the placeholders from Graph's acknowledgement of a write. */
  const acknowledge = async (w: PlannedWrite, path: string, body: Record<string, unknown> | undefined, res: { status: number; body: unknown }) => {
    requests.push({ method: w.method, path, status: res.status, ...(body !== undefined ? { body } : {}) });
    const rb = isPlainObject(res.body) ? res.body : null;
    if (isCreateApp(w, path)) {
      if (res.status === 201 && rb) {
        model.application = mergePatch(rb as GraphApplication, {});
        vars.appObjectId = String(rb.id);
        vars.appId = String(rb.appId);
        createdThisRun = true;
      } else {
        // 204: it existed (a run killed before its journal entry, or replication lag on our read): fetch its ids.
        if (!vars.appObjectId || !vars.appId) {
          const r = await graph.call<GraphApplication>('GET', `${path}?$select=id,appId,uniqueName`, undefined, { signal: opts.signal, lagRetry: true });
          vars.appObjectId = r.body?.id;
          vars.appId = r.body?.appId;
        }
        model.application = mergePatch((model.application ?? { id: vars.appObjectId, appId: vars.appId, uniqueName }) as GraphApplication, body ?? {});
      }
      return;
    }
    if (path.startsWith('/applications/')) {
      model.application = mergePatch((model.application ?? {}) as GraphApplication, body ?? {});
      return;
    }
    if (w.method === 'POST' && path === '/servicePrincipals' && rb) {
      model.servicePrincipal = rb as unknown as GraphServicePrincipal;
      vars.servicePrincipalId = String(rb.id);
      createdThisRun = true;
      return;
    }
    if (path.startsWith('/oauth2PermissionGrants')) {
      const grants = (model.grants ??= []);
      if (w.method === 'POST' && rb) grants.push(rb as unknown as GraphOAuth2PermissionGrant);
      else {
        const id = path.split('/')[2];
        const i = grants.findIndex((g) => g.id === id);
        if (i >= 0) {
          if (w.method === 'DELETE') grants.splice(i, 1);
          else grants[i] = mergePatch(grants[i] as unknown as Record<string, unknown>, body ?? {}) as unknown as GraphOAuth2PermissionGrant;
        }
      }
    }
  };

  for (const round of rounds(thePlan.writes)) {
    const prepared = round.map((w) => {
      const path = substitute(w.path, vars);
      const body = w.body ? (substituteDeep(w.body, vars) as Record<string, unknown>) : undefined;
      const idempotent = w.method !== 'POST';
      return { w, path, body, idempotent, lagRetry: createdThisRun };
    });
    for (const p of prepared) emit({ type: 'started', key: p.w.key, summary: p.w.summary, method: p.w.method, path: p.path });
    for (const p of prepared) emit({ type: 'request', key: p.w.key, summary: p.w.summary, method: p.w.method, path: p.path });
    const answers = new Map<string, { status: number; body: unknown }>();
    try {
      if (prepared.length === 1) {
        const p = prepared[0]!;
        const r: GraphResponse = await graph.request(p.w.method, p.path, p.body, {
          signal: opts.signal,
          idempotent: p.idempotent,
          lagRetry: p.lagRetry,
          headers: p.w.headers,
        });
        answers.set(p.w.key, { status: r.status, body: r.body });
      } else {
        const items: BatchItem[] = prepared.map((p) => ({
          id: p.w.key,
          method: p.w.method,
          url: p.path,
          body: p.body,
          headers: p.w.headers,
          idempotent: p.idempotent,
          lagRetry: p.lagRetry,
        }));
        for (const [k, v] of await graph.batch(items, { signal: opts.signal })) answers.set(k, { status: v.status, body: v.body });
      }
    } catch (e) {
      await saveJournal(false);
      const interrupted = e instanceof GraphRequestError && (e.kind === 'cancelled' || e.kind === 'network' || e.kind === 'timeout');
      if (!interrupted) {
        const reason = e instanceof Error ? e.message : String(e);
        for (const p of prepared) emit({ type: 'failed', key: p.w.key, summary: p.w.summary, method: p.w.method, path: p.path, reason });
        throw e;
      }
      // Ctrl-C or a dropped connection: Graph may have applied some of these writes (201/204 lost on the way back).
      // Read Graph again (a fresh signal: the run's own may be aborted) and report each write as applied or not.
      throw await reconcile(graph, opts, prep, prepared.map((p) => ({ w: p.w, path: p.path })), completed, e as GraphRequestError, emit);
    }
    let failure: GraphRequestError | null = null;
    for (const p of prepared) {
      let a = answers.get(p.w.key) ?? { status: 0, body: null };
      // The service principal already exists (made by a run that died before learning of it, or by the portal):
      // adopt it instead of failing.
      if (a.status === 409 && p.w.method === 'POST' && p.path === '/servicePrincipals' && vars.appId) {
        const sp = await graph.request<GraphServicePrincipal>('GET', `/servicePrincipals(appId='${vars.appId}')?$select=id,appId,displayName`, undefined, {
          signal: opts.signal,
          lagRetry: true,
        });
        if (sp.status === 200 && sp.body) a = { status: 201, body: sp.body };
      }
      if (a.status >= 200 && a.status < 300) {
        await acknowledge(p.w, p.path, p.body, a);
        completed.push(p.w.key);
        emit({ type: 'done', key: p.w.key, summary: p.w.summary, method: p.w.method, path: p.path, status: a.status });
      } else {
        const err = a.status === 0
          ? new GraphRequestError(`Graph gave no answer for ${p.w.method} ${p.path} in the batch.`, { kind: 'http', method: p.w.method, path: p.path })
          : httpError(p.w.method, p.path, a.status, a.body, graph.grantedScopes());
        failure ??= err;
        emit({ type: 'failed', key: p.w.key, summary: p.w.summary, method: p.w.method, path: p.path, status: a.status, reason: err.message });
      }
    }
    await saveJournal(false);
    if (failure) throw failure;
  }
  if (thePlan.writes.length || journal) await saveJournal(true);
  const result = audit(model, settings);
  return {
    ...result,
    observed: model,
    app: idsOf(model, uniqueName),
    foundBy,
    stats: { ...graph.stats },
    plan: thePlan,
    requests,
    writes: requests.length,
    scopeId,
    candidates: [],
    adoptable: false,
  };
}

/**
 * After an interruption: re-reads the tenant and plans again. A write of the interrupted round is applied when the
 * new plan no longer needs it (its key is gone); earlier rounds' writes were acknowledged. Emits done/failed.
 */
async function reconcile(
  graph: GraphAccess,
  opts: ApplyOptions,
  prep: Prepared,
  inFlight: Array<{ w: PlannedWrite; path: string }>,
  completed: string[],
  cause: GraphRequestError,
  emit: (e: ProgressEvent) => void,
): Promise<ApplyInterruptedError> {
  const cancelled = cause.kind === 'cancelled';
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('re-read timed out')), 20_000);
  let result: VerifyResult | null = null;
  let outcomes: WriteOutcome[];
  try {
    const app = prep.observed.application;
    const hint: AppHint = app?.id ? { objectId: app.id, appId: app.appId, recent: true } : { uniqueName: prep.uniqueName, displayName: opts.settings.displayName, recent: true };
    result = await verify(graph, { settings: opts.settings, tenantId: opts.tenantId, hint, readGrants: opts.readGrants, signal: ac.signal });
    const again = withTag(plan(result.observed, opts.settings, { newScopeId: prep.scopeId, uniqueName: result.app.uniqueName ?? prep.uniqueName }));
    const still = new Set(again.writes.map((w) => w.key));
    if (!isAssistantApp(result.observed.application) && result.observed.application) still.add('adopt-app');
    // Every write of the plan: acknowledged ones applied; those in flight applied when Graph no longer needs them;
    // those never sent not applied.
    outcomes = prep.plan.writes.map((w) => {
      const f = inFlight.find((x) => x.w.key === w.key);
      const applied = completed.includes(w.key) || (!!f && !still.has(w.key));
      return { key: w.key, summary: w.summary, method: w.method, path: f?.path ?? w.path, applied };
    });
  } catch {
    // Graph could not be read again: acknowledged writes are known, the rest are not.
    outcomes = prep.plan.writes.filter((w) => completed.includes(w.key)).map((w) => ({ key: w.key, summary: w.summary, method: w.method, path: w.path, applied: true }));
    result = null;
  } finally {
    clearTimeout(timer);
  }
  for (const f of inFlight) {
    const o = outcomes.find((x) => x.key === f.w.key);
    if (o?.applied) emit({ type: 'done', key: f.w.key, summary: f.w.summary, method: f.w.method, path: f.path, status: 0, reason: 'applied (confirmed by reading Graph again)' });
    else emit({ type: 'failed', key: f.w.key, summary: f.w.summary, method: f.w.method, path: f.path, reason: result ? 'not applied (confirmed by reading Graph again)' : `unknown: ${cause.message}` });
  }
  const what = cancelled ? 'Apply was cancelled' : 'The connection to Microsoft Graph was lost';
  const verified = result ? 'Graph was read again' : 'Graph could not be read again, so writes in flight are unknown';
  return new ApplyInterruptedError(`${what} part-way; ${verified}. Run apply again to finish: it reads the tenant first and writes only what is missing.`, cause, outcomes, result, cancelled);
}
