// The services behind every IPC channel: validated request (the dispatcher checked it against the contract)
// -> operation (ops/) -> view. Plain TypeScript, no Electron: main registers them behind the trusted-sender
// check, and the e2e harness calls the very same functions. Failures are thrown (AppError with a code).
import os from 'node:os';
import path from 'node:path';
import { normaliseHost, parseSettings } from '../core/settings';
import { checkTenant } from '../auth';
import { assertReady, BundleRefused, bundleFileName, runForBundle } from '../bundle/build';
import { existingBundle } from '../bundle/export';
import { trustExplanation } from '../bundle/flows';
import { getOrCreateSigningKey, minisignKeyIdText, parsePublicKeyText, publicKeyPem } from '../bundle/keys';
import { minisignPublicKeyBase64 } from '../bundle/minisign';
import { siteReadiness } from '../bundle/readiness';
import { TrustStore, type TrustedKey } from '../bundle/trust';
import type { VerifyReport } from '../bundle/verify';
import type { Settings } from '../core/types';
import { exportSiteBundle } from '../ops/export';
import { looksLikeBundle, readReviewFile, reviewBytes, type ReviewContext, type ReviewOutcome } from '../ops/review';
import { checkServers } from '../ops/server-check';
import { settingsOf, siteFromDocument, type LoadedSite } from '../ops/site';
import type { CloudView, EventName, HostPreview, IpcEvents, ReadinessView, ReviewView, SettingsDraft, SignatureReport, TrustedKeyView } from '../shared/ipc-contract';
import { CloudTrustStore, cloudHosts, microsoftCloudName } from '../auth/cloud-trust';
import type { Dialogs } from './dialogs';
import type { Handlers } from './dispatch';
import { buildChecklistView } from './checklist-view';
import { defaultDraft, draftToInput } from './draft';
import { SecretKeyStore } from './keystore';
import { LiveService } from './live-service';
import { ProofService } from './proof-service';
import type { SignInWindow } from '../auth/proof-window';
import { tokenCacheStore, withEncryptFallback, type SecretBox } from './secrets';
import { SitesService, checkSiteName } from './sites-service';
import { AppError } from '../lib/errors';

export interface AppServiceDeps {
  /** Folder of saved sites. */
  sitesDir: string;
  /** The app's private data folder (encrypted token cache, signing key, apply journals). */
  dataDir: string;
  dialogs: Dialogs;
  secretBox: SecretBox;
  version: string;
  platform: string;
  emit<E extends EventName>(name: E, payload: IpcEvents[E]): void;
  /** Opens an allow-listed https URL in the system browser (main checks the allow-list again). */
  openExternal(url: string, extraHosts?: string[]): Promise<void>;
  writeClipboard(text: string): void;
  /** Client id the app signs in with (default: the auth module's). */
  clientId?: string;
  /** Opens the "Prove sign-in" window (main: a sandboxed BrowserWindow without preload). */
  openSignInWindow?: () => SignInWindow;
}

const cancelled = () => new AppError('cancelled', 'Cancelled.');

export function hostsPreview(draft: SettingsDraft): HostPreview[] {
  return draft.hosts
    .filter((h) => h.trim() !== '')
    .map((input) => {
      try {
        return { input, uri: normaliseHost(input) };
      } catch (e) {
        return { input, uri: null, error: (e as Error).message };
      }
    });
}

function tenantErrors(tenant: string | undefined) {
  if (tenant === undefined || tenant.trim() === '') return [];
  const p = checkTenant(tenant);
  return p ? [{ field: 'tenant', message: p }] : [];
}

/** A bundle's verification report as the screens show it. */
export function signatureReport(r: VerifyReport): SignatureReport {
  const out: SignatureReport = {
    verdict: r.verdict,
    valid: r.verdict === 'VALID',
    explanation: trustExplanation(r, { trustCommand: 'Trust a key, below' }).map((l) => l.replace(/`keys show`/g, 'keys show')),
    problems: r.problems.map((p) => p.message),
    warnings: r.warnings,
  };
  if (r.signer?.fingerprint) {
    out.fingerprint = r.signer.fingerprint;
    out.keyId = r.signer.keyId;
  }
  if (r.complete !== undefined) out.complete = r.complete;
  if (r.failing) out.failing = r.failing;
  if (r.summary?.createdBy) out.signedBy = r.summary.createdBy;
  if (r.summary?.createdAt) out.signedAt = r.summary.createdAt;
  return out;
}

