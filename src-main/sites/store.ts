// Saved site configs on disk: one JSON document per customer site. Offline: no network, no sign-in.
import { AppError } from '../lib/errors';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { z } from 'zod';
import type { RunRecord } from '../core/types';
import { isGuid } from '../shared/ids';
import { jsonErrorOffset, lineColumn } from '../lib/json-position';
import { formatZodIssues } from '../lib/zod-issues';
import { safeFileName } from '../lib/safe-file-name';
import { checkJsonDepth, isInputLimitError, readFileWithinLimit } from '../lib/input-limits';
import { describeFsError, pathExists, readFailureReason, renameNoReplace, writeFileAtomic, type AtomicFs } from '../lib/atomic-file';
import {
  MIGRATIONS,
  SITE_FORMAT,
  SITE_SCHEMA_VERSION,
  claimedVersion,
  siteV1Schema,
  type LastResult,
  type SiteDocument,
} from './schema';

export type SiteProblem = 'unreadable' | 'empty' | 'not-json' | 'not-site' | 'too-new' | 'invalid' | 'exists' | 'write' | 'too-large' | 'too-deep';

/** A site file that cannot be used, naming the file and the problem. The file is never modified. */
export class SiteError extends AppError {
  override name = 'SiteError';
  constructor(
    readonly file: string,
    readonly problem: SiteProblem,
    /** The problem without the file name (for lists that show the file already). */
    readonly detail: string,
  ) {
    super(problem === 'too-large' ? 'file.too-large' : problem === 'too-deep' ? 'file.too-deep' : `site.${problem}`, `${file}: ${detail}`);
  }
}

function jsonErrorDetail(text: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = jsonErrorOffset(text);
  if (pos < 0) return `not JSON (${msg})`;
  const { line, column } = lineColumn(text, pos);
  return `not JSON (at offset ${pos}, line ${line}, column ${column}: ${msg.replace(/ in JSON at position \d+.*$/, '')})`;
}

export interface ParsedSite {
  site: SiteDocument;
  /** Set when the file was in an older format and was migrated in memory (the file is rewritten only on save). */
  migratedFrom?: number;
}

/** Parse and migrate a site document's text. Throws SiteError; never touches the file. */
export function parseSiteText(text: string, file: string, now: string = new Date().toISOString()): ParsedSite {
  if (text.trim() === '') throw new SiteError(file, 'empty', 'the file is empty (0 bytes of JSON); restore it from its .bak file if there is one');
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let raw: unknown;
  try {
    checkJsonDepth(json, file);
  } catch (e) {
    if (isInputLimitError(e)) throw new SiteError(file, e.limit, e.detail);
    throw e;
  }
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new SiteError(file, 'not-json', jsonErrorDetail(json, e) + '; it may be damaged: restore it from its .bak file if there is one');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as Record<string, unknown>).format !== SITE_FORMAT) {
    throw new SiteError(file, 'not-site', `not a site document (it has no "format": "${SITE_FORMAT}"); it looks like another program's file`);
  }
  const obj = raw as Record<string, unknown>;
  const version = claimedVersion(obj);
  if (version === undefined) throw new SiteError(file, 'invalid', 'field schemaVersion: missing or not a whole number');
  if (version > SITE_SCHEMA_VERSION) {
    throw new SiteError(file, 'too-new', `schema version ${version} is newer than this tool reads (up to ${SITE_SCHEMA_VERSION}); update ICE SSO Assistant to open it`);
  }
  let doc: unknown = raw;
  for (let v = version; v < SITE_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new SiteError(file, 'invalid', `no migration from schema version ${v}`);
    try {
      doc = step(doc, now);
    } catch (e) {
      const detail = e && typeof e === 'object' && 'issues' in e ? formatZodIssues(e as z.ZodError) : String(e);
      throw new SiteError(file, 'invalid', `schema version ${v} document is invalid: ${detail}`);
    }
  }
  const parsed = siteV1Schema.safeParse(doc);
  if (!parsed.success) throw new SiteError(file, 'invalid', `invalid site document: ${formatZodIssues(parsed.error)}`);
  return version < SITE_SCHEMA_VERSION ? { site: parsed.data, migratedFrom: version } : { site: parsed.data };
}

