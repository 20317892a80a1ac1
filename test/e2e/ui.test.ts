// The desktop UI in Chromium against the real app services (see harness.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ICE_DESKTOP_FIELDS, STEP_IDS } from '../../src-main/core/types';
import { chromiumOrSkipReason, shot, startHarness, type Harness } from './harness';
import { compliantApp, fixture, siteWithRun, tmpJson } from './fixtures';

const skip = chromiumOrSkipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('ICE SSO Assistant UI', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.page.getByRole('heading', { name: 'Sites' }).waitFor();
  });
  afterEach(async () => {
    expect(h.consoleErrors, 'console errors / CSP violations').toEqual([]);
    await h.close();
  });

  it('creates a site: bad input shows inline errors per field, fixed input creates it', async () => {
    const { page } = h;
    await page.getByTestId('new-site').click();
    await page.getByTestId('site-name').fill('Contoso DC1');
    await page.getByTestId('host-0').fill('https://test.icnow.app/portal');
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-1').fill('dc2 icnow app');
    await page.getByTestId('scope-value').fill('.Bad scope');
    await page.getByTestId('display-name').fill('');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('setup-error').waitFor();
    // Each message sits beside its field.
    const host0 = page.getByTestId('hosts-editor').locator('[role="alert"], .fui-Field__validationMessage').first();
    await expect.poll(() => host0.textContent()).toContain('/portal');
    await expect.poll(() => page.getByText(/contains a space/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/starts with '\.'|must not start/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/is empty: give a display name/).count()).toBeGreaterThan(0);
    await shot(page, 'setup-errors');
    // Nothing was created.
    expect((await h.services['sites.list']({})).sites).toHaveLength(0);

    await page.getByTestId('host-0').fill('test.icnow.app');
    await page.getByTestId('host-1').fill('https://DC2.icnow.app');
    await page.getByTestId('scope-value').fill('UserProfile.ReadWrite');
    await page.getByTestId('display-name').fill('Instant Connect Enterprise SSO');
    // The normalised preview.
    await expect.poll(() => page.getByTestId('host-preview-0').textContent()).toBe('https://test.icnow.app/sso');
    await expect.poll(() => page.getByTestId('host-preview-1').textContent()).toBe('https://dc2.icnow.app/sso');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('setup-success').waitFor();
    await shot(page, 'setup-created');
    const list = await h.services['sites.list']({});
    expect(list.sites.map((s) => s.name)).toEqual(['Contoso DC1']);
    const opened = await h.services['sites.open']({ id: list.sites[0]!.id });
    expect(opened.ok && opened.site.draft.hosts).toEqual(['test.icnow.app', 'https://DC2.icnow.app']);

    await page.getByRole('tab', { name: 'Sites' }).or(page.getByText('Sites', { exact: true }).first()).click();
    await page.getByTestId('site-row').first().waitFor();
  });

  it('lists a damaged site file with its error and still loads the others', async () => {
    await siteWithRun(h, 'Fabrikam');
    writeFileSync(path.join(h.sitesDir, 'broken.json'), '{"format": "ice-sso-site", "schemaVersion": 1, "name": ');
    await h.page.reload();
    await h.page.getByTestId('damaged-sites').waitFor();
    expect(await h.page.getByTestId('damaged-sites').textContent()).toContain('broken.json');
    // The table is its own chunk (loaded once there is a site to show): wait for it, then count.
    await h.page.getByTestId('site-row').first().waitFor();
    expect(await h.page.getByTestId('site-row').count()).toBe(1);
    await shot(h.page, 'sites-list');
    // Moving the damaged file to the trash keeps it (recoverable) and clears the warning.
    await h.page.getByTestId('damaged-site').getByText('Move to trash').click();
    await h.page.getByTestId('damaged-sites').waitFor({ state: 'detached' });
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(path.join(h.sitesDir, '.trash')).some((n) => n.endsWith('__broken.json'))).toBe(true);
  });

  it('reviews an application JSON offline: every step id with a status', async () => {
    const { page } = h;
    // The portal's default registration (User.Read on Graph, no SPA, no scope...): many fails.
    h.dialogAnswers.push(tmpJson(h, 'portal-default.json', fixture('portal-default-registration.json')));
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-application').click();
    await page.getByTestId('checklist').waitFor();
    const steps = page.getByTestId('step');
    expect(await steps.count()).toBe(STEP_IDS.length);
    const ids = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id')));
    expect(ids).toEqual([...STEP_IDS]);
    const statuses = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.every((s) => ['pass', 'fail', 'warn', 'info', 'unknown'].includes(s ?? ''))).toBe(true);
    const noGraph = page.locator('[data-step-id="permissions.no-graph"]');
    expect(await noGraph.getAttribute('data-status')).toBe('fail');
    // Failing steps are open, with the guide's ask, the tenant's state, why and the fix.
    const details = page.getByTestId('step-details-permissions.no-graph');
    expect(await details.textContent()).toMatch(/What the guide asks.*What the tenant has now.*Why it matters.*Fix/s);
    await shot(page, 'review-application');
    await page.locator('[data-step-id="permissions.no-graph"]').scrollIntoViewIfNeeded();
    await shot(page, 'review-application-viewport', { full: false });
    // The portal link opens only through the allow-listed openExternal.
    await details.getByRole('button', { name: 'Open in Azure portal' }).click();
    await expect.poll(() => h.opened.length).toBe(1);
    expect(new URL(h.opened[0]!).host).toBe('portal.azure.com');
  });

  it('values screen shows the eight fields in ICE Desktop order, with copy buttons', async () => {
    const { page } = h;
    const site = await siteWithRun(h);
    await page.reload();
    await page.getByTestId('site-row').getByText('Contoso DC1').click();
    await page.getByTestId('checklist').waitFor();
    await shot(page, 'checklist');
    await page.getByTestId('nav-values').click();
    await page.getByTestId('ice-values').waitFor();
    const rows = page.getByTestId('ice-value');
    expect(await rows.count()).toBe(8);
    const keys = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    expect(keys).toEqual(ICE_DESKTOP_FIELDS.map((f) => f.key));
    const labels = await rows.evaluateAll((els) => els.map((e) => e.querySelector('td')?.textContent ?? ''));
    ICE_DESKTOP_FIELDS.forEach((f, i) => expect(labels[i]).toContain(f.label));
    const app = compliantApp();
    expect(await page.getByTestId('value-clientId').textContent()).toBe(app.appId);
    expect(await page.getByTestId('value-scope').textContent()).toBe(`api://${app.appId}/UserProfile.ReadWrite`);
    await page.getByTestId('copy-Scope').click();
    await expect.poll(() => h.clipboard.at(-1)).toBe(`api://${app.appId}/UserProfile.ReadWrite`);
    await shot(page, 'values');
    expect(site.id).toMatch(/\.json$/);
  });

  it('exports a signed bundle (verified after write) and reviews it offline', async () => {
    const { page } = h;
    await siteWithRun(h);
    await page.reload();
    await page.getByTestId('site-row').getByText('Contoso DC1').click();
    await page.getByTestId('nav-export').click();
    await page.getByTestId('key-info').waitFor();
    const out = path.join(h.tmp, 'usb', 'contoso.icesso');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(out));
    h.dialogAnswers.push(out);
    await page.getByTestId('export-bundle').click();
    await page.getByTestId('export-result').waitFor();
    expect(await page.getByTestId('export-result').textContent()).toContain('Exported and verified');
    await shot(page, 'export');

    h.dialogAnswers.push(out);
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-bundle').click();
    await page.getByTestId('signature-status').waitFor();
    expect(await page.getByTestId('signature-status').getAttribute('data-valid')).toBe('true');
    expect(await page.getByTestId('signature-status').textContent()).toMatch(/self-signed, fingerprint [0-9A-F]{4} /);
    expect(await page.getByTestId('step').count()).toBe(STEP_IDS.length);
    expect(await page.getByTestId('ice-value').count()).toBe(8);
    await shot(page, 'review-bundle');

    // A flipped byte: the same screen says the signature is not valid, and why.
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(out);
    const bad = path.join(h.tmp, 'tampered.icesso');
    const copy = Buffer.from(bytes);
    const at = copy.indexOf(Buffer.from('Instant Connect'));
    copy[at] = copy[at]! ^ 0x01;
    writeFileSync(bad, copy);
    h.dialogAnswers.push(bad);
    await page.getByTestId('review-bundle').click();
    await expect.poll(() => page.getByTestId('signature-status').getAttribute('data-valid')).toBe('false');
    await shot(page, 'review-bundle-tampered');
  });

  it('no response sent to the page carries a token, key or secret', async () => {
    await siteWithRun(h);
    await h.page.reload();
    await h.page.getByTestId('site-row').getByText('Contoso DC1').click();
    await h.page.getByTestId('nav-export').click();
    await h.page.getByTestId('key-info').waitFor();
    await h.page.getByTestId('nav-signin').click();
    await h.page.getByTestId('signin').waitFor();
    const text = JSON.stringify(h.responses);
    expect(h.responses.length).toBeGreaterThan(3);
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./);
    expect(text).not.toMatch(/"(accessToken|refreshToken|idToken|secret|privateKey)"/i);
    await shot(h.page, 'signin');
  });
});
