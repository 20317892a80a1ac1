// server.sso-meta for a saved site: the eight values of its latest run, the ICE hosts of its settings; the result
// is recorded in the site (a new run, kind "audit": the latest run's steps and values with server.sso-meta
// replaced), so the next bundle export carries it. No sign-in: /sso-meta is public.
import { AppError } from '../lib/errors';
import { parseSettings } from '../core/settings';
import type { SsoMetaComparison } from '../core/sso-meta';
import type { RunRecord, Settings } from '../core/types';
import { osUserName } from '../lib/os-user';
import { latestRun, loadSite, recordRun } from '../sites/store';
import { checkSsoMeta, type SsoMetaFetchOptions } from './sso-meta';

export class SiteCheckError extends AppError {
  override name = 'SiteCheckError';
}

export interface SiteCheckResult extends SsoMetaComparison {
  settings: Settings;
  /** The run recorded in the site. */
  run: RunRecord;
  siteName: string;
}

/** Runs server.sso-meta against the values of the site's latest run and records the result. SiteError / SiteCheckError explain bad input. */
export async function checkSiteServers(siteFile: string, opts: SsoMetaFetchOptions & { by?: string } = {}): Promise<SiteCheckResult> {
  const { site } = await loadSite(siteFile);
  const parsed = parseSettings(site.settings);
  if (!parsed.ok) {
    throw new SiteCheckError('site.settings-invalid', `the settings saved in "${site.name}" are not valid (${parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}); fix them first.`);
  }
  const last = latestRun(site);
  if (!last) {
    throw new SiteCheckError('site.no-run', `site "${site.name}" has no recorded run, so the eight values to compare are not known: run \`verify --site FILE\` (or apply) first.`);
  }
  const cmp = await checkSsoMeta(parsed.settings, last.values, opts);
  const steps = last.steps.some((s) => s.id === 'server.sso-meta')
    ? last.steps.map((s) => (s.id === 'server.sso-meta' ? cmp.step : s))
    : [...last.steps, cmp.step];
  const run: RunRecord = {
    kind: 'audit',
    at: new Date().toISOString(),
    by: opts.by ?? osUserName(),
    ...(last.tenantId ? { tenantId: last.tenantId } : {}),
    ...(last.app ? { app: last.app } : {}),
    steps,
    values: last.values,
  };
  await recordRun(siteFile, run);
  return { ...cmp, settings: parsed.settings, run, siteName: site.name };
}
