// `verify|apply --site FILE`: settings come from the saved site, results are recorded in it.
import type { RunRecord } from '../core/types';
import { loadSite, recordRun, SiteError } from './store';

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
  /**
   * The scope id a previous apply recorded for the site: a resumed run (`--site` without `--journal`) passes
   * it on so it writes the same scope id instead of a fresh one. Absent until an apply has recorded one.
   */
  scopeId?: string;
  /** The site's name (for messages). */
  name: string;
  /** The sign-in client id the site stores (absent: the default client). */
  clientId?: string;
  /**
   * Append the run to the history, update the last result of each step, the tenant and app ids,
   * and save atomically (previous version kept as .bak). Throws SiteError with a clear message.
   */
  record(run: SiteRun): Promise<void>;
}

/** The non-empty ids among objectId, appId, uniqueName (empty strings are "not known"). */
function appIds(a: { objectId?: string; appId?: string; uniqueName?: string }): { objectId?: string; appId?: string; uniqueName?: string } {
  return {
    ...(a.objectId ? { objectId: a.objectId } : {}),
    ...(a.appId ? { appId: a.appId } : {}),
    ...(a.uniqueName ? { uniqueName: a.uniqueName } : {}),
  };
}

/** Open a saved site for a verify/apply run. Throws SiteError (file + problem) when the file cannot be used. */
export async function openSiteForRun(path: string): Promise<SiteForRun> {
  const { site } = await loadSite(path);
  const tenant = site.tenant.id ?? site.tenant.domain;
  const { scopeId, ...ids } = site.app;
  const app = appIds(ids);
  return {
    settingsInput: site.settings,
    ...(tenant ? { tenant } : {}),
    ...(Object.keys(app).length ? { app } : {}),
    ...(scopeId ? { scopeId } : {}),
    ...(site.signIn?.clientId ? { clientId: site.signIn.clientId } : {}),
    name: site.name,
    async record(run: SiteRun): Promise<void> {
      // recordRun re-reads the file: it may have changed since it was opened (another window, a rename of the site).
      // The run record keeps the app's ids; uniqueName and scope id go to the site's app (applyRun's extra).
      const { app, ...rest } = run;
      const { uniqueName, scopeId: runScopeId, ...ids } = app ?? {};
      const record: RunRecord = app ? { ...rest, app: appIds(ids) } : rest;
      await recordRun(path, record, { ...(uniqueName ? { uniqueName } : {}), ...(runScopeId ? { scopeId: runScopeId } : {}) });
    },
  };
}
