// The services behind every IPC channel. Plain TypeScript, no Electron: main registers them behind the
// trusted-sender check, and the e2e harness calls the very same functions.
import os from 'node:os';
import path from 'node:path';
import { normaliseHost, parseSettings } from '../core/settings';
import { checkTenant } from '../auth';
import { assertReady, BundleNotReady, BundleRefused, bundleFileName, runForBundle } from '../bundle/build';
import { exportBundle, existingBundle } from '../bundle/export';
import { getOrCreateSigningKey, minisignKeyIdText, parsePublicKeyText, publicKeyPem } from '../bundle/keys';
import { minisignPublicKeyBase64 } from '../bundle/minisign';
import { siteReadiness } from '../bundle/readiness';
import { TrustStore, type TrustedKey } from '../bundle/trust';
import type { Settings } from '../core/types';
import type { CloudView, EventName, HostPreview, IpcEvents, ReadinessView, SettingsDraft, TrustedKeyView } from '../shared/ipc-contract';
import { CloudNotTrustedError, CloudTrustStore, cloudHosts, microsoftCloudName } from '../auth/cloud-trust';
import type { Dialogs } from './dialogs';
import type { Handlers } from './dispatch';
import { SiteCheckError, checkSiteServers } from '../server/site-check';
import { buildChecklistView } from './checklist-view';
import { defaultDraft, draftToInput } from './draft';
import { SecretKeyStore } from './keystore';
import { LiveService } from './live-service';
import { ProofService } from './proof-service';
import type { SignInWindow } from '../auth/proof-window';
import { looksLikeBundle, readReviewFile, reviewBytes, signatureReport } from './review-service';
import { tokenCacheStore, withEncryptFallback, type SecretBox } from './secrets';
import { SitesService, UserError, checkSiteName } from './sites-service';

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

const CANCELLED = { ok: false as const, cancelled: true as const, error: 'Cancelled.' };

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

