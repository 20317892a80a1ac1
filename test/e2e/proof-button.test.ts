// "Prove sign-in" from the Checklist screen: one click opens the sign-in window (here a page of the same Chromium,
// watched as main watches its BrowserWindow), the user signs in on the emulator's sign-in page, and proof.token turns
// green in the checklist. Then the fallback: the system browser and a pasted address.
// Entra behaviour emulated: see test/e2e/proof-window.test.ts (authorization code flow, redirect with code + state).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customCloud } from '../../src-main/core/clouds';
import { parseSettings } from '../../src-main/core/settings';
import { apply } from '../../src-main/graph/engine';
import { openSession } from '../../src-main/ops/session';
import { recordRun } from '../../src-main/sites/store';
import { chromiumAndCaSkipReason, shot, startHarness, type Harness } from './harness';
import { signInOnPage, signInPageShown } from './signin-window';
import { emulatedSite } from './fixtures';
import type { Emulator } from '../emulator/index';

const skip = chromiumAndCaSkipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('Prove sign-in from the UI (emulator)', () => {
  let h: Harness;
  let emu: Emulator;

  beforeAll(async () => {
    const { startEmulator } = await import('../emulator/index');
    emu = await startEmulator({ deviceCodeIntervalSec: 0.05, autoApproveDeviceCodeAfterMs: 0 });
    emu.signInAs('appadmin');
    h = await startHarness({ viewport: { width: 1280, height: 800 } });
    const hosts = ['dc1.example.com'];
    const site = await emulatedSite(h, emu, 'Proof tenant', hosts);
    // The registration exists (made by apply, as the CLI does it), recorded in the site.
    const parsed = parseSettings({ hosts, cloud: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const session = await openSession({ cloud: customCloud(emu.loginUrl, emu.graphUrl), tenant: emu.tenantDomain, purpose: { action: 'apply', consent: 'users' }, method: 'device-code' });
    const r = await apply(session.graph, { settings: parsed.settings, tenantId: session.tenantId, readGrants: session.readGrants });
    await recordRun(site.file, { kind: 'apply', at: new Date().toISOString(), by: 'engineer', tenantId: session.tenantId, app: { objectId: r.app.objectId!, appId: r.app.appId! }, steps: r.steps, values: r.values });
    emu.setUser({ userPrincipalName: 'tester', roles: [], canConsent: true, groups: [{ id: '6a1d8c2e-1111-4222-8333-944445555777', displayName: 'Dispatch', samAccountName: 'dispatch' }] });
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
    await emu?.stop();
  });

  it('one click: the sign-in window, the user signs in, proof.token passes in the checklist', async () => {
    const { page } = h;
    await page.getByTestId('site-row').getByText('Proof tenant').click();
    await page.getByTestId('nav-checklist').click();
    await page.locator('[data-step-id="proof.token"]').waitFor();
    expect(await page.locator('[data-step-id="proof.token"]').getAttribute('data-status')).toBe('unknown');

    emu.setAuthorizeBehaviour({ mode: 'page' });
    await page.getByTestId('prove-signin').click();
    await page.getByTestId('proof-dialog').waitFor();
    await expect.poll(() => h.proofWindows.length).toBe(1);
    const win = h.proofWindows[0]!;
    await signInPageShown(win);
    await shot(page, 'proof-waiting', { full: false }); // shot() runs axe-core on the dialog too
    await signInOnPage(win, `tester@${emu.tenantDomain}`);

    await page.getByTestId('proof-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('proof-result').getAttribute('data-status')).toBe('pass');
    expect(await page.getByTestId('proof-result').textContent()).toMatch(/Sign-in proved.*groups by name \(dispatch\)/);
    await expect.poll(() => win.page.isClosed()).toBe(true);
    await shot(page, 'proof-passed', { full: false });
    await page.getByTestId('proof-close').click();
    await expect.poll(() => page.locator('[data-step-id="proof.token"]').getAttribute('data-status')).toBe('pass');
    // Nothing the renderer received carries a token.
    expect(JSON.stringify(h.responses)).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*|emu-(rt|ac)\.[\w-]{10,}/);
  });

  it('the fallback: switch to the system browser, paste the address it landed on', async () => {
    const { page } = h;
    emu.setAuthorizeBehaviour({ mode: 'page' });
    await page.getByTestId('prove-signin').click();
    await expect.poll(() => h.proofWindows.length).toBe(2);
    await page.getByTestId('proof-use-browser').click();
    // The window closes, nothing is recorded for it; the authorize URL went to the (allow-listed) system browser.
    await expect.poll(() => h.proofWindows[1]!.page.isClosed()).toBe(true);
    await expect.poll(() => h.opened.filter((u) => u.includes('/oauth2/v2.0/authorize')).length).toBe(1);
    await page.getByTestId('proof-address').waitFor();
    await shot(page, 'proof-browser-fallback', { full: false });

    // Playing the system browser: the emulator signs the current user in and redirects to the native-client URI.
    emu.setAuthorizeBehaviour({ mode: 'auto' });
    emu.signInAs(`tester@${emu.tenantDomain}`);
    const url = h.opened.find((u) => u.includes('/oauth2/v2.0/authorize'))!;
    const res = await fetch(url, { redirect: 'manual' });
    const landed = res.headers.get('location')!;
    expect(landed).toContain('/common/oauth2/nativeclient?code=');

    // A wrong address first: told what to paste, nothing lost.
    await page.getByTestId('proof-address').fill('https://example.com/nothing');
    await page.getByTestId('proof-check').click();
    await page.getByTestId('proof-error').waitFor();
    expect(await page.getByTestId('proof-error').textContent()).toMatch(/no "code="/);
    await page.getByTestId('proof-use-browser').click();
    await expect.poll(() => h.opened.filter((u) => u.includes('/oauth2/v2.0/authorize')).length).toBe(2);
    const again = await fetch(h.opened.filter((u) => u.includes('/oauth2/v2.0/authorize'))[1]!, { redirect: 'manual' });
    await page.getByTestId('proof-address').fill(again.headers.get('location')!);
    await page.getByTestId('proof-address').press('Enter');
    await page.getByTestId('proof-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('proof-result').getAttribute('data-status')).toBe('pass');
    expect(landed).not.toBe(again.headers.get('location'));
  });
});