/** An offline review as the Review screen shows it. */
export function reviewView(r: ReviewOutcome): ReviewView {
  return {
    source: r.source,
    file: r.file,
    title: r.title,
    ...(r.bundle ? { signature: signatureReport(r.bundle) } : {}),
    checklist: buildChecklistView(r.steps, r.values, r.cloud, r.appId, ...(r.notRunReason ? [r.notRunReason] : [])),
    ...(r.settings ? { settings: r.settings } : {}),
  };
}

const trustedView = (k: TrustedKey): TrustedKeyView => ({ fingerprint: k.fingerprint, keyId: k.keyId, addedAt: k.addedAt, source: k.source, ...(k.name ? { name: k.name } : {}) });

/** A bundle refusal as the screen says it (capitalised: it starts the sentence). */
function capitalised(e: BundleRefused): BundleRefused {
  e.message = e.message.charAt(0).toUpperCase() + e.message.slice(1);
  return e;
}

export function createAppServices(deps: AppServiceDeps): Handlers & { live: LiveService; sites: SitesService } {
  const sites = new SitesService(deps.sitesDir);
  // Encryption that claims to work but fails turns into memory-only (with the basic_text notice), not a failed sign-in.
  const secretBox = withEncryptFallback(deps.secretBox);
  const keyStore = new SecretKeyStore(secretBox, path.join(deps.dataDir, 'bundle-signing-key.enc'));
  const trust = TrustStore.inDir(deps.dataDir);
  /** The bundle last opened in Review (re-checked when the trusted keys change). */
  let lastBundle: { bytes: Buffer; file: string } | null = null;
  /** Where the last export wanted to write, when that file existed: `replace: true` uses it, never a renderer path. */
  let pendingReplace: { siteId: string; path: string } | null = null;
  const trustStore = new CloudTrustStore(deps.dataDir);
  async function cloudView(settings: Settings): Promise<CloudView> {
    return { ...cloudHosts(settings.cloud), microsoft: microsoftCloudName(settings.cloud), trusted: await trustStore.isTrusted(settings.cloud) };
  }
  const live = new LiveService({
    cloudTrust: trustStore,
    cache: tokenCacheStore(secretBox, path.join(deps.dataDir, 'msal-cache.enc')),
    dataDir: deps.dataDir,
    ...(deps.clientId ? { clientId: deps.clientId } : {}),
    onDeviceCode: (e) => deps.emit('auth.deviceCode', e),
    onProgress: (e) => deps.emit('live.progress', e),
    openBrowser: (url, extraHosts) => deps.openExternal(url, extraHosts),
  });

  const proof = new ProofService({
    ...(deps.openSignInWindow ? { openSignInWindow: deps.openSignInWindow } : {}),
    openBrowser: (url, extraHosts) => deps.openExternal(url, extraHosts),
  });
  const proofBy = () => live.account()?.username;

  /** A saved site by id, loaded once, with its settings validated (or refused, saying where to fix them). */
  async function openSite(id: string): Promise<{ site: LoadedSite; settings: Settings }> {
    const { file, site: doc } = await sites.load(id);
    const site = siteFromDocument(file, doc);
    return { site, settings: settingsOf(site, 'fix them on the Setup page') };
  }

  const handlers: Handlers = {
    async 'app.info'() {
      return { version: deps.version, platform: deps.platform, secretStorage: await secretBox.status() };
    },
    async 'app.openExternal'({ url }) {
      await deps.openExternal(url);
      return {};
    },
    async 'app.copyText'({ text }) {
      deps.writeClipboard(text);
      return {};
    },

    async 'settings.defaults'() {
      return { draft: defaultDraft() };
    },
    async 'settings.validate'({ draft }) {
      const r = parseSettings(draftToInput(draft));
      const preview = hostsPreview(draft);
      return r.ok ? { valid: true, settings: r.settings, hostsPreview: preview } : { valid: false, errors: r.errors, hostsPreview: preview };
    },

    async 'sites.list'() {
      return sites.list();
    },
    async 'sites.create'({ name, draft, tenant }) {
      // Every problem at once (name, settings, tenant), and nothing is created until all are fixed.
      const errors = [...tenantErrors(tenant)];
      try {
        checkSiteName(name);
      } catch (e) {
        if (!(e instanceof AppError) || !e.fields) throw e;
        errors.push(...e.fields);
      }
      const parsed = parseSettings(draftToInput(draft));
      if (!parsed.ok) errors.push(...parsed.errors);
      if (errors.length) throw new AppError('input.invalid', 'Fix the fields marked below, then create the site.', { fields: errors });
      const r = await sites.create(name, draft);
      // The engineer typed this cloud on this machine: no confirmation at its first sign-in.
      if (parsed.ok && parsed.settings.cloud.name === 'custom') await trustStore.trust(parsed.settings.cloud, 'created');
      if (!tenant || !tenant.trim()) return r;
      return sites.save(r.site.id, draft, tenant);
    },
    async 'sites.open'({ id }) {
      const { file, site } = await sites.load(id);
      const parsed = sites.settingsOf(site);
      return { site: sites.view(file, site), checklist: sites.checklistOf(site, parsed.ok ? parsed.settings.cloud : undefined) };
    },
    async 'sites.save'({ id, draft, tenant }) {
      const tErr = tenantErrors(tenant);
      if (tErr.length) {
        const r = parseSettings(draftToInput(draft));
        throw new AppError('input.invalid', 'Fix the fields marked below, then save.', { fields: [...(r.ok ? [] : r.errors), ...tErr] });
      }
      // Cloud URLs the engineer changed on the Setup page were typed here: trusted like a site made here.
      const before = await openSite(id).catch(() => null);
      const after = parseSettings(draftToInput(draft));
      const r = await sites.save(id, draft, tenant);
      if (after.ok && after.settings.cloud.name === 'custom') {
        const changed = !before || JSON.stringify(cloudHosts(before.settings.cloud)) !== JSON.stringify(cloudHosts(after.settings.cloud));
        if (changed) await trustStore.trust(after.settings.cloud, 'created');
      }
      return r;
    },
    async 'sites.setSignInClient'({ id, clientId }) {
      return sites.setSignInClient(id, clientId);
    },
    async 'sites.rename'({ id, name }) {
      return sites.rename(id, name);
    },
    async 'sites.duplicate'({ id, name }) {
      return sites.duplicate(id, name);
    },
    async 'sites.delete'({ id }) {
      return sites.remove(id);
    },
    async 'sites.import'() {
      const src = await deps.dialogs.openFile({ title: 'Import a site file', filters: [{ name: 'Site files', extensions: ['json'] }] });
      if (!src) throw cancelled();
      return sites.importFrom(src);
    },
    async 'sites.export'({ id }) {
      const { site } = await sites.load(id);
      const dest = await deps.dialogs.saveFile({
        title: 'Export the site file',
        defaultName: `${bundleFileName(site.name).replace(/\.icesso$/, '')}.json`,
        filters: [{ name: 'Site files', extensions: ['json'] }],
      });
      if (!dest) throw cancelled();
      return sites.exportTo(id, dest);
    },

    async 'auth.status'() {
      return { account: live.account(), secretStorage: await secretBox.status() };
    },
    async 'auth.signIn'({ siteId, method, tenant, trustCloud }) {
      const { site, settings } = await openSite(siteId);
      // Fails with code cloud.untrusted (nothing sent) until the user confirms the hosts auth.cloud shows.
      return { account: await live.signIn(site, settings, tenant, method, { trustCloud: trustCloud === true }) };
    },
    async 'auth.cloud'({ siteId }) {
      const { settings } = await openSite(siteId);
      return { cloud: await cloudView(settings) };
    },
    async 'auth.cancel'() {
      return { cancelled: live.cancelSignIn() };
    },
    async 'auth.signOut'() {
      await live.signOut();
      return {};
    },

    async 'live.verify'({ siteId }) {
      const { site, settings } = await openSite(siteId);
      const { candidates, ...run } = await live.run('verify', site, settings, `verify-${Date.now()}`);
      return { run, checklist: { ...sites.checklistOf((await sites.load(siteId)).site, settings.cloud), ...(candidates ? { candidates } : {}) } };
    },
    async 'live.apply'({ siteId, runId }) {
      const { site, settings } = await openSite(siteId);
      const { candidates: _none, ...run } = await live.run('apply', site, settings, runId);
      return { run, checklist: sites.checklistOf((await sites.load(siteId)).site, settings.cloud) };
    },
    async 'live.cancel'({ runId }) {
      return { cancelled: live.cancelRun(runId) };
    },
    async 'live.preview'({ siteId }) {
      const { site, settings } = await openSite(siteId);
      const { writes, result: r } = await live.preview(site, settings);
      const checklist = buildChecklistView(r.steps, r.values, settings.cloud, r.app.appId ?? site.hint.appId);
      const a = r.observed.application;
      return { preview: { writes, checklist, requests: r.stats.graphRequests, ...(a?.appId ? { target: { displayName: a.displayName ?? '', appId: a.appId } } : {}) } };
    },
    async 'live.lookupApp'({ siteId, appId }) {
      const { site, settings } = await openSite(siteId);
      return { registration: await live.lookupApp(site, settings, appId) };
    },
    async 'live.adopt'({ siteId, appId }) {
      const { site, settings } = await openSite(siteId);
      return { registration: await live.adopt(site, settings, appId) };
    },
    async 'server.checkSsoMeta'({ siteId }) {
      const { site, settings } = await openSite(siteId);
      const by = live.account()?.username;
      const r = await checkServers(site, by ? { by } : {});
      return { run: r.run, hosts: r.hosts, checklist: sites.checklistOf((await sites.load(siteId)).site, settings.cloud) };
    },

    async 'proof.inWindow'({ siteId, user }) {
      const { site, settings } = await openSite(siteId);
      const by = proofBy();
      const r = await proof.inWindow(site.file, { ...(by ? { by } : {}), ...(user ? { loginHint: user } : {}) });
      return { step: r.step, run: r.run, checklist: sites.checklistOf((await sites.load(siteId)).site, settings.cloud) };
    },
    async 'proof.inBrowser'({ siteId, user }) {
      const { site } = await openSite(siteId);
      return proof.inBrowser(site.file, user ? { loginHint: user } : {});
    },
    async 'proof.paste'({ siteId, address }) {
      const { site, settings } = await openSite(siteId);
      const by = proofBy();
      const r = await proof.paste(site.file, address, by ? { by } : {});
      return { step: r.step, run: r.run, checklist: sites.checklistOf((await sites.load(siteId)).site, settings.cloud) };
    },
    async 'proof.cancel'() {
      return { cancelled: proof.cancel() };
    },

    async 'review.openFile'({ kind, siteId }) {
      const filters =
        kind === 'bundle'
          ? [{ name: 'ICE SSO bundles', extensions: ['icesso'] }]
          : kind === 'application'
            ? [{ name: 'Application JSON', extensions: ['json'] }]
            : kind === 'site'
              ? [{ name: 'Site files', extensions: ['json'] }]
              : [{ name: 'Bundles, sites, application JSON', extensions: ['icesso', 'json'] }];
      const file = await deps.dialogs.openFile({ title: 'Open a file to review', filters });
      if (!file) throw cancelled();
      const bytes = await readReviewFile(file);
      const context: ReviewContext = {};
      if (siteId) {
        const { site, settings } = await openSite(siteId);
        context.siteSettings = settings;
        if (site.doc.tenant.id) context.tenantId = site.doc.tenant.id;
      }
      if (looksLikeBundle(bytes)) {
        lastBundle = { bytes, file };
        context.trusted = await trust.list();
      }
      return { review: reviewView(await reviewBytes(bytes, file, context)) };
    },
    async 'review.site'({ id }) {
      const { file } = await sites.load(id);
      return { review: reviewView(await reviewBytes(await readReviewFile(file), file)) };
    },
    async 'review.recheck'() {
      if (!lastBundle) throw new AppError('usage', 'No bundle is open in Review.');
      return { review: reviewView(await reviewBytes(lastBundle.bytes, lastBundle.file, { trusted: await trust.list() })) };
    },

    async 'bundle.keyInfo'() {
      const key = await getOrCreateSigningKey(keyStore);
      const persistent = await keyStore.persistent();
      return {
        fingerprint: key.fingerprint,
        keyId: minisignKeyIdText(key.raw),
        publicKeyPem: publicKeyPem(key.publicKey),
        publicKeyMinisign: minisignPublicKeyBase64(key.raw),
        persistent,
        note: persistent
          ? 'Generated on first use and kept encrypted by the operating system. Read the fingerprint to the ICE Server admin over the phone, or give them the public key: they trust it once, and your bundles verify as VALID.'
          : 'This key lives only until the app closes (no OS encryption available): the next session signs with a new key, which the admin must trust again.',
      };
    },
    async 'bundle.readiness'({ siteId }) {
      const { site } = await sites.load(siteId);
      const r = siteReadiness(site);
      const readiness: ReadinessView = {
        hasValues: true,
        ready: r.ready,
        failing: r.failing.map((s) => ({ id: s.id, title: s.title, found: s.found, at: s.at, kind: s.kind })),
      };
      try {
        runForBundle(site);
      } catch (e) {
        if (!(e instanceof BundleRefused)) throw e;
        readiness.hasValues = false;
        readiness.refusal = e.message.charAt(0).toUpperCase() + e.message.slice(1);
      }
      return { readiness };
    },
    async 'bundle.export'({ siteId, allowIncomplete, replace }) {
      const { file, site: doc } = await sites.load(siteId);
      try {
        // Refused before the save dialog: no values (bundle.refused), or failing steps without the explicit choice
        // (bundle.incomplete, the steps in `fields`).
        runForBundle(doc);
        assertReady(doc, !!allowIncomplete);
      } catch (e) {
        throw e instanceof BundleRefused ? capitalised(e) : e;
      }
      let out: string;
      if (replace) {
        // Only the file the user picked in the dialog and was asked "Replace?" about.
        if (!pendingReplace || pendingReplace.siteId !== siteId) throw new AppError('usage', 'Nothing to replace: choose where to export first.');
        out = pendingReplace.path;
        pendingReplace = null;
      } else {
        const picked = await deps.dialogs.saveFile({
          title: 'Export the signed bundle (folder or USB drive)',
          defaultName: bundleFileName(doc.name),
          filters: [{ name: 'ICE SSO bundles', extensions: ['icesso'] }],
        });
        if (!picked) throw cancelled();
        out = /\.icesso$/i.test(picked) ? picked : `${picked}.icesso`;
        pendingReplace = null;
        if (await existingBundle(out)) {
          pendingReplace = { siteId, path: out };
          throw new AppError('write.exists', `${out} already exists.`);
        }
      }
      try {
        const r = await exportSiteBundle(siteFromDocument(file, doc), out, {
          key: () => getOrCreateSigningKey(keyStore),
          force: !!replace,
          allowIncomplete: !!allowIncomplete,
          createdBy: live.account()?.username ?? os.userInfo().username,
        });
        return { path: r.file, bytes: r.bundle.bytes.length, verified: signatureReport(r.report), failing: r.bundle.failing };
      } catch (e) {
        throw e instanceof BundleRefused ? capitalised(e) : e;
      }
    },

    async 'trust.list'() {
      return { keys: (await trust.list()).map(trustedView), file: trust.file };
    },
    async 'trust.addFingerprint'({ fingerprint, name }) {
      const { entry } = await trust.add({ fingerprint }, name?.trim() ? { name } : {});
      return { key: trustedView(entry) };
    },
    async 'trust.addFile'({ name }) {
      const src = await deps.dialogs.openFile({ title: "Trust the engineer's public key", filters: [{ name: 'Public keys', extensions: ['pub', 'pem', 'jwk', 'json', 'txt'] }] });
      if (!src) throw cancelled();
      const text = (await readReviewFile(src)).toString('utf8');
      const key = parsePublicKeyText(text, path.basename(src));
      const { entry } = await trust.add({ key }, name?.trim() ? { name } : {});
      return { key: trustedView(entry) };
    },
    async 'trust.remove'({ fingerprint }) {
      return { removed: (await trust.remove(fingerprint)) !== null };
    },
  };
  return Object.assign(handlers, { live, sites });
}