export async function loadSite(file: string): Promise<ParsedSite> {
  let text: string;
  try {
    text = (await readFileWithinLimit(file)).toString('utf8');
  } catch (e) {
    if (isInputLimitError(e)) throw new SiteError(file, e.limit, e.detail);
    throw new SiteError(file, 'unreadable', `cannot read: ${readFailureReason(e, 'is a folder, not a site file')}`);
  }
  return parseSiteText(text, file);
}

export function serializeSite(site: SiteDocument): string {
  return JSON.stringify(site, null, 2) + '\n';
}

export interface SaveOptions {
  fs?: AtomicFs;
  now?: string;
  exclusive?: boolean;
}

/** Validate and write atomically; the previous version stays as `<file>.bak`. Returns what was written. */
export async function saveSite(file: string, site: SiteDocument, opts: SaveOptions = {}): Promise<SiteDocument> {
  const next = { ...site, updatedAt: opts.now ?? new Date().toISOString() };
  const parsed = siteV1Schema.safeParse(next);
  if (!parsed.success) throw new SiteError(file, 'invalid', `refusing to save an invalid site: ${formatZodIssues(parsed.error)}`);
  try {
    await writeFileAtomic(file, serializeSite(parsed.data), { backup: true, exclusive: opts.exclusive ?? false, ...(opts.fs ? { fs: opts.fs } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new SiteError(file, 'exists', 'a file with that name already exists; choose another name (nothing was overwritten)');
    throw new SiteError(file, 'write', `cannot save: ${e instanceof Error ? e.message.replace(`Cannot write ${file}: `, '') : String(e)}`);
  }
  return parsed.data;
}

export interface NewSite {
  name: string;
  settings: Record<string, unknown>;
  tenant?: { id?: string; domain?: string };
}

export function newSiteDocument(init: NewSite, now: string = new Date().toISOString()): SiteDocument {
  const tenant: SiteDocument['tenant'] = {};
  if (init.tenant?.id) tenant.id = init.tenant.id;
  if (init.tenant?.domain) tenant.domain = init.tenant.domain;
  return {
    format: SITE_FORMAT,
    schemaVersion: SITE_SCHEMA_VERSION as 1,
    name: init.name,
    createdAt: now,
    updatedAt: now,
    settings: init.settings,
    tenant,
    app: {},
    lastResults: {},
    history: [],
  };
}

/** A tenant as a person typed it: a GUID is the tenant id (kept lower-case), anything else a domain. */
export function tenantFromText(t: string): { id: string } | { domain: string } {
  const v = t.trim();
  return isGuid(v) ? { id: v.toLowerCase() } : { domain: v };
}

/** Create a new site file; refuses to overwrite an existing file. */
export async function createSite(file: string, init: NewSite, opts: SaveOptions = {}): Promise<SiteDocument> {
  const now = opts.now ?? new Date().toISOString();
  return saveSite(file, newSiteDocument(init, now), { ...opts, now, exclusive: true });
}

export type SiteListEntry =
  | { file: string; ok: true; site: SiteDocument; migratedFrom?: number }
  | { file: string; ok: false; problem: SiteProblem; error: string; detail: string };

/** Every `*.json` in the folder (not dotfiles, not .bak): each loads on its own; a bad one does not stop the others. */
export async function listSites(dir: string): Promise<SiteListEntry[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (e) {
    throw new SiteError(dir, 'unreadable', `cannot list the folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const files = names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort((a, b) => a.localeCompare(b));
  const out: SiteListEntry[] = [];
  for (const n of files) {
    const file = path.join(dir, n);
    try {
      const st = await fsp.stat(file);
      if (!st.isFile()) continue;
      const { site, migratedFrom } = await loadSite(file);
      out.push(migratedFrom === undefined ? { file, ok: true, site } : { file, ok: true, site, migratedFrom });
    } catch (e) {
      if (e instanceof SiteError) out.push({ file, ok: false, problem: e.problem, error: e.message, detail: e.detail });
      else out.push({ file, ok: false, problem: 'unreadable', error: `${file}: ${String(e)}`, detail: String(e) });
    }
  }
  return out;
}

/** Rename the site (its name), and optionally move it to a new file name (never over an existing file). */
export async function renameSite(file: string, newName: string, newFile?: string): Promise<string> {
  const { site } = await loadSite(file);
  const target = newFile ?? file;
  if (target !== file) {
    if (await pathExists(target)) throw new SiteError(target, 'exists', 'a file with that name already exists; choose another name');
    await saveSite(target, { ...site, name: newName }, { exclusive: true });
    await moveToTrash(file);
    return target;
  }
  await saveSite(file, { ...site, name: newName });
  return file;
}

/** Copy a site under a new name: settings and tenant kept; app ids, results and history start empty. */
export async function duplicateSite(file: string, newFile: string, newName: string, opts: { keepState?: boolean } = {}): Promise<SiteDocument> {
  const { site } = await loadSite(file);
  const now = new Date().toISOString();
  const copy: SiteDocument = opts.keepState
    ? { ...site, name: newName, createdAt: now }
    : { ...newSiteDocument({ name: newName, settings: site.settings, tenant: site.tenant }, now) };
  return saveSite(newFile, copy, { exclusive: true, now });
}

export function trashDirFor(file: string): string {
  return path.join(path.dirname(file), '.trash');
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

async function moveToTrash(file: string): Promise<string> {
  const trash = trashDirFor(file);
  await fsp.mkdir(trash, { recursive: true });
  const dest = path.join(trash, `${stamp()}__${path.basename(file)}`);
  try {
    await fsp.rename(file, dest);
  } catch (e) {
    throw new SiteError(file, 'write', describeFsError(e, file, 'move to the trash').message);
  }
  if (await pathExists(file + '.bak')) await fsp.rename(file + '.bak', dest + '.bak').catch(() => undefined);
  return dest;
}

/** Delete = move to `.trash/` beside the file (recoverable with restoreSite). Damaged files can be deleted too. */
export async function deleteSite(file: string): Promise<string> {
  if (!(await pathExists(file))) throw new SiteError(file, 'unreadable', 'cannot delete: no such file');
  return moveToTrash(file);
}

export interface TrashEntry {
  trashFile: string;
  originalName: string;
  deletedAt: string;
}

export async function listTrash(dir: string): Promise<TrashEntry[]> {
  const trash = path.join(dir, '.trash');
  let names: string[] = [];
  try {
    names = await fsp.readdir(trash);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.includes('__') && !n.endsWith('.bak'))
    .sort()
    .map((n) => {
      const [st = '', ...rest] = n.split('__');
      const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(st);
      const deletedAt = m ? `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z` : st;
      return { trashFile: path.join(trash, n), originalName: rest.join('__'), deletedAt };
    });
}

/** Put a trashed site back beside the .trash folder (or at `to`), never over an existing file. */
export async function restoreSite(trashFile: string, to?: string): Promise<string> {
  const base = path.basename(trashFile);
  const original = base.includes('__') ? base.split('__').slice(1).join('__') : base;
  const dest = to ?? path.join(path.dirname(path.dirname(trashFile)), safeFileName(original, { fallback: 'site.json' }));
  if (await pathExists(dest)) throw new SiteError(dest, 'exists', 'cannot restore: a file with that name already exists; restore to another name');
  try {
    await renameNoReplace(trashFile, dest); // fails if dest appeared meanwhile: never overwrites
  } catch (e) {
    throw new SiteError(dest, 'write', describeFsError(e, dest, 'restore').message);
  }
  if (await pathExists(trashFile + '.bak')) await fsp.rename(trashFile + '.bak', dest + '.bak').catch(() => undefined);
  return dest;
}

/** Validate a site file from elsewhere and copy it into `dir` (migrated to the current schema), never overwriting. */
export async function importSite(src: string, dir: string): Promise<string> {
  const { site } = await loadSite(src);
  const ext = '.json';
  const stem = safeFileName(path.basename(src).replace(/\.json$/i, ''), { fallback: 'site' });
  for (let i = 1; i < 1000; i++) {
    const dest = path.join(dir, i === 1 ? `${stem}${ext}` : `${stem}-${i}${ext}`);
    if (await pathExists(dest)) continue;
    try {
      await saveSite(dest, site, { exclusive: true, now: site.updatedAt });
      return dest;
    } catch (e) {
      if (e instanceof SiteError && e.problem === 'exists') continue;
      throw e;
    }
  }
  throw new SiteError(dir, 'exists', 'too many sites with that name');
}

/** Write a validated copy of a site to `dest` (e.g. a USB drive), never overwriting. */
export async function exportSite(file: string, dest: string): Promise<void> {
  const { site } = await loadSite(file);
  await saveSite(dest, site, { exclusive: true, now: site.updatedAt });
}

/** Fold a run into the site: last result per step, tenant and app ids, history. Pure. */
export function applyRun(site: SiteDocument, run: RunRecord, extra: { uniqueName?: string; scopeId?: string } = {}): SiteDocument {
  const lastResults: Record<string, LastResult> = { ...(site.lastResults as Record<string, LastResult>) };
  for (const s of run.steps) lastResults[s.id] = { ...s, at: run.at, kind: run.kind };
  const app = { ...site.app };
  if (run.app?.objectId) app.objectId = run.app.objectId;
  if (run.app?.appId) app.appId = run.app.appId;
  if (extra.uniqueName) app.uniqueName = extra.uniqueName;
  if (extra.scopeId) app.scopeId = extra.scopeId;
  const tenant = { ...site.tenant };
  if (run.tenantId) tenant.id = run.tenantId;
  return { ...site, tenant, app, lastResults, history: [...site.history, run] };
}

export async function recordRun(file: string, run: RunRecord, extra: { uniqueName?: string; scopeId?: string } = {}): Promise<SiteDocument> {
  const { site } = await loadSite(file);
  return saveSite(file, applyRun(site, run, extra));
}

/** The most recent run (the one a bundle is made from), if any. */
export function latestRun(site: SiteDocument): RunRecord | undefined {
  return site.history.at(-1) as RunRecord | undefined;
}

/**
 * Changes a saved site's settings and/or sign-in client id (sites set, apply --site --save). The settings are
 * the site's merged with `settings` (only the fields given change) and must stay valid; saved atomically.
 * Changed hosts or settings invalidate nothing recorded: the history keeps what was checked with what.
 */
export async function updateSite(
  file: string,
  change: { settings?: Record<string, unknown>; clientId?: string | null },
  validate: (settings: Record<string, unknown>) => string | null,
): Promise<SiteDocument> {
  const { site } = await loadSite(file);
  let settings = site.settings;
  if (change.settings) {
    const given = change.settings;
    settings = { ...site.settings, ...given };
    const texts = (site.settings as { consentTexts?: object }).consentTexts;
    if (texts || given.consentTexts) settings.consentTexts = { ...(texts ?? {}), ...((given.consentTexts as object | undefined) ?? {}) };
  }
  const problem = validate(settings);
  if (problem) throw new SiteError(file, 'invalid', `the changed settings are not valid (nothing was saved): ${problem}`);
  const signIn = { ...(site.signIn ?? {}) };
  if (change.clientId === null) delete signIn.clientId;
  else if (change.clientId) signIn.clientId = change.clientId;
  return saveSite(file, { ...site, settings, ...(Object.keys(signIn).length ? { signIn } : { signIn: undefined }) });
}
