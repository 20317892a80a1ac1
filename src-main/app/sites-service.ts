// Saved sites for the UI: ids are file names inside the sites folder (never paths from the renderer).
import { safeFileName } from '../lib/safe-file-name';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseSettings } from '../core/settings';
import type { Cloud, RunRecord, StepResult } from '../core/types';
import {
  createSite,
  deleteSite,
  duplicateSite,
  exportSite,
  importSite,
  latestRun,
  listSites,
  loadSite,
  renameSite,
  saveSite,
  tenantFromText,
  updateSite,
} from '../sites/store';
import { pathExists } from '../lib/atomic-file';
import { AppError } from '../lib/errors';
import { isGuid } from '../shared/ids';
import type { SiteDocument } from '../sites/schema';
import type { SiteSummary, SiteView, SettingsDraft } from '../shared/ipc-contract';
import { draftToInput, inputToDraft } from './draft';
import { buildChecklistView } from './checklist-view';


/** A file-system-safe file stem from a site name. */
export function slugFor(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return safeFileName(s, { fallback: 'site' });
}

export function checkSiteName(name: unknown): string {
  const invalid = (message: string) => new AppError('input.invalid', message, { fields: [{ field: 'name', message }] });
  if (typeof name !== 'string' || name.trim() === '') throw invalid('Give the site a name, e.g. "Contoso – DC1".');
  const t = name.trim();
  if (t.length > 200) throw invalid(`The site name has ${t.length} characters: use at most 200.`);
  return t;
}

export class SitesService {
  constructor(readonly dir: string) {}

  async ensureDir(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
  }

  /** The file for a site id; refuses anything that is not a plain *.json name in the folder. */
  fileFor(id: unknown): string {
    if (typeof id !== 'string' || !/^[^/\\\0]{1,200}\.json$/.test(id) || id.startsWith('.') || id !== path.basename(id)) {
      throw new AppError('request.malformed', 'That site id is not valid: pick the site from the list again.');
    }
    return path.join(this.dir, id);
  }

  async freeFile(name: string): Promise<string> {
    const stem = slugFor(name);
    for (let i = 1; i < 1000; i++) {
      const f = path.join(this.dir, i === 1 ? `${stem}.json` : `${stem}-${i}.json`);
      if (!(await pathExists(f)) && !(await pathExists(`${f}.bak`))) return f;
    }
    throw new AppError('input.invalid', 'Too many sites with that name: choose another name.', { fields: [{ field: 'name', message: 'Too many sites with that name: choose another name.' }] });
  }

  summary(file: string, site: SiteDocument): SiteSummary {
    const s: SiteSummary = { id: path.basename(file), name: site.name, file, updatedAt: site.updatedAt };
    const tenant = site.tenant.domain ?? site.tenant.id;
    if (tenant) s.tenant = tenant;
    if (site.app.appId) s.appId = site.app.appId;
    const run = latestRun(site);
    if (run) {
      s.lastRun = {
        kind: run.kind,
        ...(run.check ? { check: run.check } : {}),
        at: run.at,
        failed: run.steps.filter((x) => x.status === 'fail').length,
        passed: run.steps.filter((x) => x.status === 'pass').length,
      };
    }
    return s;
  }

  view(file: string, site: SiteDocument): SiteView {
    const v: SiteView = {
      id: path.basename(file),
      name: site.name,
      file,
      draft: inputToDraft(site.settings),
      history: site.history.map((r) => ({ kind: r.kind, at: r.at, by: r.by, requests: r.requests?.length ?? 0 })),
    };
    const tenant = site.tenant.domain ?? site.tenant.id;
    if (tenant) v.tenant = tenant;
    if (site.app.appId || site.app.objectId) v.app = { ...site.app };
    const run = latestRun(site);
    if (run) v.lastRun = run as RunRecord;
    if (site.signIn?.clientId) v.signInClientId = site.signIn.clientId;
    return v;
  }

