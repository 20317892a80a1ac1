// Sign-in and the live tenant (verify/apply) for the desktop app. Tokens stay in here: nothing returned
// from this module to the IPC layer carries one.
import os from 'node:os';
import path from 'node:path';
import type { AccountInfo } from '@azure/msal-node';
import { SignInClient, canReadGrants, checkTenant, graphScopes, signIn, type AccessPurpose, type TokenCacheStore } from '../auth';
import { loginHost } from '../core/clouds';
import type { IceValues, RunRecord, Settings, StepResult } from '../core/types';
import { GraphAccess } from '../graph/http';
import { apply, preview, verify } from '../graph/engine';
import { describePlan } from '../core/portal-changes';
import type { AccountView, DeviceCodeEvent, PlannedWriteView, ProgressEvent } from '../shared/ipc-contract';
import { openSiteForRun } from '../sites/cli-site';
import { AppError } from '../lib/errors';

export interface LiveDeps {
  cache: TokenCacheStore;
  dataDir: string;
  clientId?: string;
  onDeviceCode(e: DeviceCodeEvent): void;
  onProgress(e: ProgressEvent): void;
  openBrowser(url: string, extraHosts: string[]): Promise<void>;
}

interface Session {
  key: string;
  client: SignInClient;
  account: AccountInfo;
  tenantId: string;
  method: 'device-code' | 'browser';
}

function sessionKey(settings: Settings, tenant: string, clientId: string | undefined): string {
  return JSON.stringify([settings.cloud.loginUrl, settings.cloud.graphUrl, tenant.trim().toLowerCase(), clientId ?? '']);
}

export class LiveService {
  private session: Session | null = null;
  private signInAbort: AbortController | null = null;
  private readonly runs = new Map<string, AbortController>();
  /** The scope id the last preview of a site showed for a new scope: the apply the user confirms uses the same one. */
  private readonly previewScopeIds = new Map<string, string>();

  constructor(private readonly deps: LiveDeps) {}

  account(): AccountView | null {
    if (!this.session) return null;
    const a = this.session.account;
    const v: AccountView = { username: a.username, tenantId: this.session.tenantId };
    if (a.name) v.name = a.name;
    return v;
  }

  private client(settings: Settings, tenant: string): SignInClient {
    const key = sessionKey(settings, tenant, this.deps.clientId);
    if (this.session?.key === key) return this.session.client;
    return new SignInClient({ cloud: settings.cloud, tenant, ...(this.deps.clientId ? { clientId: this.deps.clientId } : {}), cache: this.deps.cache });
  }

  /** Gets a token provider for a purpose: silently when possible, else interactively with the chosen method. */
  private async token(settings: Settings, tenant: string, method: 'device-code' | 'browser', purpose: AccessPurpose) {
    const problem = checkTenant(tenant);
    if (problem) throw new AppError('input.invalid', problem, { fields: [{ field: 'tenant', message: problem }] });
    const client = this.client(settings, tenant);
    this.signInAbort?.abort();
    const abort = new AbortController();
    this.signInAbort = abort;
    try {
      const r = await signIn(client, graphScopes(settings.cloud, purpose), {
        method,
        ...(this.session?.account ? { user: this.session.account.username } : {}),
        signal: abort.signal,
        onDeviceCode: (info) =>
          this.deps.onDeviceCode({
            userCode: info.userCode,
            verificationUri: info.verificationUri,
            expiresAt: info.expiresAt.toISOString(),
            message: info.message,
          }),
        openBrowser: (url) => this.deps.openBrowser(url, [loginHost(settings.cloud)]),
      });
      this.session = {
        key: sessionKey(settings, tenant, this.deps.clientId),
        client,
        account: r.signedIn.account,
        tenantId: r.signedIn.tenantId,
        method,
      };
      return r;
    } finally {
      if (this.signInAbort === abort) this.signInAbort = null;
    }
  }

  async signIn(settings: Settings, tenant: string, method: 'device-code' | 'browser'): Promise<AccountView> {
    await this.token(settings, tenant, method, { action: 'verify' });
    return this.account()!;
  }

  cancelSignIn(): boolean {
    if (!this.signInAbort) return false;
    this.signInAbort.abort();
    return true;
  }

  async signOut(): Promise<void> {
    this.cancelSignIn();
    const s = this.session;
    this.session = null;
    if (s) await s.client.signOut().catch(() => undefined);
    await this.deps.cache.clear();
  }

  private requireSession(): Session {
    if (!this.session) throw new AppError('auth.required', 'Not signed in: sign in to the tenant first (Sign in, in the menu on the left).');
    return this.session;
  }

