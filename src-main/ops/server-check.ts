// server.sso-meta for a saved site: the eight values of its latest run, the ICE hosts of its settings; the result
// is recorded in the site (a new run, kind "audit": the latest run's steps and values with server.sso-meta
// replaced), so the next bundle export carries it. No sign-in: /sso-meta is public.
import type { SsoMetaComparison } from '../core/sso-meta';
import type { RunRecord, Settings } from '../core/types';
import { AppError } from '../lib/errors';
import { latestRun } from '../sites/store';
import { checkSsoMeta, type SsoMetaFetchOptions } from '../server/sso-meta';
import { recordRun, settingsOf, type LoadedSite } from './site';

export interface ServerCheckOutcome extends SsoMetaComparison {
  settings: Settings;
  /** The run recorded in the site. */
  run: RunRecord;
  siteName: string;
}

/** Runs server.sso-meta against the values of the site's latest run and records the result. */
export async function checkServers(site: LoadedSite, opts: SsoMetaFetchOptions & { by?: string } = {}): Promise<ServerCheckOutcome> {
  const settings = settingsOf(site);
  const last = latestRun(site.doc);
  if (!last) {
    throw new AppError('site.no-run', `Site "${site.name}" has no recorded run, so the eight values to compare are not known.`, {
      todo: { cli: 'Run `verify --site FILE` (or apply) first.', app: 'Verify first (or Apply).' },
    });
  }
  const cmp = await checkSsoMeta(settings, last.values, opts);
  const steps = last.steps.some((s) => s.id === 'server.sso-meta') ? last.steps.map((s) => (s.id === 'server.sso-meta' ? cmp.step : s)) : [...last.steps, cmp.step];
  const run = await recordRun(site, {
    kind: 'audit',
    check: 'server',
    ...(opts.by ? { by: opts.by } : {}),
    ...(last.tenantId ? { tenantId: last.tenantId } : {}),
    ...(last.app ? { app: last.app } : {}),
    steps,
    values: last.values,
  });
  return { ...cmp, settings, run, siteName: site.name };
}
