// "Prove sign-in" in one click: the capture logic (src-main/auth/proof-window.ts) drives a real Chromium window
// through the emulator's sign-in page, stops the redirect to the ICE app's native-client URI, redeems the code with
// PKCE and checks the token (proof.token), recorded in the site. The desktop app feeds the same logic from its
// BrowserWindow's will-navigate / will-redirect events; here the DevTools protocol plays that part.
//
// Entra's behaviour emulated (test/emulator, authorize mode 'page'): the browser shows a sign-in page; after the user
// signs in, the authorize endpoint answers with a redirect to redirect_uri carrying `code` and `state` in the query
// (response_mode=query, the default for a code), or `error`/`error_description` on failure. See "Request an
// authorization code" and "Successful response" in
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSignInRedirect, classifyProofNavigation } from '../../src-main/auth/proof-window';
import { proveSite, startSiteProof } from '../../src-main/ops/proof';
import { customCloud } from '../../src-main/core/clouds';
import { parseSettings } from '../../src-main/core/settings';
import { openSession } from '../../src-main/ops/session';
import { apply } from '../../src-main/graph/engine';
import { createSite, loadSite, latestRun, recordRun } from '../../src-main/sites/store';
import type { Emulator } from '../emulator/index';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { chromiumAndCaSkipReason } from './harness';
import { chromiumSignInWindow, signInOnPage, signInPageShown, trustEmulatorArg } from './signin-window';

