// Sign-in (device code) and apply from the UI, against the loopback Entra/Graph emulator (test/emulator),
// through the real app services, MSAL and the Graph client. Needs NODE_EXTRA_CA_CERTS=test/emulator/tls/ca.pem
// (npm test sets it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src-main/core/types';
import { chromiumAndCaSkipReason, shot, startHarness, type Harness } from './harness';
import type { Emulator } from '../emulator/index';
import { emulatedSite } from './fixtures';
import { dispatch } from '../../src-main/app/dispatch';

const skip = chromiumAndCaSkipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('live tenant from the UI (emulator)', () => {
  let h: Harness;
  let emu: Emulator;
  let siteId = '';

  beforeAll(async () => {
    const { startEmulator } = await import('../emulator/index');
    emu = await startEmulator({ deviceCodeIntervalSec: 0.05 });
    emu.signInAs('appadmin');
    h = await startHarness();
    siteId = (await emulatedSite(h, emu, 'Emulated tenant', ['dc1.example.com', 'dc2.example.com'])).id;
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
    await emu?.stop();
  });

  it('signs in with a device code shown big, then applies with live progress until every guide step passes', async () => {
    const { page } = h;
    expect(siteId).toBeTruthy();
    await page.getByTestId('site-row').getByText('Emulated tenant').click();
    await page.getByTestId('nav-signin').click();
    await expect.poll(() => page.getByTestId('signin-tenant').inputValue()).toBe(emu.tenantDomain);
    await page.getByTestId('signin').click();
    const dc = await emu.waitForDeviceCode(10_000);
    await page.getByTestId('user-code').waitFor();
    expect(await page.getByTestId('user-code').textContent()).toBe(dc.userCode);
    expect(await page.getByTestId('expires-in').textContent()).toMatch(/Expires in \d+:\d\d/);
    await page.getByTestId('storage-warning').waitFor();
    await shot(page, 'signin-device-code', { full: false });
    emu.approveDeviceCode(dc.userCode);
    await page.getByText('Signed in', { exact: true }).waitFor({ timeout: 15_000 });
    await shot(page, 'signin-done', { full: false });

    await page.getByTestId('nav-checklist').click();
    // "Apply fixes" first lists what would be written (read + plan only); Cancel writes nothing.
    const writesBefore = emu.stats.graphWrites;
    await page.getByTestId('apply').click();
    await page.getByTestId('planned-write').first().waitFor({ timeout: 20_000 });
    const planned = await page.getByTestId('planned-write').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-key')} ${e.getAttribute('data-method')}`));
    expect(planned).toEqual(['create-app PATCH', 'set-app-id-fields PATCH', 'create-service-principal POST']);
    // Each write in the portal's words, the target app named; the HTTP request one click away.
    expect(await page.getByTestId('planned-write-target').first().textContent()).toBe('App registration "Instant Connect Enterprise SSO"');
    const lines = await page.getByTestId('portal-change').evaluateAll((els) => els.map((e) => e.textContent));
    expect(lines).toContain('App registrations: register "Instant Connect Enterprise SSO"');
    expect(lines).toContain('Authentication › Single-page application: add https://dc1.example.com/sso, https://dc2.example.com/sso');
    expect(lines).toContain('API permissions: add Instant Connect Enterprise SSO (this app) › UserProfile.ReadWrite');
    expect(lines.join('\n')).not.toMatch(/PATCH|POST|\/applications|requiredResourceAccess/);
    expect(await page.getByTestId('planned-write-request').count()).toBe(0);
    await page.getByTestId('planned-write').first().locator('button').first().click();
    expect(await page.getByTestId('planned-write-request').first().textContent()).toMatch(/^\/applications\(uniqueName='ice-sso-/);
    await page.getByTestId('planned-write').first().locator('button').first().click();
    await page.getByTestId('planned-write-request').first().waitFor({ state: 'detached' });
    expect(await page.getByTestId('confirm-apply').textContent()).toBe('Apply 3 changes');
    await page.getByTestId('planned-write').nth(1).locator('button').first().click();
    await page.getByTestId('planned-write-body').first().waitFor();
    expect(await page.getByTestId('planned-write-body').first().textContent()).toContain('"identifierUris"');
    expect(await page.getByTestId('planned-write').nth(1).textContent()).toMatch(/\{appObjectId\} is the app registration's object id/);
    await shot(page, 'checklist-apply-preview', { full: false });
    await page.getByTestId('cancel-apply').click();
    await page.getByTestId('confirm-apply-dialog').waitFor({ state: 'detached' });
    expect(emu.stats.graphWrites - writesBefore).toBe(0);
    expect(emu.state.applications).toHaveLength(0);
    // Writing needs Application.ReadWrite.All, which this client was not granted yet: the silent request answers
    // AADSTS65001 consent_required, so the app starts an interactive sign-in for it (Entra's expectation) and says why.
    await page.getByTestId('apply').click();
    expect(await page.getByTestId('apply-target').textContent()).toBe('Target: a new app registration');
    await page.getByTestId('confirm-apply').click();
    const consentCode = await emu.waitForDeviceCode(20_000);
    await page.locator('[data-testid="consent-step-up"][data-reason="consent"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('consent-step-up').textContent()).toMatch(/Application\.ReadWrite\.All.*not yet allowed.*Consent on behalf of your organization/s);
    expect(await page.getByTestId('user-code').textContent()).toBe(consentCode.userCode);
    expect(consentCode.scopes.join(' ')).toContain('Application.ReadWrite.All');
    await shot(page, 'checklist-consent-step-up', { full: false });
    // An administrator signs in with the code and accepts Entra's consent prompt; apply goes on by itself.
    emu.approveDeviceCode(consentCode.userCode, 'appadmin');
    await page.locator('[data-step-id="api.scope"][data-status="pass"], [data-testid="error-bar"]').first().waitFor({ timeout: 30_000 });
    if (await page.getByTestId('error-bar').count()) throw new Error(`apply failed: ${await page.getByTestId('error-bar').textContent()}`);
    expect(emu.state.applications).toHaveLength(1);
    // Start again from an empty tenant, to check that what the dialog shows is what gets written.
    emu.resetDirectory();
    const { DEFAULT_CLIENT_ID } = await import('../../src-main/auth');
    emu.grantConsent('appadmin', DEFAULT_CLIENT_ID, ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'], 'graph');
    await page.getByTestId('apply').click();
    // What the dialog shows is what gets written: the new scope's id in the create body is the one the app gets.
    await page.getByTestId('planned-write').first().locator('button').first().click();
    const createBody = JSON.parse((await page.getByTestId('planned-write-body').first().textContent()) ?? '{}') as { api: { oauth2PermissionScopes: Array<{ id: string }> } };
    const shownScopeId = createBody.api.oauth2PermissionScopes[0]?.id;
    expect(shownScopeId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByTestId('confirm-apply').click();
    // The checklist still shows the first apply's passes: wait for this run to have written and finished.
    await expect.poll(() => emu.state.applications.length, { timeout: 30_000 }).toBe(1);
    await page.getByText('Last apply', { exact: true }).or(page.getByTestId('error-bar')).first().waitFor({ timeout: 30_000 });
    await page.locator('[data-step-id="api.scope"][data-status="pass"], [data-testid="error-bar"]').first().waitFor({ timeout: 30_000 });
    if (await page.getByTestId('error-bar').count()) throw new Error(`apply failed: ${await page.getByTestId('error-bar').textContent()}`);
    const statuses = await page.getByTestId('step').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-step-id'), e.getAttribute('data-status')])));
    expect(Object.keys(statuses)).toEqual([...STEP_IDS]);
    const guideSteps = STEP_IDS.filter((id) => !['proof.token', 'server.sso-meta', 'auth.public-client-flows', 'consent.admin-grant'].includes(id));
    for (const id of guideSteps) expect(`${id}: ${statuses[id]}`).toBe(`${id}: pass`);
    expect(await page.getByTestId('progress').locator('[data-phase="done"]').count()).toBeGreaterThan(0);
    // What was written, in words; the Graph requests (method, path, status) only on request.
    expect(await page.getByTestId('progress-request').count()).toBe(0);
    expect(await page.getByTestId('progress').textContent()).not.toMatch(/PATCH|POST|\/applications/);
    await page.getByTestId('progress-http-toggle').click();
    expect(await page.getByTestId('progress-request').first().textContent()).toMatch(/^(PATCH|POST) \/.* → 20[14]$/);
    await page.getByTestId('progress-http-toggle').click();
    await shot(page, 'checklist-after-apply');
    expect(emu.state.applications).toHaveLength(1);
    expect((emu.state.applications[0] as { api?: { oauth2PermissionScopes?: Array<{ id: string }> } }).api?.oauth2PermissionScopes?.map((x) => x.id)).toEqual([shownScopeId]);
    // Compliant now: the preview says so, and offers no Apply.
    const writesAfter = emu.stats.graphWrites;
    await page.getByTestId('apply').click();
    await page.getByText('Nothing to write', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('confirm-apply').count()).toBe(0);
    await page.getByTestId('cancel-apply').click();
    await page.getByTestId('confirm-apply-dialog').waitFor({ state: 'detached' });
    expect(emu.stats.graphWrites).toBe(writesAfter);

    await page.getByTestId('nav-values').click();
    await page.getByTestId('value-tenantId').waitFor();
    expect(await page.getByTestId('value-tenantId').textContent()).toBe(emu.tenantId);
    const text = JSON.stringify(h.responses);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./);
  });

  it('signs out, then signs in with the system browser (loopback redirect + PKCE) and verifies read-only', async () => {
    const { page } = h;
    const { emulatedBrowser } = await import('../emulator/index');
    await page.getByTestId('nav-signin').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('signin').waitFor();
    expect((await h.services['auth.status']({})).account).toBeNull();
    h.onOpen = (url) => emulatedBrowser(url);
    await page.getByText('System browser on this computer').click();
    await page.getByTestId('signin').click();
    await page.getByText('Signed in', { exact: true }).or(page.getByTestId('error-bar')).first().waitFor({ timeout: 15_000 });
    if (await page.getByTestId('error-bar').count()) throw new Error(`sign-in failed: ${await page.getByTestId('error-bar').textContent()}`);
    const opened = new URL(h.opened.at(-1)!);
    expect(opened.origin).toBe(new URL(emu.loginUrl).origin); // the custom cloud's login host, allowed for this sign-in only
    expect(opened.pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
    expect(opened.searchParams.get('code_challenge_method')).toBe('S256');
    expect(opened.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+/);
    // The renderer itself may not open that host.
    expect(await dispatch(h.services, 'app.openExternal', { url: emu.loginUrl })).toMatchObject({ ok: false, code: 'external.refused', message: /explicit port/ });

    await page.getByTestId('nav-checklist').click();
    await page.getByTestId('verify').click();
    await expect.poll(async () => (await h.services['sites.open']({ id: siteId })).site.history.length).toBe(3); // two applies (consent step-up, then a fresh tenant) and this verify
    await page.locator('[data-step-id="api.scope"][data-status="pass"]').waitFor();
    await shot(page, 'checklist-after-verify', { full: false });
  });

  it('a registration made by hand: "Use an existing registration", a confirmation naming it, then Apply names the target and adopts it', async () => {
    const { page } = h;
    emu.resetDirectory();
    const { DEFAULT_CLIENT_ID } = await import('../../src-main/auth');
    emu.grantConsent('appadmin', DEFAULT_CLIENT_ID, ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'], 'graph');
    const ice = emu.seedApplication({ displayName: 'ICE', signInAudience: 'AzureADMyOrg', spa: { redirectUris: ['https://dc1.example.com/sso'] } });
    await emulatedSite(h, emu, 'Hand-made tenant', ['dc1.example.com', 'dc2.example.com']);
    await page.reload();
    await page.getByTestId('site-row').getByText('Hand-made tenant').click();
    await page.getByTestId('nav-checklist').click();
    await page.getByTestId('verify').click();
    await page.getByTestId('existing-registrations').waitFor({ timeout: 20_000 });
    const row = page.locator(`[data-testid="candidate"][data-app-id="${String(ice.appId)}"]`);
    expect(await page.getByTestId('existing-registrations').textContent()).toContain(`"ICE" (client id ${String(ice.appId)})`);
    expect(await page.getByTestId('existing-registrations').textContent()).toContain('SPA redirect URI https://dc1.example.com/sso');
    await row.click();
    await shot(page, 'checklist-existing-registrations', { full: false });
    await page.getByTestId('use-registration').click();
    await page.getByTestId('confirm-adopt-dialog').waitFor();
    const confirmText = await page.getByTestId('confirm-adopt-dialog').textContent();
    expect(confirmText).toContain('"ICE"');
    expect(confirmText).toContain(String(ice.appId));
    expect(confirmText).toMatch(/created/);
    await shot(page, 'checklist-adopt-confirm', { full: false });
    const writes0 = emu.stats.graphWrites;
    await page.getByTestId('confirm-adopt').click();
    await page.getByTestId('adopted').waitFor();
    expect(emu.stats.graphWrites).toBe(writes0); // choosing writes nothing; Apply shows the tag first
    await page.getByTestId('apply').click();
    await page.getByTestId('planned-write').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('apply-target').textContent()).toBe(`Target: app registration "ICE" (client id ${String(ice.appId)})`);
    expect(await page.getByTestId('planned-write').first().getAttribute('data-key')).toBe('adopt-app');
    await shot(page, 'checklist-apply-adopt-preview', { full: false });
    await page.getByTestId('confirm-apply').click();
    await page.locator('[data-step-id="api.scope"][data-status="pass"], [data-testid="error-bar"]').first().waitFor({ timeout: 30_000 });
    if (await page.getByTestId('error-bar').count()) throw new Error(`apply failed: ${await page.getByTestId('error-bar').textContent()}`);
    expect(emu.state.applications).toHaveLength(1);
    const after = emu.findApplication(String(ice.id))!;
    expect(after.tags).toContain('ice-sso-assistant');
    expect(after.displayName).toBe('ICE');
  });

  it('a site file from elsewhere naming a non-Microsoft cloud: its hosts are shown, and its IdP is reached only after the confirmation', async () => {
    const { page } = h;
    const { startEmulator } = await import('../emulator/index');
    const { settingsToInput } = await import('../../src-main/core');
    const { parseSettings } = await import('../../src-main/core/settings');
    const { newSiteDocument, serializeSite } = await import('../../src-main/sites/store');
    const fsp = await import('node:fs/promises');
    const path = await import('node:path');
    // Another (hostile) IdP on 127.0.0.1, named by a site file copied into the sites folder (not created here).
    const idp = await startEmulator({ deviceCodeIntervalSec: 0.05 });
    try {
      idp.signInAs('appadmin');
      const parsed = parseSettings({ hosts: ['dc1.example.com'], cloud: 'custom', loginUrl: idp.loginUrl, graphUrl: idp.graphUrl });
      if (!parsed.ok) throw new Error('settings');
      const doc = newSiteDocument({ name: 'Imported cloud', settings: settingsToInput(parsed.settings) as Record<string, unknown>, tenant: { domain: idp.tenantDomain } });
      await fsp.writeFile(path.join(h.sitesDir, 'imported-cloud.json'), serializeSite(doc));
      await h.services['auth.signOut']({});
      await page.reload();
      await page.getByTestId('site-row').getByText('Imported cloud').click();
      await page.getByTestId('nav-signin').click();
      const login = new URL(idp.loginUrl).host;
      await expect.poll(() => page.getByTestId('signin-login-host').textContent()).toBe(login);
      expect(await page.getByTestId('signin-hosts').textContent()).toContain(new URL(idp.graphUrl).host);
      expect(await page.getByTestId('signin-cloud-badge').textContent()).toBe('Not a Microsoft cloud');
      idp.resetStats();
      await page.getByTestId('signin').click();
      await page.getByTestId('confirm-cloud-dialog').waitFor();
      expect(await page.getByTestId('confirm-cloud-dialog').textContent()).toContain(`Sign in at ${login}?`);
      await page.waitForTimeout(300); // the dialog's fade-in, for the screenshot
      await shot(page, 'signin-confirm-cloud', { full: false });
      expect(idp.stats.byHost.login + idp.stats.byHost.graph).toBe(0);
      await page.getByTestId('cancel-trust-cloud').click();
      await page.getByTestId('confirm-cloud-dialog').waitFor({ state: 'detached' });
      expect(idp.stats.byHost.login + idp.stats.byHost.graph).toBe(0);

      await page.getByTestId('signin').click();
      await page.getByTestId('trust-cloud').click();
      const dc = await idp.waitForDeviceCode(10_000);
      await page.getByTestId('user-code').waitFor();
      expect(await page.getByTestId('device-code-host').textContent()).toBe(`Code issued by sign-in host ${login}`);
      await shot(page, 'signin-device-code-custom-cloud', { full: false });
      expect(idp.stats.byHost.login).toBeGreaterThan(0);
      idp.approveDeviceCode(dc.userCode);
      await page.getByText('Signed in', { exact: true }).waitFor({ timeout: 15_000 });
      // Remembered on this computer (the app's data folder), not in the site file.
      expect(await fsp.readFile(path.join(h.dataDir, 'trusted-clouds.json'), 'utf8')).toContain(login);
      expect(await fsp.readFile(path.join(h.sitesDir, 'imported-cloud.json'), 'utf8')).not.toMatch(/trust/i);
      expect(await dispatch(h.services, 'auth.cloud', { siteId: 'imported-cloud.json' })).toMatchObject({ ok: true, cloud: { login, trusted: true, microsoft: null } });
    } finally {
      await idp.stop();
    }
  });
});
