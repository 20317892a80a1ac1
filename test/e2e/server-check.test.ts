// "Check ICE Server" on the Checklist screen: main reads https://<host>/sso-meta of every ICE host (two loopback
// fake ICE Servers with the emulator's test CA; NODE_EXTRA_CA_CERTS, as npm test sets it) and the screen shows
// each host's result; the step is recorded in the site.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsOrThrow } from '../../src-main/core/settings';
import { loadSite } from '../../src-main/sites/store';
import { json, startFakeIce, type FakeIce } from '../server/fake-ice';
import { recordCompliantRun } from '../support/sites';
import { TENANT_ID } from './fixtures';
import { chromiumAndCaSkipReason, shot, startHarness, type Harness } from './harness';

const skip = chromiumAndCaSkipReason();
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('Check ICE Server (server.sso-meta) from the UI', () => {
  let h: Harness;
  let dc1: FakeIce;
  let dc2: FakeIce;
  let siteFile = '';
  let meta: Record<string, string | null> = {};

  beforeAll(async () => {
    dc1 = await startFakeIce();
    dc2 = await startFakeIce();
    h = await startHarness();
    const draft = (await h.services['settings.defaults']({})).draft;
    draft.hosts = [dc1.host, dc2.host];
    const created = await h.services['sites.create']({ name: 'Two ICE servers', draft, tenant: TENANT_ID });
    siteFile = created.site.file;
    const run = await recordCompliantRun(siteFile, settingsOrThrow({ hosts: draft.hosts }), { withAppIds: false });
    meta = { provider: 'azure_ad', ...run.values };
    await h.page.reload();
  });
  afterAll(async () => {
    expect(h.consoleErrors, 'console errors / CSP violations').toEqual([]);
    await h?.close();
    await dc1?.close();
    await dc2?.close();
  });

  it('shows each host: one matches (extra key listed), one differs (field, server value, expected); then both match', async () => {
    const { page } = h;
    dc1.handler = json({ ...meta, serverVersion: '5.1.2' });
    dc2.handler = json({ ...meta, clientId: '00000000-0000-0000-0000-000000000000', scope: 'api://wrong/UserProfile.ReadWrite' });
    await page.getByTestId('site-row').getByText('Two ICE servers').click();
    await page.getByTestId('nav-checklist').click();
    await page.getByTestId('check-server').click();
    await page.getByTestId('sso-meta-host').nth(1).waitFor({ timeout: 15_000 });
    const rows = await page.getByTestId('sso-meta-host').evaluateAll((els) => els.map((e) => [e.getAttribute('data-host'), e.getAttribute('data-status')]));
    expect(rows).toEqual([
      [dc1.host, 'pass'],
      [dc2.host, 'fail'],
    ]);
    const diffs = page.getByTestId('sso-meta-host').nth(1).getByTestId('sso-meta-diff');
    expect(await diffs.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual(['clientId', 'scope']);
    expect(await diffs.first().textContent()).toContain('Client ID');
    expect(await diffs.first().textContent()).toContain('"00000000-0000-0000-0000-000000000000"');
    expect(await diffs.first().textContent()).toContain(String(meta.clientId));
    expect(await page.getByTestId('sso-meta-host').first().textContent()).toMatch(/Also published, not compared: serverVersion/);
    await page.locator('[data-step-id="server.sso-meta"][data-status="fail"]').waitFor();
    await shot(page, 'checklist-server-check');
    // Main fetched (GET /sso-meta, no cookie, no credentials); recorded in the site for the next bundle.
    expect(dc2.seen).toEqual([{ method: 'GET', url: '/sso-meta' }]);
    expect((await loadSite(siteFile)).site.lastResults['server.sso-meta']).toMatchObject({ status: 'fail' });

    dc2.handler = json(meta);
    await page.getByTestId('check-server').click();
    await page.locator('[data-step-id="server.sso-meta"][data-status="pass"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('sso-meta-host').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['pass', 'pass']);
    expect((await loadSite(siteFile)).site.lastResults['server.sso-meta']).toMatchObject({ status: 'pass' });
  });

  it('an unreachable host: unknown, says why and that the check needs network to the ICE Server', async () => {
    const { page } = h;
    await dc2.close();
    await page.getByTestId('check-server').click();
    await page.locator('[data-testid="sso-meta-host"][data-status="unknown"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="sso-meta-host"][data-status="unknown"]').textContent()).toMatch(/refused.*needs network access/);
    await shot(page, 'checklist-server-unreachable', { full: false });
  });
});
