// `sites`: saved site configs (one JSON file per customer site). Offline: no sign-in, no network.
import { cloudTrustStore } from '../cloud-confirm';
import * as path from 'node:path';
import { parseSettings, settingsToInput } from '../../core/settings';
import { ICE_DESKTOP_FIELDS, STEP_IDS } from '../../core/types';
import {
  createSite,
  deleteSite,
  duplicateSite,
  exportSite,
  importSite,
  listSites,
  listTrash,
  loadSite,
  renameSite,
  restoreSite,
  tenantFromText,
  updateSite,
} from '../../sites/store';
import type { SiteDocument } from '../../sites/schema';
import { flag, parseArgs, str, type OptionDef } from '../args';
import { UsageError } from '../errors';
import { resolvePath as abs } from '../io';
import { FIELD_OPTIONS, SETTINGS_OPTIONS, describeSettingsError, settingsFromOptions, settingsInputFromOptions } from '../settings-options';
import { isGuid } from '../../shared/ids';

/** --client-id for a site: a GUID, or "default" (null: remove the stored one). */
function siteClientId(p: ReturnType<typeof parseArgs>): string | null | undefined {
  const v = str(p, 'client-id');
  if (v === undefined) return undefined;
  if (v.trim().toLowerCase() === 'default') return null;
  if (!isGuid(v.trim())) throw new UsageError(`--client-id: "${v}" is not a client id: give the sign-in app's "Application (client) ID" (a GUID), or "default".`);
  return v.trim();
}
import type { CliCommand } from './types';
import { cliCommand } from '../invocation';

const SITE_OPTIONS: OptionDef[] = [
  { name: 'file', kind: 'string', valueName: 'FILE', description: 'the site file (sites new)' },
  { name: 'site-name', kind: 'string', valueName: 'NAME', description: 'the site\'s name (default: the file name); --name is the app registration\'s display name' },
  { name: 'tenant', kind: 'string', valueName: 'T', description: 'the customer tenant: id (GUID) or domain (contoso.onmicrosoft.com)' },
  { name: 'to', kind: 'string', valueName: 'FILE', description: 'rename/duplicate/restore: the new file' },
  { name: 'dir', kind: 'string', valueName: 'DIR', description: 'import: the sites folder to copy into (default: current folder)' },
  { name: 'out', kind: 'string', valueName: 'FILE', description: 'export: where to write the copy (never overwrites)' },
  { name: 'json', kind: 'flag', description: 'machine-readable output (list, show)' },
];
const CLIENT_OPTION: OptionDef = { name: 'client-id', kind: 'string', valueName: 'C', description: 'the sign-in client id (GUID) to store with the site (new, set); "default" removes it' };
const OPTIONS: OptionDef[] = [...SITE_OPTIONS, ...SETTINGS_OPTIONS, CLIENT_OPTION];

const SUBCOMMANDS = ['new', 'set', 'list', 'show', 'rename', 'duplicate', 'delete', 'trash', 'restore', 'import', 'export'] as const;

function one(positionals: string[], what: string, usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`${usage}: give exactly one ${what} (got ${positionals.length}).`);
  return positionals[0]!;
}

function statusCounts(site: SiteDocument): string {
  const last = site.history.at(-1);
  if (!last) return 'not checked yet';
  const n = (st: string): number => last.steps.filter((s) => s.status === st).length;
  return `last ${last.kind} ${last.at}: ${n('pass')} pass, ${n('fail')} fail, ${n('warn')} warn, ${n('unknown')} unknown`;
}