const skip = chromiumAndCaSkipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('Prove sign-in in a window (Chromium, emulator)', () => {
  let emu: Emulator;
  let browser: Browser;
  let context: BrowserContext;
  let siteFile = '';
  const SECRET_RE = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*|emu-(rt|dc|ac)\.[\w-]{10,}/;

  beforeAll(async () => {
    const { startEmulator } = await import('../emulator/index');
    emu = await startEmulator({ deviceCodeIntervalSec: 0.05, autoApproveDeviceCodeAfterMs: 0 });
    emu.signInAs('appadmin');
    const parsed = parseSettings({ hosts: ['dc1.example.com'], cloud: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const session = await openSession({ cloud: customCloud(emu.loginUrl, emu.graphUrl), tenant: emu.tenantDomain, purpose: { action: 'apply', consent: 'users' }, method: 'device-code' });
    const r = await apply(session.graph, { settings: parsed.settings, tenantId: session.tenantId, readGrants: session.readGrants });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ice-proof-'));
    siteFile = path.join(dir, 'contoso.site.json');
    await createSite(siteFile, { name: 'Contoso', settings: parsed.settings as unknown as Record<string, unknown>, tenant: { domain: emu.tenantDomain } });
    await recordRun(siteFile, { kind: 'apply', at: new Date().toISOString(), by: 'engineer', tenantId: session.tenantId, app: { objectId: r.app.objectId!, appId: r.app.appId! }, steps: r.steps, values: r.values });
    // The test user who proves: in a group synced from on-premises AD (so the token names it).
    emu.setUser({ userPrincipalName: 'tester', roles: [], canConsent: true, groups: [{ id: '6a1d8c2e-1111-4222-8333-944445555777', displayName: 'Dispatch', samAccountName: 'dispatch' }] });
    const c = findChromium();
    browser = await chromium.launch({ executablePath: c.path!, args: [...CHROMIUM_ARGS, trustEmulatorArg()] });
    context = await browser.newContext();
  });
  afterAll(async () => {
    await browser?.close();
    await emu?.stop();
  });

  it('classifies navigations: the native-client redirect is captured, other https pages load, anything else is blocked', () => {
    const native = 'https://login.microsoftonline.com/common/oauth2/nativeclient';
    expect(classifyProofNavigation(`${native}?code=abc&state=s`, native)).toBe('capture');
    expect(classifyProofNavigation(`${native}#code=abc`, native)).toBe('capture');
    expect(classifyProofNavigation('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?x=1', native)).toBe('allow');
    expect(classifyProofNavigation('https://adfs.contoso.com/adfs/ls/?SAMLRequest=x', native)).toBe('allow');
    expect(classifyProofNavigation('http://login.microsoftonline.com/common/oauth2/nativeclient?code=x', native)).toBe('block');
    expect(classifyProofNavigation('https://login.microsoftonline.com:8443/common/oauth2/nativeclient?code=x', native)).toBe('allow');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'ms-settings:', 'not a url']) expect(classifyProofNavigation(bad, native)).toBe('block');
  });

  it('one click: the sign-in page in a window, the redirect captured before it loads, the code redeemed with PKCE, proof.token recorded', async () => {
    emu.setAuthorizeBehaviour({ mode: 'page' });
    const win = chromiumSignInWindow(context);
    const proving = proveSite(
      siteFile,
      (start) =>
        captureSignInRedirect(win, start, { timeoutMs: 30_000 }).then((landed) => {
          // What main hands on is the address with the code: it never loaded in the window.
          expect(landed.startsWith(start.redirectUri)).toBe(true);
          return landed;
        }),
      { by: 'engineer' },
    );
    await signInPageShown(win);
    await signInOnPage(win, `tester@${emu.tenantDomain}`);
    const page = win.page;
    const { step, run } = await proving;
    expect(step.id).toBe('proof.token');
    expect(step.status).toBe('pass');
    expect(step.found).toMatch(/no nonce/);
    expect(step.found).toMatch(/signature verifies/);
    expect(step.found).toMatch(new RegExp(`upn tester@${emu.tenantDomain.replace(/\./g, '\\.')}`));
    expect(step.found).toMatch(/groups by name \(dispatch\)/);
    // The window went: authorize (GET) → the form's POST → the redirect to nativeclient, stopped.
    const kinds = win.seen.map((n) => `${n.kind} ${new URL(n.url).pathname} ${n.prevented ? 'stopped' : 'loaded'}`);
    expect(kinds).toEqual([
      `navigate /${emu.tenantId}/oauth2/v2.0/authorize loaded`,
      `navigate /${emu.tenantId}/oauth2/v2.0/authorize loaded`,
      'redirect /common/oauth2/nativeclient stopped',
    ]);
    // The window is closed once the capture settles (closing a page is asynchronous).
    await expect.poll(() => page.isClosed()).toBe(true);
    // As the ICE app: its client id, the native-client redirect, PKCE (S256).
    const authorize = new URL(win.seen[0]!.url);
    const site = (await loadSite(siteFile)).site;
    expect(authorize.searchParams.get('client_id')).toBe(latestRun(site)!.values.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${emu.loginUrl}/common/oauth2/nativeclient`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    // Recorded in the site: the checklist (and the next bundle) carry proof.token; no token stored anywhere.
    expect(run.kind).toBe('audit');
    expect(run.check).toBe('proof'); // shown as "Sign-in proved", not as a whole audit
    expect(latestRun(site)!.steps.find((s) => s.id === 'proof.token')?.status).toBe('pass');
    expect(latestRun(site)!.steps.filter((s) => s.id !== 'proof.token').map((s) => s.status)).toEqual(
      latestRun({ ...site, history: site.history.slice(0, -1) })!.steps.filter((s) => s.id !== 'proof.token').map((s) => s.status),
    );
    expect(readFileSync(siteFile, 'utf8')).not.toMatch(SECRET_RE);
    expect(JSON.stringify({ step, run })).not.toMatch(SECRET_RE);
  });

  it('closing the window before signing in proves nothing and says so; the site is unchanged', async () => {
    emu.setAuthorizeBehaviour({ mode: 'page' });
    const before = readFileSync(siteFile, 'utf8');
    const win = chromiumSignInWindow(context);
    const outcome = proveSite(siteFile, (start) => captureSignInRedirect(win, start, { timeoutMs: 30_000 })).then(
      () => 'proved',
      (e: Error) => e.message,
    );
    await win.ready;
    await win.page.locator('input[name="login"]').waitFor();
    await win.page.close();
    expect(await outcome).toMatch(/closed before the sign-in finished: nothing was proved/);
    expect(readFileSync(siteFile, 'utf8')).toBe(before);
  });

  it('a refused sign-in (error in the redirect) is captured too and explained; a timeout gives up and closes the window', async () => {
    emu.setAuthorizeBehaviour({ mode: 'error', error: 'access_denied', errorDescription: 'AADSTS65004: User declined to consent to access the app.' });
    const win = chromiumSignInWindow(context);
    await expect(proveSite(siteFile, (start) => captureSignInRedirect(win, start, { timeoutMs: 30_000 }))).rejects.toThrow(/declined|consent/i);
    expect(win.seen.at(-1)).toMatchObject({ kind: 'redirect', prevented: true });

    emu.setAuthorizeBehaviour({ mode: 'page' });
    const slow = chromiumSignInWindow(context);
    const { signIn } = await startSiteProof(siteFile);
    await expect(captureSignInRedirect(slow, signIn, { timeoutMs: 1500 })).rejects.toThrow(/open too long/);
    await expect.poll(() => slow.page.isClosed()).toBe(true);
  });

  it('a page that tries to leave https (a hostile or broken IdP) is stopped and the window keeps waiting', async () => {
    emu.setAuthorizeBehaviour({ mode: 'page' });
    const win = chromiumSignInWindow(context);
    const blocked: string[] = [];
    const { signIn } = await startSiteProof(siteFile);
    const capture = captureSignInRedirect(win, signIn, { timeoutMs: 30_000, onBlocked: (u) => blocked.push(u) });
    await win.ready;
    await win.page.locator('input[name="login"]').waitFor();
    await win.page.evaluate(() => {
      location.href = 'http://127.0.0.1:9/steal';
    });
    await expect.poll(() => blocked).toEqual(['http://127.0.0.1:9/steal']);
    // Still on the sign-in page; the user can finish.
    await win.page.fill('input[name="login"]', `tester@${emu.tenantDomain}`);
    await win.page.click('#idSIButton9');
    const landed = await capture;
    expect(new URL(landed).searchParams.get('code')).toMatch(/^emu-ac\./);
  });
});
