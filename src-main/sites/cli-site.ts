// `verify|apply --site FILE`: settings come from the saved site, results are recorded in it.
import type { RunRecord } from '../core/types';
import { applyRun, loadSite, saveSite, SiteError } from './store';

export { SiteError };

/** A run as verify/apply report it; app may also carry the uniqueName / scope id the engine used. */
export type SiteRun = Omit<RunRecord, 'app'> & {
  app?: { objectId?: string; appId?: string; uniqueName?: string; scopeId?: string };
};

export interface SiteForRun {
  /** The site's settings as saved (SettingsInput): parse them with the core's parseSettings. */
  settingsInput: unknown;
  /** Tenant id, else domain, when the site knows it. */
  tenant?: string;
  app?: { objectId?: string; appId?: string; uniqueName?: string };
  /** The site's name (for messages). */
  name: string;
  /**
   * Append the run to the history, update the last result of each step, the tenant and app ids,
   * and save atomically (previous version kept as .bak). Throws SiteError with a clear message.
   */
  record(run: SiteRun): Promise<void>;
}

/** Open a saved site for a verify/apply run. Throws SiteError (file + problem) when the file cannot be used. */
export async function openSiteForRun(path: string): Promise<SiteForRun> {
  const { site } = await loadSite(path);
  const tenant = site.tenant.id ?? site.tenant.domain;
  const app: { objectId?: string; appId?: string; uniqueName?: string } = {};
  if (site.app.objectId) app.objectId = site.app.objectId;
  if (site.app.appId) app.appId = site.app.appId;
  if (site.app.uniqueName) app.uniqueName = site.app.uniqueName;
  return {
    settingsInput: site.settings,
    ...(tenant ? { tenant } : {}),
    ...(Object.keys(app).length ? { app } : {}),
    name: site.name,
    async record(run: SiteRun): Promise<void> {
      // Re-read: the file may have changed since it was opened (another window, a rename of the site).
      const { site: current } = await loadSite(path);
      const extra: { uniqueName?: string; scopeId?: string } = {};
      if (run.app?.uniqueName) extra.uniqueName = run.app.uniqueName;
      if (run.app?.scopeId) extra.scopeId = run.app.scopeId;
      const base: RunRecord = { ...run, app: run.app ? { ...(run.app.objectId ? { objectId: run.app.objectId } : {}), ...(run.app.appId ? { appId: run.app.appId } : {}) } : undefined } as RunRecord;
      if (!base.app) delete base.app;
      await saveSite(path, applyRun(current, base, extra));
    },
  };
}
