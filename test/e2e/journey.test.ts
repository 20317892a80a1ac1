// The visit as a new user makes it, guided (issue 9): a first visit on an EMPTY tenant, and a half-wrong
// registration made by hand in the portal. Built renderer in Chromium, real app services, the loopback
// Entra/Graph emulator. Screenshots of every screen and dialog at 1280×800 and 960×640 (and the device code at
// 1024×640) go to test-results/shots (or $SHOTS_DIR).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STEP_IDS } from '../../src-main/core/types';
import { MICROSOFT_GRAPH_APP_ID } from '../../src-main/core/desired';
import { RESULTS_DIR, chromiumAndCaSkipReason, startHarness, type Harness } from './harness';
import { signInOnPage, signInPageShown } from './signin-window';
import { axeCheck } from './a11y';
import type { Emulator } from '../emulator/index';

const skip = chromiumAndCaSkipReason();
if (skip) console.log(`skipped: ${skip}`);

const SHOTS = process.env.SHOTS_DIR ?? path.join(RESULTS_DIR, 'shots');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 960, height: 640 },
];
const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
const GUIDE_STEPS = STEP_IDS.filter((id) => !['proof.token', 'server.sso-meta', 'auth.public-client-flows', 'consent.admin-grant'].includes(id));

/** The screen as it is, at each size (what is above the fold is what counts). */
async function snap(page: Page, name: string, sizes = SIZES): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await axeCheck(page, `journey-${name}`);
  const before = page.viewportSize() ?? SIZES[0]!;
  for (const s of sizes) {
    await page.setViewportSize(s);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `ux-${name}-${s.width}x${s.height}.png`) });
  }
  await page.setViewportSize(before);
  await page.waitForTimeout(100);
}

async function stageStates(page: Page): Promise<Record<string, string | null>> {
  return page.getByTestId('journey').locator('[data-testid^="stage-"]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-testid')!.slice(6), e.getAttribute('data-state')])));
}

async function statuses(page: Page): Promise<Record<string, string | null>> {
  return page.getByTestId('step').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-step-id'), e.getAttribute('data-status')])));
}

