// Realistic sites for the bundle/sites tests: a compliant app built by the core's desired state,
// audited by the core's audit (the same code verify runs), recorded as a verify run.
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { audit, desiredApplication, settingsOrThrow, settingsToInput } from '../../src-main/core';
import type { RunRecord } from '../../src-main/core/types';
import { applyRun, newSiteDocument } from '../../src-main/sites/store';
import type { SiteDocument } from '../../src-main/sites/schema';
import { signingKeyFrom, type SigningKey } from '../../src-main/bundle/keys';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const APP_ID = '1b4f3c2a-9d8e-4f7a-b6c5-0e1d2c3b4a59';
export const OBJECT_ID = 'e7d9a8b1-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
export const SP_ID = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
export const SCOPE_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

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

export function verifiedSite(name = 'Contoso HQ'): SiteDocument {
  const { run, settingsInput } = verifiedRun();
  const site = newSiteDocument({ name, settings: settingsInput, tenant: { id: TENANT, domain: 'contoso.onmicrosoft.com' } }, '2026-11-26T13:00:00.000Z');
  return applyRun(site, run);
}

export function testKey(): SigningKey {
  return signingKeyFrom(generateKeyPairSync('ed25519').privateKey);
}

export async function tmpDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), `ice-${prefix}-`));
}
