// Sign-in and the live tenant (verify/apply/preview) for the desktop app: the IPC adapter over ops/ (one sign-in
// owner for the window, the tenant operations, recordRun). Tokens stay in ops/session: nothing returned from
// here to the IPC layer carries one.
import path from 'node:path';
import type { TokenCacheStore } from '../auth/cache';
import { CloudNotTrustedError, cloudTrust, type CloudTrustStore } from '../auth/cloud-trust';
import type { AccessPurpose } from '../auth/scopes';
import { checkTenant } from '../auth/signin';
import { loginHost } from '../core/clouds';
import { describePlan } from '../core/portal-changes';
import type { GraphApplication, RunRecord, Settings } from '../core/types';
import { ApplyInterruptedError, WriteRefusedError, type PreviewResult } from '../graph/engine';
import { APP_SELECT, isAssistantApp, type AppHint, type Candidate } from '../graph/read';
import { AppError } from '../lib/errors';
import { isGuid } from '../shared/ids';
import { SignIns, type Session } from '../ops/session';
import { recordRun, type LoadedSite } from '../ops/site';
import { applyTenant, interruptedRunOutcome, previewApply, tenantRunOutcome, verifyTenant, type RunTarget } from '../ops/tenant';
import type { AccountView, CandidateView, DeviceCodeEvent, PlannedWriteView, ProgressEvent, RegistrationView } from '../shared/ipc-contract';

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

export class LiveService {
  private readonly signIns: SignIns;
  private readonly runs = new Map<string, AbortController>();
  /** The scope id the last preview of a site showed for a new scope: the apply the user confirms uses the same one. */
  private readonly previewScopeIds = new Map<string, string>();
  /** Registrations the user adopted in this session, by site file (client id): apply writes to it and adds the tag. */
  private readonly adopted = new Map<string, string>();

  constructor(private readonly deps: LiveDeps) {
    this.signIns = new SignIns({
      cache: deps.cache,
      ...(deps.clientId ? { clientId: deps.clientId } : {}),
      // `why`: a silent request refused for missing consent (AADSTS65001) makes this sign-in the place where an
      // administrator consents; the screen says so in its own words.
      onDeviceCode: (info, cloud, why) =>
        deps.onDeviceCode({
          userCode: info.userCode,
          verificationUri: info.verificationUri,
          expiresAt: info.expiresAt.toISOString(),
          message: info.message,
          loginHost: loginHost(cloud),
          reason: why.reason,
          permissions: why.permissions,
        }),
      // The configured cloud's login host is allowed for this sign-in only (never from the renderer).
      openBrowser: (url, cloud) => deps.openBrowser(url, [loginHost(cloud)]),
    });
  }

  account(): AccountView | null {
    const a = this.signIns.account();
    return a ? { username: a.username, tenantId: a.tenantId, ...(a.name ? { name: a.name } : {}) } : null;
  }

  /** Every site is a file: its cloud is used only when it is Microsoft's, or this machine created or confirmed it. */
  private async checkCloud(settings: Settings): Promise<void> {
    const trust = await cloudTrust(settings.cloud, true, this.deps.cloudTrust);
    if (!trust.trusted) {
      throw new CloudNotTrustedError(
        trust.hosts,
        `This site signs in at ${trust.hosts.login} (Microsoft Graph at ${trust.hosts.graph}), which is not a Microsoft cloud, and it was not created on this computer. Nothing was sent: confirm these hosts to sign in.`,
      );
    }
  }

  /** The sign-in client for a site: the one it names (sites set --client-id), else ICE_SSO_CLIENT_ID, else the default. */
  private clientIdFor(site: Pick<LoadedSite, 'clientId'>): { clientId?: string } {
    const clientId = site.clientId ?? this.deps.clientId;
    return clientId ? { clientId } : {};
  }

  async signIn(site: LoadedSite, settings: Settings, tenant: string, method: 'device-code' | 'browser', opts: { trustCloud?: boolean } = {}): Promise<AccountView> {
    const problem = checkTenant(tenant);
    if (problem) throw new AppError('input.invalid', problem, { fields: [{ field: 'tenant', message: problem }] });
    if (opts.trustCloud) await this.deps.cloudTrust.trust(settings.cloud, 'confirmed');
    await this.checkCloud(settings);
    await this.signIns.open({ cloud: settings.cloud, tenant, purpose: { action: 'verify' }, method, ...this.clientIdFor(site) });
    return this.account()!;
  }

  cancelSignIn(): boolean {
    return this.signIns.cancelSignIn();
  }

  signOut(): Promise<void> {
    return this.signIns.signOut();
  }

  /** A session for the site's tenant with the permissions `purpose` needs (silently after the first sign-in). */
  private async session(site: LoadedSite, settings: Settings, purpose: AccessPurpose): Promise<Session> {
    const a = this.signIns.account();
    if (!a) throw new AppError('auth.required', 'Not signed in: sign in to the tenant first (Sign in, in the menu on the left).');
    await this.checkCloud(settings);
    return this.signIns.open({ cloud: settings.cloud, tenant: site.tenant ?? a.tenantId, purpose, method: a.method, user: a.username, ...this.clientIdFor(site) });
  }

  /** What to run on: the registration adopted in this session, else the site's recorded ids (which get no trust of their own). */
  private target(site: LoadedSite, settings: Settings, scopeId?: string): RunTarget {
    const adopted = this.adopted.get(site.file);
    const hint: AppHint = adopted ? { appId: adopted } : site.hint;
    return { settings, hint, adopt: !!adopted, journalPath: this.journalPath(site.file), ...(scopeId ? { scopeId } : {}) };
  }