describe.skipIf(!!skip)('guided journey (emulator)', () => {
  let emu: Emulator;
  let h: Harness;

  beforeAll(async () => {
    const { startEmulator } = await import('../emulator/index');
    emu = await startEmulator({ deviceCodeIntervalSec: 0.05 });
    emu.signInAs('appadmin');
    const { DEFAULT_CLIENT_ID } = await import('../../src-main/auth');
    emu.grantConsent('appadmin', DEFAULT_CLIENT_ID, ['Application.ReadWrite.All'], 'graph');
  });
  afterAll(async () => {
    await emu?.stop();
  });
  beforeEach(async () => {
    h = await startHarness({ viewport: SIZES[0]! });
    await h.page.getByRole('heading', { name: 'Sites' }).waitFor();
  });
  afterEach(async () => {
    expect(h.consoleErrors, 'console errors / CSP violations').toEqual([]);
    await h.close();
  });

  /** New site through the form: checked as you type, Enter creates it. */
  async function createSite(page: Page, name: string): Promise<void> {
    await page.getByTestId('new-site').click();
    await page.getByTestId('site-name').fill(name);
    await page.getByTestId('tenant').fill(emu.tenantDomain);
    await page.getByTestId('host-0').fill('dc1.example.com');
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-1').fill('dc2 example com');
    // Validated as you type: the bad host is marked before any submit.
    await expect.poll(() => page.getByText(/contains a space/).count()).toBeGreaterThan(0);
    await page.getByRole('combobox', { name: 'Cloud' }).click();
    await page.getByRole('option', { name: /Custom cloud/ }).click();
    await page.getByLabel('Login URL').fill(emu.loginUrl);
    await page.getByLabel('Microsoft Graph URL').fill(emu.graphUrl);
    await page.getByLabel('Portal URL').fill('https://portal.azure.com');
    // Enter submits; the refused save moves focus to the first invalid field, in view.
    await page.getByTestId('display-name').press('Enter');
    await page.getByTestId('setup-error').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('host-1');
    expect(await page.getByTestId('host-1').isVisible()).toBe(true);
    await snap(page, 'setup-error');
    await page.getByTestId('host-1').fill('dc2.example.com');
    await page.getByTestId('host-1').press('Enter');
    await page.getByTestId('setup-success').waitFor();
  }

  it('first visit on an empty tenant: site, sign in, Verify, one root cause, Apply in portal words, all green, Prove from the journey', async () => {
    const { page } = h;
    // Before anything: the journey says where to start.
    expect(await page.getByTestId('journey').getAttribute('data-next')).toBe('site');
    await snap(page, 'sites-empty');
    await page.getByTestId('new-site').click();
    await page.getByTestId('site-name').waitFor();
    await snap(page, 'setup-new');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await createSite(page, 'Empty tenant');
    expect((await stageStates(page)).site).toBe('done');
    expect(await page.getByTestId('journey').getAttribute('data-next')).toBe('signin');
    await snap(page, 'setup-created');

    // Next: sign in (device code, above the fold even at 1024×640).
    await page.getByTestId('journey-next').click();
    await expect.poll(() => page.getByTestId('signin-tenant').inputValue()).toBe(emu.tenantDomain);
    await snap(page, 'signin');
    await page.getByTestId('signin').click();
    const dc = await emu.waitForDeviceCode(10_000);
    await page.getByTestId('user-code').waitFor();
    await snap(page, 'signin-device-code', [...SIZES, { width: 1024, height: 640 }]);
    await page.setViewportSize({ width: 1024, height: 640 });
    const box = await page.getByTestId('user-code').boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(640);
    await page.setViewportSize(SIZES[0]!);
    emu.approveDeviceCode(dc.userCode);
    await page.getByText('Signed in', { exact: true }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('journey').getAttribute('data-next')).toBe('check');
    await snap(page, 'signin-done');

    // The checklist before anything was read: no wall of "Unknown", Verify is the primary command.
    await page.getByTestId('nav-checklist').click();
    await page.getByTestId('not-read').waitFor();
    expect(await page.getByTestId('verify').getAttribute('data-primary')).toBe('true');
    expect(await page.getByTestId('apply').getAttribute('data-primary')).toBeNull();
    expect(await page.locator('[data-testid="step"] [data-testid^="step-details-"]').count()).toBe(0);
    await snap(page, 'checklist-not-read');

    // The journey's next action runs Verify.
    await page.getByTestId('journey-next').click();
    await page.getByTestId('problem').first().waitFor({ timeout: 20_000 });
    // Sixteen failing steps, ONE root cause, the others grouped under it; titles before ids.
    const s = await statuses(page);
    expect(Object.values(s).filter((x) => x === 'fail').length).toBeGreaterThan(10);
    expect(await page.getByTestId('problem').count()).toBe(1);
    const problem = page.getByTestId('problem').first();
    expect(await problem.getAttribute('data-root')).toBe('register.app');
    expect(await problem.textContent()).toContain('No ICE registration in this tenant yet: Apply creates it.');
    expect(await problem.getByTestId('problem-steps').locator('[data-step]').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('apply').getAttribute('data-primary')).toBe('true');
    // Only the root cause is open in the list; what follows from it stays closed.
    expect(await page.getByTestId('step-details-register.app').isVisible()).toBe(true);
    expect(await page.getByTestId('step-details-api.scope').count()).toBe(0);
    const head = await page.locator('[data-step-id="register.app"] button').first().innerText();
    expect(head.indexOf('register.app')).toBeGreaterThan(head.indexOf('application'));
    expect((await stageStates(page)).check).toBe('done');
    expect(await page.getByTestId('journey').getAttribute('data-next')).toBe('fix');
    await snap(page, 'checklist-empty-tenant');
    // A dependent step opens from the problem.
    await problem.locator('[data-step="api.scope"]').click();
    await page.getByTestId('step-details-api.scope').waitFor();

    // Next: Apply fixes. The preview speaks the portal.
    await page.getByTestId('journey-next').click();
    await page.getByTestId('planned-write').first().waitFor({ timeout: 20_000 });
    const lines = await page.getByTestId('portal-change').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(lines).toContain('Authentication › Single-page application: add https://dc1.example.com/sso, https://dc2.example.com/sso');
    expect(lines).toContain('Expose an API › Scopes: add UserProfile.ReadWrite (Admins and users)');
    expect(lines.some((l) => l.startsWith('Enterprise applications: create'))).toBe(true);
    await snap(page, 'apply-preview-empty-tenant');
    await page.getByTestId('planned-write').nth(1).locator('button').first().click();
    await page.getByTestId('planned-write-request').first().waitFor();
    await snap(page, 'apply-preview-http-detail');
    await page.getByTestId('confirm-apply').click();
    await page.getByTestId('no-problems').waitFor({ timeout: 30_000 });
    const after = await statuses(page);
    for (const id of GUIDE_STEPS) expect(`${id}: ${after[id]}`).toBe(`${id}: pass`);
    expect((await stageStates(page)).fix).toBe('done');
    expect(await page.getByTestId('journey').getAttribute('data-next')).toBe('prove');
    expect(await page.getByTestId('check-server').getAttribute('data-primary')).toBe('true');
    await snap(page, 'checklist-all-green');

    // Next: Prove sign-in, pressed in the journey bar: the sign-in window opens as the ICE app at once (no second
    // click on the Checklist's button); a test user signs in there and proof.token passes.
    // The test user: an ICE Desktop user, in a group synced from on-premises AD (so the token names it).
    emu.setUser({ userPrincipalName: 'tester', roles: [], canConsent: true, groups: [{ id: '6a1d8c2e-1111-4222-8333-944445555777', displayName: 'Dispatch', samAccountName: 'dispatch' }] });
    emu.setAuthorizeBehaviour({ mode: 'page' });
    expect(await page.getByTestId('journey-next').textContent()).toBe('Prove sign-in');
    await page.getByTestId('journey-next').click();
    await page.getByTestId('proof-dialog').waitFor();
    await expect.poll(() => h.proofWindows.length).toBe(1);
    const win = h.proofWindows[0]!;
    await signInPageShown(win);
    await signInOnPage(win, `tester@${emu.tenantDomain}`);
    await page.getByTestId('proof-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('proof-result').getAttribute('data-status')).toBe('pass');
    await snap(page, 'journey-proved');
    await page.getByTestId('proof-close').click();
    await expect.poll(() => page.locator('[data-step-id="proof.token"]').getAttribute('data-status')).toBe('pass');
    expect((await stageStates(page)).prove).toBe('done');
    // The eight values were complete with the registration (overview.values passes): Export is what is left.
    expect((await stageStates(page)).values).toBe('done');
    expect(await page.getByTestId('journey').getAttribute('data-next')).toBe('export');
    // Only one window was opened: the request was taken, not repeated when the Checklist drew again.
    expect(h.proofWindows).toHaveLength(1);

    // The other screens of the visit, for the record.
    await page.getByTestId('nav-values').click();
    await page.getByTestId('ice-values').waitFor();
    await snap(page, 'values');
    await page.getByTestId('nav-export').click();
    await page.getByTestId('key-info').waitFor();
    await snap(page, 'export');
    await page.getByTestId('nav-setup').click();
    await page.getByTestId('display-name').waitFor();
    await snap(page, 'setup-existing');
    await page.getByRole('button', { name: 'Sites' }).or(page.getByText('Sites', { exact: true }).first()).first().click();
    await page.getByTestId('site-row').first().waitFor();
    await snap(page, 'sites-list');
    await page.getByRole('button', { name: 'Actions for Empty tenant' }).click();
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    await page.getByTestId('name-dialog-input').waitFor();
    await snap(page, 'dialog-rename');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-review').click();
    await snap(page, 'review-empty');
  });

  it('a half-wrong registration made by hand: chosen, each cause once, the preview names what it adds and removes', async () => {
    const { page } = h;
    emu.resetDirectory();
    const { DEFAULT_CLIENT_ID } = await import('../../src-main/auth');
    emu.grantConsent('appadmin', DEFAULT_CLIENT_ID, ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'], 'graph');
    // Made in the portal: one SPA URI of two, access tokens unticked, Graph User.Read still requested, no scope.
    const app = emu.seedApplication(
      {
        displayName: 'Instant Connect Enterprise SSO',
        signInAudience: 'AzureADMyOrg',
        spa: { redirectUris: ['https://dc1.example.com/sso'] },
        publicClient: { redirectUris: [`${emu.loginUrl.replace(/\/$/, '')}/common/oauth2/nativeclient`] },
        web: { implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
        requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: USER_READ, type: 'Scope' }] }],
      },
      { servicePrincipal: true },
    );
    await createSite(page, 'Hand-made');
    // Verify before signing in: the app says so by the failure's code (auth.required) and offers Sign in.
    await page.getByTestId('nav-checklist').click();
    await page.getByTestId('verify').click();
    await page.getByTestId('sign-in-first').waitFor({ timeout: 15_000 });
    await snap(page, 'checklist-sign-in-first');
    await page.getByTestId('sign-in-first').getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signin').click();
    const dc = await emu.waitForDeviceCode(10_000);
    emu.approveDeviceCode(dc.userCode);
    await page.getByText('Signed in', { exact: true }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('journey').getAttribute('data-next')).toBe('check');
    await page.getByTestId('journey-next').click(); // Verify
    // Not "no registration, Apply creates one": the hand-made one is offered, and choosing it is the next action.
    await page.getByTestId('problem').or(page.getByTestId('error-bar')).first().waitFor({ timeout: 20_000 });
    if (await page.getByTestId('error-bar').count()) throw new Error(`verify failed: ${await page.getByTestId('error-bar').textContent()}`);
    expect(await page.getByTestId('problem').count()).toBe(1);
    expect(await page.getByTestId('problem').first().getAttribute('data-action')).toBe('choose');
    expect(await page.getByTestId('journey-next').textContent()).toBe('Choose the registration');
    expect(await page.getByTestId('apply').getAttribute('data-primary')).toBeNull();
    await snap(page, 'checklist-choose-existing');
    await page.getByTestId('journey-next').click();
    await page.locator(`[data-testid="candidate"][data-app-id="${String(app.appId)}"]`).click();
    await page.getByTestId('use-registration').click();
    await page.getByTestId('confirm-adopt').click();
    await page.getByTestId('adopted').waitFor();
    // Choosing reads the chosen registration: its own problems, each cause once.
    await page.locator('[data-testid="problem"][data-root="permissions.no-graph"]').waitFor({ timeout: 20_000 });
    const problems = await page.getByTestId('problem').evaluateAll((els) => els.map((e) => ({ root: e.getAttribute('data-root'), status: e.getAttribute('data-status'), action: e.getAttribute('data-action') })));
    const roots = problems.map((p) => p.root);
    expect(new Set(roots).size).toBe(roots.length);
    expect(roots).toEqual(expect.arrayContaining(['auth.spa-redirects', 'auth.implicit-access-token', 'permissions.no-graph']));
    // Fails before warnings; each fail Apply can fix says so.
    const order = problems.map((p) => ['fail', 'warn', 'unknown'].indexOf(p.status ?? ''));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(problems.find((p) => p.root === 'permissions.no-graph')?.action).toBe('apply');
    // Each root open in the list, with the guide's ask and the tenant's state.
    expect(await page.getByTestId('step-details-permissions.no-graph').textContent()).toMatch(/What the guide asks.*What the tenant has now/s);
    await snap(page, 'checklist-hand-made');

    await page.getByTestId('journey-next').click(); // Apply fixes
    await page.getByTestId('planned-write').or(page.getByTestId('error-bar')).or(page.getByText('Nothing to write', { exact: true })).first().waitFor({ timeout: 20_000 });
    if (await page.getByTestId('error-bar').count()) throw new Error(`preview failed: ${await page.getByTestId('error-bar').textContent()}`);
    expect(await page.getByTestId('planned-write-target').first().textContent()).toBe(`App registration "Instant Connect Enterprise SSO" (client id ${String(app.appId)})`);
    const lines = await page.getByTestId('portal-change').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(lines).toContain('API permissions: remove Microsoft Graph › User.Read');
    expect(lines).toContain('Authentication › Single-page application: add https://dc2.example.com/sso');
    expect(lines).toContain('Authentication › Implicit grant and hybrid flows: add Access tokens');
    expect(lines).toContain('Manifest › tags: add ice-sso-assistant');
    expect(lines.join('\n')).not.toMatch(/remove https:\/\/dc1/);
    await snap(page, 'apply-preview-hand-made');
    await page.getByTestId('confirm-apply').click();
    await page.getByTestId('no-problems').waitFor({ timeout: 30_000 });
    const after = await statuses(page);
    for (const id of GUIDE_STEPS) expect(`${id}: ${after[id]}`).toBe(`${id}: pass`);
    // Review offline: the same registration's JSON, as the portal's Manifest download would give it.
    const { writeFileSync } = await import('node:fs');
    const json = path.join(h.tmp, 'hand-made.json');
    writeFileSync(json, JSON.stringify(app, null, 2));
    h.dialogAnswers.push(json);
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-application').click();
    await page.getByTestId('checklist').waitFor();
    await snap(page, 'review-application');
    const words = await page.getByTestId('checklist').textContent();
    expect(words).not.toMatch(/--[a-z]|GET \/|POST \/|DELETE \//);
    // The registration was repaired, not replaced.
    expect(emu.state.applications).toHaveLength(1);
    const repaired = emu.state.applications.find((a) => a.appId === app.appId) as { spa?: { redirectUris?: string[] } } | undefined;
    expect(repaired?.spa?.redirectUris).toEqual(['https://dc1.example.com/sso', 'https://dc2.example.com/sso']);
  });
});