function renderShow(file: string, site: SiteDocument, migratedFrom: number | undefined): string {
  const out: string[] = [];
  out.push(`Site "${site.name}"  (${file})`);
  if (migratedFrom !== undefined) out.push(`  (saved in schema version ${migratedFrom}; it is upgraded to ${site.schemaVersion} when next saved)`);
  out.push(`  tenant:   ${site.tenant.domain ?? '-'}${site.tenant.id ? ` (${site.tenant.id})` : ''}`);
  out.push(`  app:      ${site.app.appId ? `client id ${site.app.appId}` : 'not created yet'}${site.app.objectId ? `, object id ${site.app.objectId}` : ''}${site.app.uniqueName ? `, uniqueName ${site.app.uniqueName}` : ''}`);
  out.push(`  sign-in:  ${site.signIn?.clientId ? `client id ${site.signIn.clientId}` : 'the default client (Microsoft Graph Command Line Tools)'}`);
  const parsed = parseSettings(site.settings);
  if (parsed.ok) {
    const s = parsed.settings;
    out.push(`  settings: "${s.displayName}", ${s.signInAudience}, hosts ${s.hosts.join(' ')}, scope ${s.scopeValue}, consent ${s.consent}, groups ${s.groupTypes.join(',')}, cloud ${s.cloud.name}`);
  } else {
    out.push(`  settings: INVALID: ${parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')} (fix them with the app or a new site)`);
  }
  out.push(`  created ${site.createdAt}, saved ${site.updatedAt}; ${statusCounts(site)}`);
  const last = site.history.at(-1);
  if (last) {
    out.push('', '  ICE values (last run):');
    for (const f of ICE_DESKTOP_FIELDS) out.push(`    ${f.label.padEnd(18)} ${last.values[f.key] ?? '(cannot be stated yet)'}`);
  }
  const ids = [...STEP_IDS.filter((id) => site.lastResults[id]), ...Object.keys(site.lastResults).filter((id) => !(STEP_IDS as readonly string[]).includes(id))];
  if (ids.length) {
    out.push('', '  Last result per step:');
    for (const id of ids) {
      const r = site.lastResults[id]!;
      out.push(`    ${r.status.toUpperCase().padEnd(8)} ${id.padEnd(30)} ${r.kind} ${r.at}`);
    }
  }
  if (site.history.length) {
    out.push('', `  History (${site.history.length} run${site.history.length === 1 ? '' : 's'}):`);
    for (const h of site.history.slice(-20)) {
      const writes = (h.requests ?? []).filter((r) => r.method !== 'GET').length;
      out.push(`    ${h.at}  ${h.kind.padEnd(6)} by ${h.by}${h.requests ? `, ${h.requests.length} request(s), ${writes} write(s)` : ''}`);
    }
  }
  return out.join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'sites',
  usage:
    'sites new --file FILE [--site-name NAME] [--tenant T] [--client-id C] [settings options as for audit]\n' +
    '      sites set FILE [settings options as for audit] [--client-id C|default]\n' +
    '      sites list [DIR] [--json] | sites show FILE [--json]\n' +
    '      sites rename FILE --site-name NAME [--to FILE] | sites duplicate FILE --to FILE [--site-name NAME]\n' +
    '      sites delete FILE | sites trash [DIR] | sites restore TRASHED-FILE [--to FILE]\n' +
    '      sites import FILE [--dir DIR] | sites export FILE --out FILE',
  options: OPTIONS,
  details:
    'A site file holds the settings, tenant, app ids, the last result of each step and the history of runs;\n' +
    'verify and apply take --site FILE to use and record it. Saves are atomic and keep the previous version as FILE.bak;\n' +
    'delete moves the file to .trash/ beside it. Exit code: 0 ok, 2 bad input or a damaged/foreign site file (left untouched).',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new UsageError(`sites needs a subcommand: ${SUBCOMMANDS.join(', ')}${sub ? ` (got "${sub}")` : ''}. Run \`${cliCommand()} help sites\`.`);
    }
    const p = parseArgs(rest, sub === 'new' || sub === 'set' ? OPTIONS : SITE_OPTIONS, `sites ${sub}`);
    const json = flag(p, 'json');
    {
      switch (sub) {
        case 'new': {
          if (p.positionals.length) throw new UsageError(`sites new takes the file as --file FILE (got ${JSON.stringify(p.positionals[0])}).`);
          const fileOpt = str(p, 'file');
          if (!fileOpt) throw new UsageError('sites new needs --file FILE (where to save the site, e.g. contoso.site.json).');
          const settings = settingsFromOptions(p);
          const file = abs(io, fileOpt);
          const name = str(p, 'site-name') ?? path.basename(file).replace(/(\.site)?\.json$/i, '');
          const t = str(p, 'tenant');
          const tenant = t ? tenantFromText(t) : undefined;
          const clientId = siteClientId(p);
          let site = await createSite(file, { name, settings: settingsToInput(settings) as Record<string, unknown>, ...(tenant ? { tenant } : {}) });
          if (clientId) site = await updateSite(file, { clientId }, () => null);
          // The engineer typed this cloud here: a site created on this machine needs no confirmation to sign in.
          if (settings.cloud.name === 'custom') await cloudTrustStore(io).trust(settings.cloud, 'created');
          io.stdout.write(`Created site "${site.name}" in ${file}.\nNext: ${cliCommand()} verify --site ${fileOpt}   (or apply --site ${fileOpt})\n`);
          return 0;
        }
        case 'set': {
          const file = abs(io, one(p.positionals, 'site file', 'sites set FILE [settings options] [--client-id C]'));
          const given = settingsInputFromOptions(p) as Record<string, unknown>;
          const clientId = siteClientId(p);
          if (!Object.keys(given).length && clientId === undefined) {
            throw new UsageError('sites set needs something to change: settings options (e.g. --host H, --name N, --cloud C) or --client-id C.');
          }
          const site = await updateSite(file, { ...(Object.keys(given).length ? { settings: given } : {}), ...(clientId !== undefined ? { clientId } : {}) }, (x) => {
            const r = parseSettings(x);
            return r.ok ? null : r.errors.map((e) => describeSettingsError(e)).join('; ');
          });
          const changed = [...Object.keys(given).map((k) => FIELD_OPTIONS[k] ?? k), ...(clientId !== undefined ? ['--client-id'] : [])];
          io.stdout.write(`Saved site "${site.name}" (${file}): ${changed.join(', ')} changed. The history keeps earlier runs as they were checked.\n`);
          return 0;
        }
        case 'list': {
          if (p.positionals.length > 1) throw new UsageError('sites list takes at most one folder.');
          const dir = abs(io, p.positionals[0] ?? '.');
          const list = await listSites(dir);
          if (json) {
            io.stdout.write(
              JSON.stringify(
                list.map((x) => (x.ok ? { file: x.file, ok: true, name: x.site.name, tenant: x.site.tenant, appId: x.site.app.appId ?? null, updatedAt: x.site.updatedAt, lastRun: x.site.history.at(-1)?.at ?? null } : { file: x.file, ok: false, problem: x.problem, error: x.error })),
                null,
                2,
              ) + '\n',
            );
            return 0;
          }
          if (!list.length) io.stdout.write(`No site files (*.json) in ${dir}.\n`);
          for (const x of list) {
            if (x.ok) io.stdout.write(`${path.basename(x.file).padEnd(28)} ${x.site.name}${x.site.tenant.domain ?? x.site.tenant.id ? ` · ${x.site.tenant.domain ?? x.site.tenant.id}` : ''} · ${statusCounts(x.site)}\n`);
            else io.stdout.write(`${path.basename(x.file).padEnd(28)} NOT LOADED: ${x.detail}\n`);
          }
          return 0;
        }
        case 'show': {
          const file = abs(io, one(p.positionals, 'site file', 'sites show FILE'));
          const { site, migratedFrom } = await loadSite(file);
          io.stdout.write(json ? JSON.stringify(site, null, 2) + '\n' : renderShow(file, site, migratedFrom));
          return 0;
        }
        case 'rename': {
          const file = abs(io, one(p.positionals, 'site file', 'sites rename FILE --site-name NAME'));
          const name = str(p, 'site-name');
          if (!name) throw new UsageError('sites rename needs --site-name NAME (and --to FILE to move the file too).');
          const to = str(p, 'to');
          const dest = await renameSite(file, name, to ? abs(io, to) : undefined);
          io.stdout.write(`Renamed to "${name}" (${dest})${to ? `; the old file is in ${path.join(path.dirname(file), '.trash')}` : ''}.\n`);
          return 0;
        }
        case 'duplicate': {
          const file = abs(io, one(p.positionals, 'site file', 'sites duplicate FILE --to FILE'));
          const to = str(p, 'to');
          if (!to) throw new UsageError('sites duplicate needs --to FILE (the new site file).');
          const dest = abs(io, to);
          const name = str(p, 'site-name') ?? path.basename(dest).replace(/(\.site)?\.json$/i, '');
          await duplicateSite(file, dest, name);
          io.stdout.write(`Created "${name}" in ${dest} with the same settings and tenant (no app ids, results or history).\n`);
          return 0;
        }
        case 'delete': {
          const file = abs(io, one(p.positionals, 'site file', 'sites delete FILE'));
          const trashed = await deleteSite(file);
          io.stdout.write(`Moved to ${trashed}.\nUndo: ${cliCommand()} sites restore "${trashed}"\n`);
          return 0;
        }
        case 'trash': {
          const dir = abs(io, p.positionals[0] ?? '.');
          const t = await listTrash(dir);
          if (json) io.stdout.write(JSON.stringify(t, null, 2) + '\n');
          else if (!t.length) io.stdout.write(`Nothing in ${path.join(dir, '.trash')}.\n`);
          else for (const x of t) io.stdout.write(`${x.deletedAt}  ${x.originalName}  ${x.trashFile}\n`);
          return 0;
        }
        case 'restore': {
          const trashed = abs(io, one(p.positionals, 'trashed file', 'sites restore TRASHED-FILE'));
          const to = str(p, 'to');
          const dest = await restoreSite(trashed, to ? abs(io, to) : undefined);
          io.stdout.write(`Restored ${dest}.\n`);
          return 0;
        }
        case 'import': {
          const src = abs(io, one(p.positionals, 'site file', 'sites import FILE'));
          const dest = await importSite(src, abs(io, str(p, 'dir') ?? '.'));
          io.stdout.write(`Imported as ${dest}.\n`);
          return 0;
        }
        case 'export': {
          const file = abs(io, one(p.positionals, 'site file', 'sites export FILE --out FILE'));
          const out = str(p, 'out');
          if (!out) throw new UsageError('sites export needs --out FILE (e.g. a file on a USB drive).');
          await exportSite(file, abs(io, out));
          io.stdout.write(`Exported to ${abs(io, out)}.\n`);
          return 0;
        }
      }
      return 2;
    }
  },
};