const trustedView = (k: TrustedKey): TrustedKeyView => ({ fingerprint: k.fingerprint, keyId: k.keyId, addedAt: k.addedAt, source: k.source, ...(k.name ? { name: k.name } : {}) });

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

  async function siteSettings(id: string) {
    const { file, site } = await sites.load(id);
    const parsed = parseSettings(site.settings);
    if (!parsed.ok) {
      throw new UserError(`The settings saved in "${site.name}" are not valid: ${parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}. Fix them on the Setup page.`);
    }
    // The site names its sign-in client (sites set --client-id): sign-ins for it use that client.
    live.useSiteClient(site.signIn?.clientId);
    return { file, site, settings: parsed.settings };
  }

  const handlers: Handlers = {
    async 'app.info'() {
      return { version: deps.version, platform: deps.platform, secretStorage: await secretBox.status() };
    },
    async 'app.openExternal'({ url }) {
      await deps.openExternal(url);
      return { ok: true };
    },
    async 'app.copyText'({ text }) {
      deps.writeClipboard(text);
      return { ok: true };
    },

    async 'settings.defaults'() {
      return { draft: defaultDraft() };
    },
    async 'settings.validate'({ draft }) {
      const r = parseSettings(draftToInput(draft));
      const preview = hostsPreview(draft);
      return r.ok ? { ok: true, settings: r.settings, hostsPreview: preview } : { ok: false, errors: r.errors, hostsPreview: preview };
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
        if (!(e instanceof UserError)) throw e;
        errors.push({ field: 'name', message: e.message });
      }
      const parsed = parseSettings(draftToInput(draft));
      if (!parsed.ok) errors.push(...parsed.errors);
      if (errors.length) return { ok: false, error: 'Fix the fields marked below, then create the site.', errors };
      const r = await sites.create(name, draft);
      // The engineer typed this cloud on this machine: no confirmation at its first sign-in.
      if (r.ok && parsed.ok && parsed.settings.cloud.name === 'custom') await trustStore.trust(parsed.settings.cloud, 'created');
      if (!r.ok || !tenant || !tenant.trim()) return r;
      return sites.save(r.site.id, draft, tenant);
    },
    async 'sites.open'({ id }) {
      const { file, site } = await sites.load(id);
      const parsed = sites.settingsOf(site);
      return { ok: true, site: sites.view(file, site), checklist: sites.checklistOf(site, parsed.ok ? parsed.settings.cloud : undefined) };
    },
    async 'sites.save'({ id, draft, tenant }) {
      const tErr = tenantErrors(tenant);
      if (tErr.length) {
        const r = parseSettings(draftToInput(draft));
        return { ok: false, error: 'Fix the fields marked below, then save.', errors: [...(r.ok ? [] : r.errors), ...tErr] };
      }
      // Cloud URLs the engineer changed on the Setup page were typed here: trusted like a site made here.
      const before = await siteSettings(id).catch(() => null);
      const after = parseSettings(draftToInput(draft));
      const r = await sites.save(id, draft, tenant);
      if (r.ok && after.ok && after.settings.cloud.name === 'custom') {
        const changed = !before || JSON.stringify(cloudHosts(before.settings.cloud)) !== JSON.stringify(cloudHosts(after.settings.cloud));
        if (changed) await trustStore.trust(after.settings.cloud, 'created');
      }
      return r;
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
      if (!src) return CANCELLED;
      return sites.importFrom(src);
    },
    async 'sites.export'({ id }) {
      const { site } = await sites.load(id);
      const dest = await deps.dialogs.saveFile({
        title: 'Export the site file',
        defaultName: `${bundleFileName(site.name).replace(/\.icesso$/, '')}.json`,
        filters: [{ name: 'Site files', extensions: ['json'] }],
      });
      if (!dest) return CANCELLED;
      return sites.exportTo(id, dest);
    },

    async 'auth.status'() {
      return { account: live.account(), secretStorage: await secretBox.status() };
    },
    async 'auth.signIn'({ siteId, method, tenant, trustCloud }) {
      const { settings } = await siteSettings(siteId);
      try {
        const account = await live.signIn(settings, tenant, method, { trustCloud: trustCloud === true });
        return { ok: true, account };
      } catch (e) {
        if (e instanceof CloudNotTrustedError) return { ok: false, error: e.message, confirmCloud: await cloudView(settings) };
        throw e;
      }
    },
    async 'auth.cloud'({ siteId }) {
      const { settings } = await siteSettings(siteId);
      return { ok: true, cloud: await cloudView(settings) };
    },
    async 'auth.cancel'() {
      return { cancelled: live.cancelSignIn() };
    },
    async 'auth.signOut'() {
      await live.signOut();
      return { ok: true };
    },

    async 'live.verify'({ siteId }) {
      const { file, settings } = await siteSettings(siteId);
      const { candidates, ...run } = await live.run('verify', file, settings, `verify-${Date.now()}`);
      const { site } = await sites.load(siteId);
      return { ok: true, run, checklist: { ...sites.checklistOf(site, settings.cloud), ...(candidates ? { candidates } : {}) } };
    },
    async 'live.apply'({ siteId, runId }) {
      const { file, settings } = await siteSettings(siteId);
      const { candidates: _none, ...run } = await live.run('apply', file, settings, runId);
      const { site } = await sites.load(siteId);
      return { ok: true, run, checklist: sites.checklistOf(site, settings.cloud) };
    },
    async 'live.cancel'({ runId }) {
      return { cancelled: live.cancelRun(runId) };
    },
    async 'live.preview'({ siteId }) {
      const { file, site, settings } = await siteSettings(siteId);
      const preview = await live.preview(file, settings);
      return { ok: true, preview: { ...preview, checklist: buildChecklistView(preview.steps, preview.values, settings.cloud, preview.appId ?? site.app.appId) } };
    },
    async 'live.lookupApp'({ siteId, appId }) {
      const { file, settings } = await siteSettings(siteId);
      return { ok: true, registration: await live.lookupApp(file, settings, appId) };
    },
    async 'live.adopt'({ siteId, appId }) {
      const { file, settings } = await siteSettings(siteId);
      return { ok: true, registration: await live.adopt(file, settings, appId) };
    },
    async 'server.checkSsoMeta'({ siteId }) {
      const { file, settings } = await siteSettings(siteId);
      const by = live.account()?.username;
      let r;
      try {
        r = await checkSiteServers(file, by ? { by } : {});
      } catch (e) {
        if (e instanceof SiteCheckError) throw new UserError(e.message.charAt(0).toUpperCase() + e.message.slice(1));
        throw e;
      }
      const { site } = await sites.load(siteId);
      return { ok: true, run: r.run, hosts: r.hosts, checklist: sites.checklistOf(site, settings.cloud) };
    },

    async 'proof.inWindow'({ siteId, user }) {
      const { file, settings } = await siteSettings(siteId);
      const by = proofBy();
      const r = await proof.inWindow(file, { ...(by ? { by } : {}), ...(user ? { loginHint: user } : {}) });
      const { site } = await sites.load(siteId);
      return { ok: true, step: r.step, run: r.run, checklist: sites.checklistOf(site, settings.cloud) };
    },
    async 'proof.inBrowser'({ siteId, user }) {
      const { file } = await siteSettings(siteId);
      return { ok: true, ...(await proof.inBrowser(file, user ? { loginHint: user } : {})) };
    },
    async 'proof.paste'({ siteId, address }) {
      const { file, settings } = await siteSettings(siteId);
      const by = proofBy();
      const r = await proof.paste(file, address, by ? { by } : {});
      const { site } = await sites.load(siteId);
      return { ok: true, step: r.step, run: r.run, checklist: sites.checklistOf(site, settings.cloud) };
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
      if (!file) return CANCELLED;
      const bytes = await readReviewFile(file);
      const context: { siteSettings?: Settings; tenantId?: string; trusted?: TrustedKey[] } = {};
      if (siteId) {
        const { site, settings } = await siteSettings(siteId);
        context.siteSettings = settings;
        if (site.tenant.id) context.tenantId = site.tenant.id;
      }
      if (looksLikeBundle(bytes)) {
        lastBundle = { bytes, file };
        context.trusted = await trust.list();
      }
      return { ok: true, review: await reviewBytes(bytes, file, context) };
    },
    async 'review.site'({ id }) {
      const { file } = await sites.load(id);
      return { ok: true, review: await reviewBytes(await readReviewFile(file), file) };
    },
    async 'review.recheck'() {
      if (!lastBundle) throw new UserError('No bundle is open in Review.');
      return { ok: true, review: await reviewBytes(lastBundle.bytes, lastBundle.file, { trusted: await trust.list() }) };
    },

    async 'bundle.keyInfo'() {
      const key = await getOrCreateSigningKey(keyStore);
      const persistent = await keyStore.persistent();
      return {
        ok: true,
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
      return { ok: true, readiness };
    },
    async 'bundle.export'({ siteId, allowIncomplete, replace }) {
      const { file, site } = await sites.load(siteId);
      try {
        // Refused before the save dialog: no values, or failing steps without the explicit choice.
        runForBundle(site);
        assertReady(site, !!allowIncomplete);
      } catch (e) {
        if (e instanceof BundleNotReady) return { ok: false, notReady: true, failing: e.failing.map((s) => s.id), error: e.message.charAt(0).toUpperCase() + e.message.slice(1) };
        if (e instanceof BundleRefused) throw new UserError(e.message.charAt(0).toUpperCase() + e.message.slice(1));
        throw e;
      }
      let out: string;
      if (replace) {
        // Only the file the user picked in the dialog and was asked "Replace?" about.
        if (!pendingReplace || pendingReplace.siteId !== siteId) throw new UserError('Nothing to replace: choose where to export first.');
        out = pendingReplace.path;
        pendingReplace = null;
      } else {
        const picked = await deps.dialogs.saveFile({
          title: 'Export the signed bundle (folder or USB drive)',
          defaultName: bundleFileName(site.name),
          filters: [{ name: 'ICE SSO bundles', extensions: ['icesso'] }],
        });
        if (!picked) return CANCELLED;
        out = /\.icesso$/i.test(picked) ? picked : `${picked}.icesso`;
        pendingReplace = null;
        if (await existingBundle(out)) {
          pendingReplace = { siteId, path: out };
          return { ok: false, exists: true, path: out, error: `${path.basename(out)} already exists in ${path.dirname(out)}.` };
        }
      }
      const key = await getOrCreateSigningKey(keyStore);
      try {
        const r = await exportBundle(file, out, { key, force: !!replace, allowIncomplete: !!allowIncomplete, createdBy: live.account()?.username ?? os.userInfo().username });
        return { ok: true, path: r.file, bytes: r.bundle.bytes.length, verified: signatureReport(r.report), failing: r.bundle.failing };
      } catch (e) {
        if (e instanceof BundleNotReady) return { ok: false, notReady: true, failing: e.failing.map((s) => s.id), error: e.message.charAt(0).toUpperCase() + e.message.slice(1) };
        if (e instanceof BundleRefused) throw new UserError(e.message.charAt(0).toUpperCase() + e.message.slice(1));
        throw e;
      }
    },

    async 'trust.list'() {
      return { ok: true, keys: (await trust.list()).map(trustedView), file: trust.file };
    },
    async 'trust.addFingerprint'({ fingerprint, name }) {
      const { entry } = await trust.add({ fingerprint }, name?.trim() ? { name } : {});
      return { ok: true, key: trustedView(entry) };
    },
    async 'trust.addFile'({ name }) {
      const src = await deps.dialogs.openFile({ title: "Trust the engineer's public key", filters: [{ name: 'Public keys', extensions: ['pub', 'pem', 'jwk', 'json', 'txt'] }] });
      if (!src) return CANCELLED;
      const text = (await readReviewFile(src)).toString('utf8');
      const key = parsePublicKeyText(text, path.basename(src));
      const { entry } = await trust.add({ key }, name?.trim() ? { name } : {});
      return { ok: true, key: trustedView(entry) };
    },
    async 'trust.remove'({ fingerprint }) {
      return { ok: true, removed: (await trust.remove(fingerprint)) !== null };
    },
  };
  return Object.assign(handlers, { live, sites });
}
