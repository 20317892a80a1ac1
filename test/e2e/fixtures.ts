// Test data for the UI tests: real application objects from test/fixtures/graph, and a site with a
// recorded run made by the real core (audit) and sites store.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { audit } from '../../src-main/core/audit';
import { parseSettings } from '../../src-main/core/settings';
import type { GraphApplication, GraphServicePrincipal, RunRecord } from '../../src-main/core/types';
import { recordRun } from '../../src-main/sites/store';
import type { Harness } from './harness';
import { ROOT } from './harness';

export const FIXTURES = path.join(ROOT, 'test/fixtures/graph');
export const TENANT_ID = '5b3e9a1c-2d4f-4e6a-8b7c-9d0e1f2a3b4c';

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

export const compliantApp = () => fixture<GraphApplication>('compliant-application.json');
export const compliantSp = () => fixture<GraphServicePrincipal>('compliant-service-principal.json');

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
  const parsed = parseSettings({ hosts: draft.hosts, displayName: draft.displayName });
  if (!parsed.ok) throw new Error('settings');
  const result = audit({ application: compliantApp(), servicePrincipal: compliantSp(), grants: [], tenantId: TENANT_ID }, parsed.settings);
  const app = compliantApp();
  const run: RunRecord = {
    kind: 'audit',
    at: new Date().toISOString(),
    by: 'fe@contoso.example',
    tenantId: TENANT_ID,
    app: { objectId: app.id!, appId: app.appId! },
    steps: result.steps,
    values: result.values,
  };
  await recordRun(created.site.file, run);
  return { id: created.site.id, file: created.site.file };
}
