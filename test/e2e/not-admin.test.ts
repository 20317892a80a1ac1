// The field engineer is not an administrator. With the default sign-in client (Microsoft Graph Command Line Tools)
// the read permissions need a consent that a plain user may not give: Entra answers consent_required after the
// user signed in, and the app says what to do in its own words (no command-line options), with the admin consent
// link one click away to send to the tenant's administrator. The administrator registers the organisation's own
// public client instead and consents for the tenant; the engineer names it for the site and signs in with it.
// Entra behaviour emulated (checked against Microsoft's pages): consent per client and scope, AADSTS65001 (cited in
// test/integration/customer-tenant.test.ts); the admin consent endpoint {login}/{tenant}/v2.0/adminconsent with
// client_id, scope and redirect_uri (https://learn.microsoft.com/entra/identity-platform/v2-admin-consent); a
// delegated grant with consentType AllPrincipals authorizes the client for all users of the tenant
// (https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAndCaSkipReason, shot, startHarness, type Harness } from './harness';
import type { Emulator } from '../emulator/index';
import { emulatedSite } from './fixtures';

const skip = chromiumAndCaSkipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('an engineer who is not an administrator (emulator)', () => {
  let h: Harness;
  let emu: Emulator;

  beforeAll(async () => {
    const { startEmulator } = await import('../emulator/index');
    emu = await startEmulator({ deviceCodeIntervalSec: 0.05 });
    emu.signInAs('user'); // a plain user: may consent to User.Read only
    h = await startHarness();
    await emulatedSite(h, emu, 'Customer tenant', ['dc1.example.com']);
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
    await emu?.stop();
  });

  it("consent nobody present can give: the app's words and the admin consent link; then the organisation's own client signs in", async () => {
    const { page } = h;
    const { DEFAULT_CLIENT_ID } = await import('../../src-main/auth');
    await page.getByTestId('site-row').getByText('Customer tenant').click();
    await page.getByTestId('nav-signin').click();
    await expect.poll(() => page.getByTestId('signin-tenant').inputValue()).toBe(emu.tenantDomain);
    await page.getByTestId('signin').click();
    const first = await emu.waitForDeviceCode(10_000);
    expect(first.clientId).toBe(DEFAULT_CLIENT_ID);
    emu.approveDeviceCode(first.userCode);

    const bar = page.getByTestId('error-bar');
    await bar.waitFor({ timeout: 20_000 });
    const text = (await bar.textContent()) ?? '';
    expect(text).toMatch(/may not consent to Application\.Read\.All, Directory\.Read\.All/);
    expect(text).toMatch(/verify \(read-only\) and the portal steps .* still work/);
    expect(text).toMatch(/ask the administrator for your organisation's own sign-in client, and name it under Sign-in client/);
    expect(text, 'no command-line options in the app').not.toMatch(/--[a-z]/);
    expect(await page.getByTestId('error-code').textContent()).toBe('Code: signin.consent-required');
    await page.getByTestId('copy-admin-consent').click();
    await expect.poll(() => h.clipboard.length).toBe(1);
    const link = new URL(h.clipboard[0]!);
    expect(link.origin + link.pathname).toBe(`${emu.loginUrl}/${emu.tenantDomain}/v2.0/adminconsent`);
    expect(link.searchParams.get('client_id')).toBe(DEFAULT_CLIENT_ID);
    await shot(page, 'signin-consent-required');

    // The administrator registered the organisation's own public client and granted it the read permissions for
    // the whole tenant (an AllPrincipals grant on Microsoft Graph).
    const own = emu.seedApplication({ displayName: 'Contoso field tools', isFallbackPublicClient: true }, { servicePrincipal: true });
    const ownSp = emu.state.servicePrincipals.find((s) => s.appId === own.appId)!;
    emu.seedGrant({ clientId: String(ownSp.id), resourceId: emu.graphServicePrincipalId, scope: 'Application.Read.All Directory.Read.All', consentType: 'AllPrincipals' });

    const field = page.getByTestId('signin-client-id');
    await field.fill('contoso-tools');
    expect(await page.getByTestId('signin-client').textContent()).toMatch(/"contoso-tools" is not a client id/);
    expect(await page.getByTestId('signin-client-save').isDisabled()).toBe(false);
    await field.fill(String(own.appId));
    await page.getByTestId('signin-client-save').click();
    await page.getByText(`The next sign-in for this site uses client ${String(own.appId)}.`).waitFor();
    expect(await page.getByTestId('error-bar').count(), 'the old client\'s failure is gone').toBe(0);
    await shot(page, 'signin-own-client');

    await page.getByTestId('signin').click();
    const second = await emu.waitForDeviceCode(10_000);
    expect(second.clientId).toBe(own.appId);
    emu.approveDeviceCode(second.userCode);
    await page.getByText('Signed in', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('error-bar').count()).toBe(0);

    // Verify (read-only) works with it: every step has a result (none of the registration exists yet).
    await page.getByTestId('nav-checklist').click();
    await page.getByTestId('journey-next').click(); // Verify
    await page.locator('[data-step-id="register.app"][data-status="fail"]').waitFor({ timeout: 20_000 });
    expect(emu.deviceCodes.filter((d) => d.status !== 'pending')).toHaveLength(2); // no third sign-in
    // Back to the default client: the site forgets the client id.
    await page.getByTestId('nav-signin').click();
    await page.getByTestId('signin-client-default').click();
    await page.getByText('The next sign-in for this site uses the default client.').waitFor();
  });
});