  async run(kind: 'verify' | 'apply', site: LoadedSite, settings: Settings, runId: string): Promise<RunRecord & { candidates?: CandidateView[] }> {
    const purpose: AccessPurpose = kind === 'verify' ? { action: 'verify' } : { action: 'apply', consent: settings.consent };
    const session = await this.session(site, settings, purpose);
    const abort = new AbortController();
    this.runs.set(runId, abort);
    try {
      if (kind === 'verify') {
        const r = await verifyTenant({ session, signal: abort.signal }, this.target(site, settings));
        const run = await recordRun(site, tenantRunOutcome('verify', session, r));
        return r.candidates.length ? { ...run, candidates: candidateViews(r.candidates) } : run;
      }
      const onProgress = (e: Parameters<NonNullable<Parameters<typeof applyTenant>[0]['onProgress']>>[0]) =>
        this.deps.onProgress({
          runId,
          key: e.key,
          phase: e.type,
          summary: e.summary,
          method: e.method,
          path: e.path,
          ...(e.status !== undefined ? { status: e.status } : {}),
          ...(e.reason ? { reason: e.reason } : {}),
        });
      const r = await appWords(site, session.username, session.tenantId, () =>
        applyTenant({ session, signal: abort.signal, onProgress }, this.target(site, settings, this.previewScopeIds.get(site.file) ?? site.scopeId)),
      );
      this.previewScopeIds.delete(site.file);
      this.adopted.delete(site.file);
      return await recordRun(site, tenantRunOutcome('apply', session, r));
    } finally {
      this.runs.delete(runId);
    }
  }

  /** What apply would write now: reads the tenant with the read-only sign-in and plans; no write, no journal entry. */
  async preview(site: LoadedSite, settings: Settings): Promise<{ writes: PlannedWriteView[]; result: PreviewResult }> {
    const session = await this.session(site, settings, { action: 'verify' });
    const r = await appWords(null, session.username, session.tenantId, () => previewApply({ session }, this.target(site, settings, site.scopeId)));
    this.previewScopeIds.set(site.file, r.scopeId);
    // The same writes in the portal's words (blade › setting: add/remove …), for the confirmation dialog.
    // Described from the writes as previewed (ids filled in where known, the adoption tag included).
    const portal = describePlan(r.writes, {
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
    return { writes, result: r };
  }

  /** Reads one registration by client id (read-only permissions): what the adoption confirmation names. */
  async lookupApp(site: LoadedSite, settings: Settings, appId: string): Promise<RegistrationView> {
    if (!isGuid(appId.trim())) {
      const message = `"${appId}" is not a client id: paste the registration's "Application (client) ID", a GUID.`;
      throw new AppError('input.invalid', message, { fields: [{ field: 'appId', message }] });
    }
    const session = await this.session(site, settings, { action: 'verify' });
    const r = await session.graph.call<GraphApplication & { createdDateTime?: string | null }>('GET', `/applications(appId='${appId.trim()}')?$select=${APP_SELECT}`, undefined, {}, [404]);
    if (r.status === 404 || !r.body?.id) {
      const message = `No app registration with client id ${appId.trim()} in this tenant: check the id (Entra admin center > App registrations > Application (client) ID).`;
      throw new AppError('input.invalid', message, { fields: [{ field: 'appId', message }] });
    }
    return { appId: r.body.appId ?? appId, objectId: r.body.id, displayName: r.body.displayName ?? '', createdDateTime: r.body.createdDateTime ?? null, ours: isAssistantApp(r.body) };
  }

  /** The user confirmed the registration: this site works on it for this session (apply adds the tag first). */
  async adopt(site: LoadedSite, settings: Settings, appId: string): Promise<RegistrationView> {
    const reg = await this.lookupApp(site, settings, appId);
    this.adopted.set(site.file, reg.appId);
    this.previewScopeIds.delete(site.file);
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

/**
 * Engine refusals and interruptions in the app's words (codes kept). An apply stopped by Cancel or a lost
 * connection was read again: each write is reported applied or not, and the run is recorded in the site.
 */
async function appWords<T>(site: LoadedSite | null, by: string, tenantId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof WriteRefusedError) {
      if (e.reason === 'candidates') {
        const names = e.candidates.map((c) => `"${c.displayName || '(no name)'}" (client id ${c.appId})`).join(', ');
        throw new AppError(
          'usage',
          `Nothing was written. No registration made by ICE SSO Assistant was found, but ${e.candidates.length === 1 ? 'one looks' : 'these look'} like ICE's: ${names}. ` +
            'Run Verify, then choose it under "Use an existing registration" so the assistant repairs it instead of creating a second one.',
        );
      }
      const t = e.target;
      throw new AppError(
        'usage',
        `Nothing was written. The site points at "${t?.displayName ?? '(no name)'}" (client id ${t?.appId ?? '?'}), which ICE SSO Assistant did not make. ` +
          "If it is the customer's ICE registration, choose it under \"Use an existing registration\" (paste its client id) and confirm; otherwise correct the site.",
      );
    }
    if (e instanceof ApplyInterruptedError) {
      const lines = e.outcomes.map((o) => `${o.applied ? 'applied' : 'not applied'}: ${o.summary}`);
      const outcome = interruptedRunOutcome({ username: by, tenantId }, e);
      if (outcome && site) await recordRun(site, outcome).catch(() => undefined);
      throw new AppError(e.cancelled ? 'cancelled' : 'graph.network', `${e.message.replace(/Run apply again/, 'Apply again')}\n${lines.join('\n')}`);
    }
    throw e;
  }
}