  async list() {
    await this.ensureDir();
    const entries = await listSites(this.dir);
    const sites: SiteSummary[] = [];
    const damaged: Array<{ file: string; error: string }> = [];
    for (const e of entries) {
      if (e.ok) sites.push(this.summary(e.file, e.site));
      // The list shows the file already: the problem alone.
      else damaged.push({ file: e.file, error: e.detail });
    }
    return { sites, damaged, folder: this.dir };
  }

  async load(id: unknown): Promise<{ file: string; site: SiteDocument }> {
    const file = this.fileFor(id);
    const { site } = await loadSite(file);
    return { file, site };
  }

  /** Settings of a saved site, validated (a site saved by hand may hold bad ones). */
  settingsOf(site: SiteDocument) {
    return parseSettings(site.settings);
  }

  async create(name: unknown, draft: SettingsDraft) {
    const n = checkSiteName(name);
    await this.ensureDir();
    const input = draftToInput(draft);
    const parsed = parseSettings(input);
    if (!parsed.ok) throw new AppError('input.invalid', 'Fix the settings marked below, then create the site.', { fields: parsed.errors });
    const file = await this.freeFile(n);
    const site = await createSite(file, { name: n, settings: input as Record<string, unknown> });
    return { site: this.view(file, site) };
  }

  async save(id: unknown, draft: SettingsDraft, tenant?: string) {
    const { file, site } = await this.load(id);
    const input = draftToInput(draft);
    const parsed = parseSettings(input);
    if (!parsed.ok) throw new AppError('input.invalid', 'Fix the settings marked below, then save.', { fields: parsed.errors });
    const next: SiteDocument = { ...site, settings: input as Record<string, unknown> };
    if (tenant !== undefined) {
      const t = tenant.trim();
      const tn: SiteDocument['tenant'] = { ...site.tenant };
      if (t === '') {
        delete tn.domain;
      } else Object.assign(tn, tenantFromText(t));
      next.tenant = tn;
    }
    const saved = await saveSite(file, next);
    return { site: this.view(file, saved) };
  }

  /** Names the public client to sign in with for this site (null: the default one). Takes effect at the next sign-in. */
  async setSignInClient(id: unknown, clientId: string | null) {
    const file = this.fileFor(id);
    const c = clientId?.trim() ?? null;
    if (c !== null && !isGuid(c)) {
      const message = `"${c.slice(0, 80)}" is not a client id: paste the sign-in client's "Application (client) ID", a GUID.`;
      throw new AppError('input.invalid', message, { fields: [{ field: 'clientId', message }] });
    }
    const site = await updateSite(file, { clientId: c ? c.toLowerCase() : null }, () => null);
    return { site: this.view(file, site) };
  }

  async rename(id: unknown, name: unknown) {
    const file = this.fileFor(id);
    const n = checkSiteName(name);
    const target = await this.freeFile(n);
    const moved = await renameSite(file, n, path.basename(file) === path.basename(target) ? undefined : target);
    const { site } = await loadSite(moved);
    return { site: this.summary(moved, site) };
  }

  async duplicate(id: unknown, name: unknown) {
    const file = this.fileFor(id);
    const n = checkSiteName(name);
    const target = await this.freeFile(n);
    const site = await duplicateSite(file, target, n);
    return { site: this.summary(target, site) };
  }

  async remove(id: unknown) {
    const file = this.fileFor(id);
    const movedTo = await deleteSite(file);
    return { movedTo };
  }

  async importFrom(src: string) {
    await this.ensureDir();
    const dest = await importSite(src, this.dir);
    const { site } = await loadSite(dest);
    return { site: this.summary(dest, site) };
  }

  async exportTo(id: unknown, dest: string) {
    const file = this.fileFor(id);
    await exportSite(file, dest);
    return { path: dest };
  }

  checklistOf(site: SiteDocument, cloud: Cloud | undefined) {
    const run = latestRun(site);
    const steps = Object.values(site.lastResults) as StepResult[];
    return buildChecklistView(steps, run?.values, cloud, site.app.appId);
  }
}