  async run(kind: 'verify' | 'apply', siteFile: string, settings: Settings, runId: string): Promise<RunRecord> {
    const s = this.requireSession();
    const site = await openSiteForRun(siteFile);
    const tenant = site.tenant ?? s.tenantId;
    const purpose: AccessPurpose = kind === 'verify' ? { action: 'verify' } : { action: 'apply', consent: settings.consent };
    const { getToken, signedIn } = await this.token(settings, tenant, s.method, purpose);
    const abort = new AbortController();
    this.runs.set(runId, abort);
    try {
      const graph = new GraphAccess({ graphUrl: settings.cloud.graphUrl, getToken });
      const base = { settings, tenantId: signedIn.tenantId, readGrants: canReadGrants(purpose), signal: abort.signal, ...(site.app ? { hint: site.app } : {}) };
      const at = () => new Date().toISOString();
      const by = signedIn.account.username || os.userInfo().username;
      if (kind === 'verify') {
        const r = await verify(graph, base);
        const run: RunRecord = { kind, at: at(), by, tenantId: signedIn.tenantId, app: { ...(r.app.objectId ? { objectId: r.app.objectId } : {}), ...(r.app.appId ? { appId: r.app.appId } : {}) }, steps: r.steps, values: r.values };
        await site.record({ ...run, app: { ...run.app, ...(r.app.uniqueName ? { uniqueName: r.app.uniqueName } : {}) } });
        return run;
      }
      const journalPath = this.journalPath(siteFile);
      const newScopeId = this.previewScopeIds.get(siteFile) ?? site.scopeId;
      const r = await apply(graph, {
        ...base,
        journalPath,
        ...(newScopeId ? { newScopeId } : {}),
        onProgress: (e) =>
          this.deps.onProgress({
            runId,
            key: e.key,
            phase: e.type,
            summary: e.summary,
            method: e.method,
            path: e.path,
            ...(e.status !== undefined ? { status: e.status } : {}),
            ...(e.reason ? { reason: e.reason } : {}),
          }),
      });
      const run: RunRecord = {
        kind,
        at: at(),
        by,
        tenantId: signedIn.tenantId,
        app: { ...(r.app.objectId ? { objectId: r.app.objectId } : {}), ...(r.app.appId ? { appId: r.app.appId } : {}) },
        steps: r.steps,
        values: r.values,
        requests: r.requests,
      };
      this.previewScopeIds.delete(siteFile);
      await site.record({ ...run, app: { ...run.app, ...(r.app.uniqueName ? { uniqueName: r.app.uniqueName } : {}) } });
      return run;
    } finally {
      this.runs.delete(runId);
    }
  }

  /** What apply would write now: reads the tenant with the read-only sign-in and plans; no write, no journal entry. */
  async preview(siteFile: string, settings: Settings): Promise<{ writes: PlannedWriteView[]; steps: StepResult[]; values: IceValues; requests: number; appId?: string }> {
    const s = this.requireSession();
    const site = await openSiteForRun(siteFile);
    const tenant = site.tenant ?? s.tenantId;
    const { getToken, signedIn } = await this.token(settings, tenant, s.method, { action: 'verify' });
    const graph = new GraphAccess({ graphUrl: settings.cloud.graphUrl, getToken });
    const r = await preview(graph, {
      settings,
      tenantId: signedIn.tenantId,
      // Plan exactly as apply will: it reads consent grants only when it may write them.
      readGrants: canReadGrants({ action: 'apply', consent: settings.consent }),
      journalPath: this.journalPath(siteFile),
      ...(site.app ? { hint: site.app } : {}),
      ...(site.scopeId ? { newScopeId: site.scopeId } : {}),
    });
    this.previewScopeIds.set(siteFile, r.scopeId);
    // The same writes in the portal's words (blade › setting: add/remove …), for the confirmation dialog.
    const portal = describePlan(r.plan.writes, {
      application: r.observed.application,
      displayName: r.observed.application?.displayName || settings.displayName,
      grants: r.observed.grants ?? null,
      ...(r.observed.graphServicePrincipalId ? { graphServicePrincipalId: r.observed.graphServicePrincipalId } : {}),
    });
    const writes = r.writes.map(({ key, method, path: p, summary, body, headers, placeholders }, i): PlannedWriteView => ({
      key,
      method,
      path: p,
      summary,
      placeholders,
      ...(portal[i] ? { portal: portal[i] } : {}),
      ...(body ? { body } : {}),
      ...(headers ? { headers } : {}),
    }));
    return { writes, steps: r.steps, values: r.values, requests: r.stats.graphRequests, ...(r.app.appId ? { appId: r.app.appId } : {}) };
  }

  private journalPath(siteFile: string): string {
    return path.join(this.deps.dataDir, 'journals', `${path.basename(siteFile)}.journal.json`);
  }

  cancelRun(runId: string): boolean {
    const a = this.runs.get(runId);
    if (!a) return false;
    a.abort();
    return true;
  }
}
