// "A site with a recorded run", built on the real core and store: a compliant app made by the core's desired
// state (or the compliant Graph fixtures), audited by the core's audit (the code verify runs), recorded through
// ops/site recordRun (the code verify/apply/server-check record with). For the bundle, sites, app and UI tests.
import { generateKeyPairSync } from 'node:crypto';
import { audit, desiredApplication, settingsOrThrow, settingsToInput } from '../../src-main/core';
import type { RunRecord, Settings } from '../../src-main/core/types';
import { signingKeyFrom, type SigningKey } from '../../src-main/bundle/keys';
import { recordRun } from '../../src-main/ops/site';
import type { SiteDocument } from '../../src-main/sites/schema';
import { applyRun, createSite, newSiteDocument } from '../../src-main/sites/store';
import { compliantApp, compliantSp, COMPLIANT } from './fixtures';

export { tmpDir } from './tmp';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const APP_ID = '1b4f3c2a-9d8e-4f7a-b6c5-0e1d2c3b4a59';
export const OBJECT_ID = 'e7d9a8b1-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
export const SP_ID = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
export const SCOPE_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

/** A verify run of an app the core's desired state made compliant with these settings. */
export function verifiedRun(opts: { hosts?: string[]; consent?: 'users' | 'admins' } = {}): { run: RunRecord; settingsInput: Record<string, unknown> } {
  const settings = settingsOrThrow({
    displayName: 'Instant Connect Enterprise SSO',
    hosts: opts.hosts ?? ['ice-dc1.contoso.com', 'ice-dc2.contoso.com'],
    consent: opts.consent ?? 'users',
    groupTypes: ['SecurityGroup'],
  });
  const app = { ...desiredApplication(settings, { appId: APP_ID, scopeId: SCOPE_ID }), id: OBJECT_ID, appId: APP_ID };
  const result = audit({ application: app, servicePrincipal: { id: SP_ID, appId: APP_ID }, grants: [], tenantId: TENANT }, settings);
  const run: RunRecord = {
    kind: 'verify',
    at: '2026-11-26T14:03:27.000Z',
    by: 'megan.bowen@contoso.com',
    tenantId: TENANT,
    app: { objectId: OBJECT_ID, appId: APP_ID },
    steps: result.steps,
    values: result.values,
    requests: [{ method: 'GET', path: `/applications/${OBJECT_ID}`, status: 200 }],
  };
  return { run, settingsInput: settingsToInput(settings) as Record<string, unknown> };
}

/** A site document (in memory) with one verified run. */
export function verifiedSite(name = 'Contoso HQ'): SiteDocument {
  const { run, settingsInput } = verifiedRun();
  const site = newSiteDocument({ name, settings: settingsInput, tenant: { id: TENANT, domain: 'contoso.onmicrosoft.com' } }, '2026-11-26T13:00:00.000Z');
  return applyRun(site, run);
}

/**
 * Records in the site file an audit of the compliant Graph fixtures (app, service principal, no grants) against
 * `settings`, as a run of `kind` — what a verify of that tenant would have recorded.
 */
export async function recordCompliantRun(file: string, settings: Settings, opts: { kind?: RunRecord['kind']; tenantId?: string; by?: string; withServicePrincipal?: boolean; withAppIds?: boolean } = {}): Promise<RunRecord> {
  const tenantId = opts.tenantId ?? COMPLIANT.tenantId;
  const app = compliantApp();
  const result = audit({ application: app, ...(opts.withServicePrincipal === false ? {} : { servicePrincipal: compliantSp(), grants: [] }), tenantId }, settings);
  return recordRun(
    { file },
    {
      kind: opts.kind ?? 'verify',
      by: opts.by ?? 'fe@contoso.example',
      tenantId,
      ...(opts.withAppIds === false ? {} : { app: { objectId: app.id!, appId: app.appId! } }),
      steps: result.steps,
      values: result.values,
    },
  );
}

/** A site file on disk (real store) with a recorded audit of the compliant fixtures. Returns its path. */
export async function siteFileWithRun(file: string, opts: { name?: string; hosts?: string[]; tenant?: string } = {}): Promise<string> {
  const hosts = opts.hosts ?? COMPLIANT.hosts;
  const settings = settingsOrThrow({ hosts });
  await createSite(file, { name: opts.name ?? 'Contoso DC1', settings: { hosts }, tenant: { id: opts.tenant ?? COMPLIANT.tenantId } });
  await recordCompliantRun(file, settings);
  return file;
}

export function testKey(): SigningKey {
  return signingKeyFrom(generateKeyPairSync('ed25519').privateKey);
}
