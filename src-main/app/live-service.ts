// Sign-in and the live tenant (verify/apply) for the desktop app. Tokens stay in here: nothing returned
// from this module to the IPC layer carries one.
import os from 'node:os';
import path from 'node:path';
import type { AccountInfo } from '@azure/msal-node';
import { SignInClient, checkTenant, graphScopes, signIn, type AccessPurpose, type TokenCacheStore } from '../auth';
import { loginHost } from '../core/clouds';
import { CloudNotTrustedError, cloudTrust, type CloudTrustStore } from '../auth/cloud-trust';
import type { IceValues, RunRecord, Settings, StepResult } from '../core/types';
import { GraphAccess } from '../graph/http';
import { ApplyInterruptedError, WriteRefusedError, apply, preview, verify } from '../graph/engine';
import { APP_SELECT, isAssistantApp, type Candidate } from '../graph/read';
import { isGuid } from '../lib/ids';
import type { GraphApplication } from '../core/types';
import type { AccountView, CandidateView, DeviceCodeEvent, PlannedWriteView, ProgressEvent, RegistrationView } from '../shared/ipc-contract';
import { openSiteForRun } from '../sites/cli-site';
import { UserError } from './sites-service';

export interface LiveDeps {
  cache: TokenCacheStore;
  /** Clouds this machine trusts (issue 8): sign-in never reaches an untrusted cloud from a site file. */
  cloudTrust: CloudTrustStore;
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
  /** The sign-in client id the open site stores (else ICE_SSO_CLIENT_ID, else the default client). */
  private siteClientId: string | undefined;

  /** The site being worked on names its sign-in client: used by the next sign-in, run and preview. */
  useSiteClient(clientId: string | undefined): void {
    this.siteClientId = clientId;
  }

  private clientId(): string | undefined {
    return this.siteClientId ?? this.deps.clientId;
  }

  /** Registrations the user adopted in this session, by site file (client id): apply writes to it and adds the tag. */
  private readonly adopted = new Map<string, string>();

  constructor(private readonly deps: LiveDeps) {}

  account(): AccountView | null {
    if (!this.session) return null;
    const a = this.session.account;
    const v: AccountView = { username: a.username, tenantId: this.session.tenantId };
    if (a.name) v.name = a.name;
    return v;
  }

  private client(settings: Settings, tenant: string): SignInClient {
    const key = sessionKey(settings, tenant, this.clientId());
    if (this.session?.key === key) return this.session.client;
    const clientId = this.clientId();
    return new SignInClient({ cloud: settings.cloud, tenant, ...(clientId ? { clientId } : {}), cache: this.deps.cache });
  }

