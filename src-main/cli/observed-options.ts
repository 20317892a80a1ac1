// Options that name saved Graph objects (audit, plan): --app, --service-principal, --grants, --tenant.
import type { Observed } from '../core/types';
import { GUID } from '../shared/ids';
import { str, type OptionDef, type ParsedArgs } from './args';
import { UsageError } from './errors';
import { parseGraphJson, toApplication, toGrants, toServicePrincipal } from '../graph/files';
import { readTextInput, type CliIO } from './io';

export const OBSERVED_OPTIONS: OptionDef[] = [
  { name: 'app', kind: 'string', valueName: 'FILE', description: "application JSON (GET /applications/{id}, or the portal's Manifest); - reads stdin" },
  { name: 'service-principal', kind: 'string', valueName: 'FILE', description: "its service principal JSON (GET /servicePrincipals(appId='...')); an empty list means none" },
  { name: 'grants', kind: 'string', valueName: 'FILE', description: 'its oauth2PermissionGrants (a Graph list response or an array)' },
  { name: 'tenant', kind: 'string', valueName: 'T', description: 'directory (tenant) id, for the endpoint values' },
  { name: 'graph-sp-id', kind: 'string', valueName: 'ID', description: "Microsoft Graph's service principal id in the tenant (recognises leftover Graph grants)" },
];

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function checkTenant(t: string): string {
  const v = t.trim();
  if (GUID.test(v)) return v.toLowerCase();
  if (DOMAIN.test(v)) return v.toLowerCase();
  throw new UsageError(`--tenant ${JSON.stringify(t)}: give the directory (tenant) id, a GUID like 72f98000-86f1-41af-91ab-2d7cd011db47, or a verified domain like contoso.onmicrosoft.com.`);
}

/** Reads the files the options name. `requireApp` false lets `plan` start from nothing when --app is absent. */
export async function observedFromOptions(p: ParsedArgs, io: CliIO, requireApp: boolean): Promise<Observed> {
  const appFile = str(p, 'app');
  const spFile = str(p, 'service-principal');
  const grantsFile = str(p, 'grants');
  const stdinUsers = [appFile, spFile, grantsFile].filter((f) => f === '-');
  if (stdinUsers.length > 1) throw new UsageError('only one of --app, --service-principal, --grants can read standard input (-); give files for the others.');
  if (!appFile && requireApp) {
    throw new UsageError('--app FILE is required: the application as GET /applications/{id} returns it (or the portal\'s Manifest), or - for standard input.');
  }
  // Each file through THE Graph-file parser (graph/files), as Review offline reads it; messages name the option.
  const read = async <T>(file: string, option: string, parse: (v: unknown, source: string) => T): Promise<T> => {
    const { text, label } = await readTextInput(file, option, io);
    const source = `${option} ${label}`;
    return parse(parseGraphJson(text, source), source);
  };
  const observed: Observed = { application: appFile ? await read(appFile, '--app', toApplication) : null };
  if (spFile) observed.servicePrincipal = await read(spFile, '--service-principal', toServicePrincipal);
  else if (!appFile) observed.servicePrincipal = null; // nothing exists yet
  if (grantsFile) observed.grants = await read(grantsFile, '--grants', toGrants);
  else if (!appFile) observed.grants = [];
  const tenant = str(p, 'tenant');
  if (tenant !== undefined) observed.tenantId = checkTenant(tenant);
  const gsp = str(p, 'graph-sp-id');
  if (gsp !== undefined) {
    if (!GUID.test(gsp.trim())) throw new UsageError(`--graph-sp-id ${JSON.stringify(gsp)}: give the object id (a GUID) of Microsoft Graph's service principal in this tenant.`);
    observed.graphServicePrincipalId = gsp.trim();
  }
  return observed;
}
