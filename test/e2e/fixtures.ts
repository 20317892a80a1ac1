// Test data for the UI tests: the Graph fixtures (test/support/fixtures), and a site created through the real
// app services with a recorded run built by the real core and store (test/support/sites).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { settingsOrThrow } from '../../src-main/core/settings';
import { COMPLIANT, FIXTURES_DIR, compliantApp, compliantSp, fixture } from '../support/fixtures';
import { recordCompliantRun } from '../support/sites';
import type { Emulator } from '../emulator/index';
import type { Harness } from './harness';

export { FIXTURES_DIR as FIXTURES, compliantApp, compliantSp, fixture };
export const TENANT_ID = COMPLIANT.tenantId;

/** Writes a JSON file into the harness's temp folder and returns its path. */
export function tmpJson(h: Harness, name: string, value: unknown): string {
  const file = path.join(h.tmp, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** Creates a site through the real services, and records an audit of the compliant app with the tenant id. */
export async function siteWithRun(h: Harness, name = 'Contoso DC1'): Promise<{ id: string; file: string }> {
  const draft = (await h.services['settings.defaults']({})).draft;
  draft.hosts = ['test.icnow.app', 'dc2.icnow.app'];
  draft.displayName = 'Instant Connect Enterprise SSO';
  const created = await h.services['sites.create']({ name, draft, tenant: TENANT_ID });
  await recordCompliantRun(created.site.file, settingsOrThrow({ hosts: draft.hosts, displayName: draft.displayName }), { kind: 'audit' });
  return { id: created.site.id, file: created.site.file };
}

/** Creates a site for the emulated tenant (its cloud: the emulator's login and Graph hosts) through the real services. */
export async function emulatedSite(h: Harness, emu: Emulator, name: string, hosts: string[]): Promise<{ id: string; file: string }> {
  const draft = (await h.services['settings.defaults']({})).draft;
  draft.hosts = hosts;
  draft.cloud = { name: 'custom', loginUrl: emu.loginUrl, graphUrl: emu.graphUrl, portalUrl: 'https://portal.azure.com' };
  const created = await h.services['sites.create']({ name, draft, tenant: emu.tenantDomain });
  return { id: created.site.id, file: created.site.file };
}
