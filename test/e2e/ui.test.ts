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
    expect(opened.site.draft.hosts).toEqual(['test.icnow.app', 'https://DC2.icnow.app']);

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

  it('exports a signed bundle and reviews it: UNTRUSTED (never green) until the admin trusts the fingerprint, then VALID; tampered INVALID', async () => {
    const { page } = h;
    await siteWithRun(h);
    await page.reload();
    await page.getByTestId('site-row').getByText('Contoso DC1').click();
    await page.getByTestId('nav-export').click();
    await page.getByTestId('key-info').waitFor();
    await expect.poll(() => page.getByTestId('readiness').getAttribute('data-ready')).toBe('true');
    // the engineer's fingerprint, as they would read it out over the phone
    const fingerprint = (await page.getByTestId('key-fingerprint').textContent())!;
    expect(fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){7}$/);
    const out = path.join(h.tmp, 'usb', 'contoso.icesso');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(out));
    h.dialogAnswers.push(out);
    await page.getByTestId('export-bundle').click();
    await page.getByTestId('export-result').waitFor();
    expect(await page.getByTestId('export-result').textContent()).toContain('Exported and verified');
    await shot(page, 'export');

    // Exporting to the same file again asks "Replace?"; Cancel keeps the file, Replace writes the new bundle.
    h.dialogAnswers.push(out);
    await page.getByTestId('export-bundle').click();
    await page.getByTestId('replace-dialog').waitFor();
    expect(await page.getByTestId('replace-dialog').textContent()).toContain(out);
    await page.waitForTimeout(500); // the dialog's fade-in
    await shot(page, 'export-replace', { full: false });
    await page.getByTestId('replace-confirm').click();
    await expect.poll(() => page.getByTestId('export-result').textContent()).toContain('Exported and verified');

    h.dialogAnswers.push(out);
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-bundle').click();
    await page.getByTestId('signature-status').waitFor();
    const bar = page.getByTestId('signature-status');
    expect(await bar.getAttribute('data-verdict')).toBe('UNTRUSTED');
    expect(await bar.textContent()).toContain('UNTRUSTED');
    expect(await page.getByTestId('signer-fingerprint').textContent()).toBe(fingerprint);
    expect(await page.getByTestId('values-warning').textContent()).toMatch(/Check the fingerprint with the engineer/);
    const bg = async () => (await bar.evaluate((el) => getComputedStyle(el).backgroundColor)).match(/\d+/g)!.map(Number) as [number, number, number];
    const [r1, g1] = await bg();
    expect(g1 > r1, 'UNTRUSTED must not be green').toBe(false);
    expect(await page.getByTestId('step').count()).toBe(STEP_IDS.length);
    expect(await page.getByTestId('ice-value').count()).toBe(8);
    await shot(page, 'review-untrusted');

    // A wrong (short) fingerprint is refused, saying why; the right one, typed as read out, makes it VALID.
    await page.getByTestId('trust-fingerprint').fill(fingerprint.slice(0, 19));
    await page.getByTestId('trust-add-fingerprint').click();
    await expect.poll(() => page.getByText(/a key fingerprint has 32/).count()).toBeGreaterThan(0);
    await page.getByTestId('trust-fingerprint').fill(fingerprint.toLowerCase());
    await page.getByTestId('trust-name').fill('Megan (field engineer)');
    await page.getByTestId('trust-add-fingerprint').click();
    await expect.poll(() => bar.getAttribute('data-verdict')).toBe('VALID');
    expect(await page.getByTestId('trusted-key').count()).toBe(1);
    expect(await page.getByTestId('trusted-key').textContent()).toContain('Megan (field engineer)');
    const [r2, g2, b2] = await bg();
    expect(g2 > r2 && g2 > b2, 'VALID is green').toBe(true);
    await shot(page, 'review-valid');

    // A flipped byte: INVALID, and why.
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(out);
    const bad = path.join(h.tmp, 'tampered.icesso');
    const copy = Buffer.from(bytes);
    const at = copy.indexOf(Buffer.from('Instant Connect'));
    copy[at] = copy[at]! ^ 0x01;
    writeFileSync(bad, copy);
    h.dialogAnswers.push(bad);
    await page.getByTestId('review-bundle').click();
    await expect.poll(() => page.getByTestId('signature-status').getAttribute('data-verdict')).toBe('INVALID');
    expect(await page.getByTestId('signature-status').textContent()).toMatch(/damaged|changed after signing/);
    await shot(page, 'review-invalid');

    // Managing the list: remove the key, the next review is UNTRUSTED again.
    await page.getByTestId('trust-remove').click();
    await expect.poll(() => page.getByTestId('trusted-key').count()).toBe(0);
    h.dialogAnswers.push(out);
    await page.getByTestId('review-bundle').click();
    await expect.poll(() => page.getByTestId('signature-status').getAttribute('data-verdict')).toBe('UNTRUSTED');
  });

  it('a site with failing steps: Export says not ready and names them; an explicit choice exports it INCOMPLETE; Review says so', async () => {
    const { page } = h;
    const site = await siteWithRun(h, 'Fabrikam DC');
    const { recordRun, loadSite } = await import('../../src-main/sites/store');
    const last = (await loadSite(site.file)).site.history.at(-1)!;
    await recordRun(site.file, {
      ...last,
      kind: 'verify',
      at: new Date().toISOString(),
      steps: last.steps.map((s) => (s.id === 'token.upn-claim' ? { ...s, status: 'fail', found: 'The access token carries no upn claim.', fix: 'Add the optional claim upn to the access token.' } : s)),
    });
    await page.reload();
    await page.getByTestId('site-row').getByText('Fabrikam DC').click();
    await page.getByTestId('nav-export').click();
    await expect.poll(() => page.getByTestId('readiness').getAttribute('data-ready')).toBe('false');
    expect(await page.getByTestId('failing-step').count()).toBe(1);
    expect(await page.getByTestId('failing-step').textContent()).toContain('token.upn-claim');
    expect(await page.getByTestId('export-bundle').isDisabled()).toBe(true);
    await shot(page, 'export-not-ready');
    await page.getByTestId('allow-incomplete').click();
    expect(await page.getByText(/Export anyway, as an INCOMPLETE bundle that tells the admin token\.upn-claim fails/).count()).toBe(1);
    const out = path.join(h.tmp, 'fabrikam.icesso');
    h.dialogAnswers.push(out);
    await page.getByTestId('export-bundle').click();
    await page.getByTestId('export-result').waitFor();
    expect(await page.getByTestId('export-result').textContent()).toContain('Exported as INCOMPLETE and verified');
    await shot(page, 'export-incomplete');

    h.dialogAnswers.push(out);
    await page.getByTestId('nav-review').click();
    await page.getByTestId('review-bundle').click();
    await page.getByTestId('incomplete').waitFor();
    expect(await page.getByTestId('incomplete').textContent()).toContain('token.upn-claim');
    expect(await page.getByTestId('signature-status').getAttribute('data-verdict')).toBe('UNTRUSTED');
    await shot(page, 'review-incomplete');
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
