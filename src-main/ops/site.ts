// A saved site as every operation takes it: loaded and its settings validated ONCE, plus the one way a run is
// recorded in it (recordRun). Used by the CLI (`--site FILE`) and the app (sites folder) alike.
import { parseSettings } from '../core/settings';
import type { RecordedRequest, RunRecord, Settings, StepResult, IceValues } from '../core/types';
import type { AppHint } from '../graph/read';
import { AppError, type FieldError } from '../lib/errors';
import { osUserName } from '../lib/os-user';
import type { SiteDocument } from '../sites/schema';
import { loadSite, recordRun as storeRun } from '../sites/store';

export interface LoadedSite {
  file: string;
  name: string;
  doc: SiteDocument;
  /** The settings as saved (SettingsInput: the CLI may override parts of them with options). */
  settingsInput: Record<string, unknown>;
  /** The saved settings, validated; null when they do not validate (see settingsErrors). */
  settings: Settings | null;
  settingsErrors: FieldError[];
  /** Tenant id, else domain, when the site knows it. */
  tenant?: string;
  /** How to find the app: the ids the site recorded (empty ids are "not known"). */
  hint: AppHint;
  /** The scope id an earlier apply recorded: a resumed run writes the same one. */
  scopeId?: string;
  /** The sign-in client id the site stores (absent: the default client). */
  clientId?: string;
}

/** The non-empty ids among objectId, appId, uniqueName. */
export function knownAppIds(a: { objectId?: string | undefined; appId?: string | undefined; uniqueName?: string | undefined } = {}): { objectId?: string; appId?: string; uniqueName?: string } {
  return {
    ...(a.objectId ? { objectId: a.objectId } : {}),
    ...(a.appId ? { appId: a.appId } : {}),
    ...(a.uniqueName ? { uniqueName: a.uniqueName } : {}),
  };
}

export function siteFromDocument(file: string, doc: SiteDocument): LoadedSite {
  const parsed = parseSettings(doc.settings);
  const tenant = doc.tenant.id ?? doc.tenant.domain;
  const { scopeId, ...ids } = doc.app;
  return {
    file,
    name: doc.name,
    doc,
    settingsInput: doc.settings,
    settings: parsed.ok ? parsed.settings : null,
    settingsErrors: parsed.ok ? [] : parsed.errors,
    ...(tenant ? { tenant } : {}),
    hint: knownAppIds(ids),
    ...(scopeId ? { scopeId } : {}),
    ...(doc.signIn?.clientId ? { clientId: doc.signIn.clientId } : {}),
  };
}

/** Loads a saved site (SiteError, code site.*, when the file cannot be used). */
export async function openSite(file: string): Promise<LoadedSite> {
  const { site } = await loadSite(file);
  return siteFromDocument(file, site);
}

/** The site's settings, or AppError site.settings-invalid naming each problem and where to fix it. */
export function settingsOf(site: LoadedSite, whereToFix = 'fix them first'): Settings {
  if (site.settings) return site.settings;
  throw new AppError(
    'site.settings-invalid',
    `The settings saved in "${site.name}" are not valid: ${site.settingsErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}. ${whereToFix.charAt(0).toUpperCase()}${whereToFix.slice(1)}.`,
    { fields: site.settingsErrors },
  );
}

/** What an operation produced, as a run records it. */
export interface RunOutcome {
  kind: RunRecord['kind'];
  /** When it ran (default: now). */
  at?: string;
  /** Who ran it (the signed-in account); the OS account when absent. */
  by?: string;
  tenantId?: string;
  app?: { objectId?: string; appId?: string; uniqueName?: string };
  /** The scope id apply planned with (kept in the site so a resumed run reuses it). */
  scopeId?: string;
  steps: StepResult[];
  values: IceValues;
  requests?: RecordedRequest[];
  check?: RunRecord['check'];
}

/** The run record of an outcome (the app's ids only; uniqueName and scope id go to the site's app). */
export function runRecordOf(outcome: RunOutcome): RunRecord {
  const ids = knownAppIds(outcome.app);
  const { uniqueName: _u, ...recordIds } = ids;
  return {
    kind: outcome.kind,
    at: outcome.at ?? new Date().toISOString(),
    by: outcome.by || osUserName(),
    ...(outcome.tenantId ? { tenantId: outcome.tenantId } : {}),
    ...(outcome.app ? { app: recordIds } : {}),
    steps: outcome.steps,
    values: outcome.values,
    ...(outcome.requests ? { requests: outcome.requests } : {}),
    ...(outcome.check ? { check: outcome.check } : {}),
  };
}

/**
 * THE way a run is recorded: appended to the history, last result per step, tenant and app ids (plus uniqueName
 * and scope id), saved atomically (re-read first: the file may have changed since it was opened).
 */
export async function recordRun(site: Pick<LoadedSite, 'file'>, outcome: RunOutcome): Promise<RunRecord> {
  const run = runRecordOf(outcome);
  const uniqueName = outcome.app?.uniqueName;
  await storeRun(site.file, run, { ...(uniqueName ? { uniqueName } : {}), ...(outcome.scopeId ? { scopeId: outcome.scopeId } : {}) });
  return run;
}