  /** Gets a token provider for a purpose: silently when possible, else interactively with the chosen method. */
  private async token(settings: Settings, tenant: string, method: 'device-code' | 'browser', purpose: AccessPurpose, extra: string[] = []) {
    const problem = checkTenant(tenant);
    if (problem) throw new UserError(problem);
    // Every site is a file: its cloud is used only when it is Microsoft's, or this machine created or confirmed it.
    const trust = await cloudTrust(settings.cloud, true, this.deps.cloudTrust);
    if (!trust.trusted) {
      throw new CloudNotTrustedError(trust.hosts, `This site signs in at ${trust.hosts.login} (Microsoft Graph at ${trust.hosts.graph}), which is not a Microsoft cloud, and it was not created on this computer. Nothing was sent: confirm these hosts to sign in.`);
    }
    const client = this.client(settings, tenant);
    this.signInAbort?.abort();
    const abort = new AbortController();
    this.signInAbort = abort;
    const base = settings.cloud.graphUrl.replace(/\/+$/, '');
    const scopes = [...graphScopes(settings.cloud, purpose), ...extra.map((p) => `${base}/${p}`)];
    let why: { reason: 'consent' | 'sign-in'; permissions: string[] } = { reason: 'sign-in', permissions: [] };
    try {
      const r = await signIn(client, scopes, {
        method,
        ...(this.session?.account ? { user: this.session.account.username } : {}),
        signal: abort.signal,
        // A silent request refused for missing consent (AADSTS65001): the interactive sign-in that follows is where an
        // administrator consents. The screen says so in its own words.
        onInteractive: (e) => (why = { reason: e.reason, permissions: e.scopes.map((x) => x.replace(/^.*\//, '')) }),
        onDeviceCode: (info) =>
          this.deps.onDeviceCode({
            userCode: info.userCode,
            verificationUri: info.verificationUri,
            expiresAt: info.expiresAt.toISOString(),
            message: info.message,
            loginHost: loginHost(settings.cloud),
            reason: why.reason,
            permissions: why.permissions,
          }),
        openBrowser: (url) => this.deps.openBrowser(url, [loginHost(settings.cloud)]),
      });
      this.session = {
        key: sessionKey(settings, tenant, this.clientId()),
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

  async signIn(settings: Settings, tenant: string, method: 'device-code' | 'browser', opts: { trustCloud?: boolean } = {}): Promise<AccountView> {
    if (opts.trustCloud) await this.deps.cloudTrust.trust(settings.cloud, 'confirmed');
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
    if (!this.session) throw new UserError('Not signed in: sign in to the tenant first (Sign in, in the menu on the left).');
    return this.session;
  }

  /**
   * Engine refusals and interruptions in the app's words. An apply stopped by Cancel or a lost connection was read
   * again: each write is reported applied or not, and the run is recorded in the site.
   */
  private async appWords<T>(
    by: string,
    tenantId: string,
    site: { record(run: Omit<RunRecord, 'app'> & { app?: { objectId?: string; appId?: string; uniqueName?: string } }): Promise<void> },
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof WriteRefusedError) {
        if (e.reason === 'candidates') {
          const names = e.candidates.map((c) => `"${c.displayName || '(no name)'}" (client id ${c.appId})`).join(', ');
          throw new UserError(
            `Nothing was written. No registration made by ICE SSO Assistant was found, but ${e.candidates.length === 1 ? 'one looks' : 'these look'} like ICE's: ${names}. ` +
              'Run Verify, then choose it under "Use an existing registration" so the assistant repairs it instead of creating a second one.',
          );
        }
        const t = e.target;
        throw new UserError(
          `Nothing was written. The site points at "${t?.displayName ?? '(no name)'}" (client id ${t?.appId ?? '?'}), which ICE SSO Assistant did not make. ` +
            'If it is the customer\'s ICE registration, choose it under "Use an existing registration" (paste its client id) and confirm; otherwise correct the site.',
        );
      }
      if (e instanceof ApplyInterruptedError) {
        const lines = e.outcomes.map((o) => `${o.applied ? 'applied' : 'not applied'}: ${o.summary}`);
        if (e.result) {
          await site
            .record({
              kind: 'apply',
              at: new Date().toISOString(),
              by,
              tenantId,
              app: { ...(e.result.app.objectId ? { objectId: e.result.app.objectId } : {}), ...(e.result.app.appId ? { appId: e.result.app.appId } : {}) },
              steps: e.result.steps,
              values: e.result.values,
            })
            .catch(() => undefined);
        }
        throw new UserError(`${e.message.replace(/Run apply again/, 'Apply again')}\n${lines.join('\n')}`);
      }
      throw e;
    }
  }

  /** The app to work on: the one adopted in this session, else the site's recorded ids (which get no trust of their own). */
  private hintFor(siteFile: string, site: { app?: { objectId?: string; appId?: string; uniqueName?: string } }) {
    const adopted = this.adopted.get(siteFile);
    if (adopted) return { hint: { appId: adopted }, adopt: true };
    return { ...(site.app ? { hint: site.app } : {}), adopt: false };
  }

  async run(kind: 'verify' | 'apply', siteFile: string, settings: Settings, runId: string): Promise<RunRecord & { candidates?: CandidateView[] }> {
    const s = this.requireSession();
    const site = await openSiteForRun(siteFile);
    const tenant = site.tenant ?? s.tenantId;
    const purpose: AccessPurpose = kind === 'verify' ? { action: 'verify' } : { action: 'apply', consent: settings.consent };
    let { getToken, signedIn } = await this.token(settings, tenant, s.method, purpose);
    const abort = new AbortController();
    this.runs.set(runId, abort);
    try {
      const graph = new GraphAccess({ graphUrl: settings.cloud.graphUrl, getToken: () => getToken() });
      const base = { settings, tenantId: signedIn.tenantId, readGrants: true, signal: abort.signal, ...this.hintFor(siteFile, site) };
      const at = () => new Date().toISOString();
      const by = signedIn.account.username || os.userInfo().username;
      if (kind === 'verify') {
        const r = await verify(graph, base);
        const run: RunRecord = { kind, at: at(), by, tenantId: signedIn.tenantId, app: { ...(r.app.objectId ? { objectId: r.app.objectId } : {}), ...(r.app.appId ? { appId: r.app.appId } : {}) }, steps: r.steps, values: r.values };
        await site.record({ ...run, app: { ...run.app, ...(r.app.uniqueName ? { uniqueName: r.app.uniqueName } : {}) } });
        return r.candidates.length ? { ...run, candidates: candidateViews(r.candidates) } : run;
      }
      const journalPath = this.journalPath(siteFile);
      const newScopeId = this.previewScopeIds.get(siteFile) ?? site.scopeId;
      const r = await this.appWords(by, signedIn.tenantId, site, () => apply(graph, {
        ...base,
        // Revoking a leftover Microsoft Graph grant needs the grant-write permission: asked for now (a consent step-up
        // when not yet consented), never before it is needed.
        requirePermissions: async (perms) => {
          const more = await this.token(settings, tenant, s.method, purpose, perms);
          getToken = more.getToken;
          signedIn = more.signedIn;
        },
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
      }));
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
      this.adopted.delete(siteFile);
      await site.record({ ...run, app: { ...run.app, ...(r.app.uniqueName ? { uniqueName: r.app.uniqueName } : {}) } });
      return run;
    } finally {
      this.runs.delete(runId);
    }
  }

  /** What apply would write now: reads the tenant with the read-only sign-in and plans; no write, no journal entry. */
  async preview(
    siteFile: string,
    settings: Settings,
  ): Promise<{ writes: PlannedWriteView[]; steps: StepResult[]; values: IceValues; requests: number; appId?: string; target?: { displayName: string; appId: string } }> {
    const s = this.requireSession();
    const site = await openSiteForRun(siteFile);
    const tenant = site.tenant ?? s.tenantId;
    const { getToken, signedIn } = await this.token(settings, tenant, s.method, { action: 'verify' });
    const graph = new GraphAccess({ graphUrl: settings.cloud.graphUrl, getToken });
    const r = await this.appWords('', signedIn.tenantId, { record: async () => undefined }, () => preview(graph, {
      settings,
      tenantId: signedIn.tenantId,
      readGrants: true,
      journalPath: this.journalPath(siteFile),
      ...this.hintFor(siteFile, site),
      ...(site.scopeId ? { newScopeId: site.scopeId } : {}),
    }));
    this.previewScopeIds.set(siteFile, r.scopeId);
    const writes = r.writes.map(({ key, method, path: p, summary, body, headers, placeholders }): PlannedWriteView => ({
      key,
      method,
      path: p,
      summary,
      placeholders,
      ...(body ? { body } : {}),
      ...(headers ? { headers } : {}),
    }));
    const a = r.observed.application;
    return {
      writes,
      steps: r.steps,
      values: r.values,
      requests: r.stats.graphRequests,
      ...(r.app.appId ? { appId: r.app.appId } : {}),
      ...(a?.appId ? { target: { displayName: a.displayName ?? '', appId: a.appId } } : {}),
    };
  }

  /** Reads one registration by client id (read-only permissions): what the adoption confirmation names. */
  async lookupApp(siteFile: string, settings: Settings, appId: string): Promise<RegistrationView> {
    if (!isGuid(appId.trim())) throw new UserError(`"${appId}" is not a client id: paste the registration's "Application (client) ID", a GUID.`);
    const s = this.requireSession();
    const site = await openSiteForRun(siteFile);
    const { getToken } = await this.token(settings, site.tenant ?? s.tenantId, s.method, { action: 'verify' });
    const graph = new GraphAccess({ graphUrl: settings.cloud.graphUrl, getToken });
    const r = await graph.call<GraphApplication & { createdDateTime?: string | null }>('GET', `/applications(appId='${appId.trim()}')?$select=${APP_SELECT}`, undefined, {}, [404]);
    if (r.status === 404 || !r.body?.id) throw new UserError(`No app registration with client id ${appId.trim()} in this tenant: check the id (Entra admin center > App registrations > Application (client) ID).`);
    return { appId: r.body.appId ?? appId, objectId: r.body.id, displayName: r.body.displayName ?? '', createdDateTime: r.body.createdDateTime ?? null, ours: isAssistantApp(r.body) };
  }

  /** The user confirmed the registration: this site works on it for this session (apply adds the tag first). */
  async adopt(siteFile: string, settings: Settings, appId: string): Promise<RegistrationView> {
    const reg = await this.lookupApp(siteFile, settings, appId);
    this.adopted.set(siteFile, reg.appId);
    this.previewScopeIds.delete(siteFile);
    return reg;
  }

  private journalPath(siteFile: string): string {
    // (one journal per site; an adopted registration is found by its ids, not by the journal)
    return path.join(this.deps.dataDir, 'journals', `${path.basename(siteFile)}.journal.json`);
  }

  cancelRun(runId: string): boolean {
    const a = this.runs.get(runId);
    if (!a) return false;
    a.abort();
    return true;
  }
}

function candidateViews(c: Candidate[]): CandidateView[] {
  return c.map(({ appId, objectId, displayName, createdDateTime, details }) => ({ appId, objectId, displayName, createdDateTime, details }));
}
