// What the live commands (signin, verify, apply) share: the sign-in and app options, `--site`, one sign-in owner
// per command (ops/session), Ctrl-C, and the checklist output. The work itself is an operation in ops/.
// Failures are not handled here: they reach main(), whose one table turns their code into the exit code.
import { openSystemBrowser } from '../auth/browser';
import type { AccessPurpose } from '../auth/scopes';
import { DEFAULT_CLIENT_ID, checkTenant, type DeviceCodeInfo } from '../auth/signin';
import { auditExitCode } from '../core/audit';
import { loginHost } from '../core/clouds';
import type { AuditResult, Cloud, Settings } from '../core/types';
import type { GraphStats } from '../graph/http';
import type { AppHint } from '../graph/read';
import { AppError } from '../lib/errors';
import { isGuid } from '../lib/ids';
import { SignIns, type Session } from '../ops/session';
import { openSite, type LoadedSite } from '../ops/site';
import type { RunTarget } from '../ops/tenant';
import { flag, parseArgs, str, type OptionDef, type ParsedArgs } from './args';
import { confirmCloud, signInLine } from './cloud-confirm';
import { UsageError } from './errors';
import { resolvePath, useColour, type CliIO } from './io';
import { auditJson, renderAudit } from './render';
import { settingsFromOptions } from './settings-options';

export const SIGNIN_OPTIONS: OptionDef[] = [
  { name: 'tenant', kind: 'string', valueName: 'T', description: 'tenant id (GUID) or verified domain, e.g. contoso.onmicrosoft.com' },
  { name: 'device-code', kind: 'flag', description: 'sign in with a code entered on another device (default)' },
  { name: 'browser', kind: 'flag', description: 'sign in in the system browser (loopback redirect)' },
  { name: 'client-id', kind: 'string', valueName: 'C', description: `public client to sign in with (default ${DEFAULT_CLIENT_ID}, Microsoft Graph Command Line Tools)` },
  { name: 'user', kind: 'string', valueName: 'UPN', description: 'account to sign in as (login hint)' },
];

export const APP_OPTIONS: OptionDef[] = [
  { name: 'object-id', kind: 'string', valueName: 'ID', description: 'the app registration object id, when known' },
  { name: 'app-id', kind: 'string', valueName: 'ID', description: 'the application (client) id, when known' },
  { name: 'unique-name', kind: 'string', valueName: 'NAME', description: 'the app uniqueName (default: derived from the display name and tenant)' },
  { name: 'site', kind: 'string', valueName: 'FILE', description: 'saved site: settings, tenant and app ids come from it, and the result is recorded in it' },
  {
    name: 'trust-cloud',
    kind: 'flag',
    description: "sign in to the custom cloud the --site file names (not Microsoft's, not created on this machine) without asking; remembered on this machine",
  },
];

export function signInMethod(p: ParsedArgs): 'device-code' | 'browser' {
  if (flag(p, 'device-code') && flag(p, 'browser')) throw new UsageError('give either --device-code or --browser, not both.');
  return flag(p, 'browser') ? 'browser' : 'device-code';
}

export function tenantOption(p: ParsedArgs, fallback?: string): string {
  const t = str(p, 'tenant') ?? fallback;
  if (!t) throw new UsageError('--tenant is missing: give the tenant id (GUID) or a verified domain, e.g. --tenant contoso.onmicrosoft.com.');
  const problem = checkTenant(t);
  if (problem) throw new UsageError(`--tenant: ${problem}`);
  return t.trim();
}

function showDeviceCode(io: CliIO) {
  return (info: DeviceCodeInfo, cloud: Cloud) => {
    const mins = Math.max(1, Math.round((info.expiresAt.getTime() - Date.now()) / 60_000));
    io.stderr.write(`${info.message}\n(The code ${info.userCode} works for about ${mins} minute${mins === 1 ? '' : 's'}; it was issued by sign-in host ${loginHost(cloud)}.)\n`);
  };
}

/** The command's sign-in owner: device code on stderr (naming the host that issued it), the system browser for --browser. */
export function cliSignIns(p: ParsedArgs, io: CliIO): SignIns {
  const clientId = str(p, 'client-id');
  return new SignIns({
    ...(clientId ? { clientId } : {}),
    onDeviceCode: showDeviceCode(io),
    openBrowser: async (url) => {
      io.stderr.write('Opening the system browser to sign in...\n');
      await openSystemBrowser(url);
    },
  });
}

/** Signs in for a purpose (least privilege) and returns the Graph session. */
export function openCliSession(p: ParsedArgs, io: CliIO, settings: Pick<Settings, 'cloud'>, tenant: string, purpose: AccessPurpose, signal?: AbortSignal): Promise<Session> {
  const user = str(p, 'user');
  io.stderr.write(signInLine(settings.cloud, tenant));
  return cliSignIns(p, io).open({ cloud: settings.cloud, tenant, purpose, method: signInMethod(p), ...(user ? { user } : {}), ...(signal ? { signal } : {}) });
}

export interface LiveInputs {
  settings: Settings;
  tenant: string;
  hint: AppHint;
  /** The saved site the run uses and is recorded in (--site). */
  site?: LoadedSite;
  /** The scope id the site recorded from an earlier apply: a resumed run without --journal writes the same one. */
  scopeId?: string;
  /** The cloud came from the site file (no --cloud/--login-url/--graph-url given): trust is checked before sign-in. */
  cloudFromFile?: boolean;
}

/** Settings, tenant and app hint from the options and (when given) the saved site. */
export async function liveInputs(p: ParsedArgs, io: CliIO): Promise<LiveInputs> {
  let site: LoadedSite | undefined;
  const sitePath = str(p, 'site');
  if (sitePath) {
    try {
      site = await openSite(resolvePath(io, sitePath));
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, `--site ${sitePath}: ${e.message}`);
      throw e;
    }
  }
  const settings = settingsFromOptions(p, site?.settingsInput ?? {});
  const tenant = tenantOption(p, site?.tenant);
  const hint: AppHint = { ...site?.hint };
  for (const [opt, key] of [
    ['object-id', 'objectId'],
    ['app-id', 'appId'],
  ] as const) {
    const v = str(p, opt);
    if (v === undefined) continue;
    if (!isGuid(v.trim())) throw new UsageError(`--${opt}: "${v}" is not a GUID (e.g. 00000000-0000-0000-0000-000000000000).`);
    hint[key] = v.trim();
  }
  const u = str(p, 'unique-name');
  if (u !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/.test(u)) throw new UsageError(`--unique-name: "${u}" may hold only letters, digits, '.', '_' and '-' (1-120 characters).`);
    hint.uniqueName = u;
  }
  const cloudFromFile = !!sitePath && ['cloud', 'login-url', 'graph-url'].every((o) => str(p, o) === undefined);
  return { settings, tenant, hint, ...(site ? { site } : {}), ...(site?.scopeId ? { scopeId: site.scopeId } : {}), ...(cloudFromFile ? { cloudFromFile } : {}) };
}

/** Ctrl-C cancels the run (requests in flight are abandoned; apply can be resumed with its journal): exit 130. */
export function cancelOnSigint(io: CliIO): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onInt = () => {
    io.stderr.write('\nCancelling...\n');
    ac.abort(new Error('cancelled by the user'));
  };
  process.once('SIGINT', onInt);
  return { signal: ac.signal, done: () => process.removeListener('SIGINT', onInt) };
}

export interface LiveContext {
  p: ParsedArgs;
  io: CliIO;
  inputs: LiveInputs;
  /** What the operation runs on. */
  target: RunTarget;
  session: Session;
  signal: AbortSignal;
  json: boolean;
}

export interface LiveCommandSpec {
  name: string;
  options: OptionDef[];
  /** The permissions to sign in for (least privilege), from the parsed options and settings. */
  purpose(p: ParsedArgs, settings: Settings): AccessPurpose;
  /** The command's own work: operation, recording, rendering; returns the exit code. */
  work(ctx: LiveContext): Promise<number>;
}

/** argv -> inputs -> sign-in -> the command's operation. */
export async function runLiveCommand(argv: string[], io: CliIO, spec: LiveCommandSpec): Promise<number> {
  const p = parseArgs(argv, spec.options, spec.name);
  if (p.positionals.length) throw new UsageError(`${spec.name} takes no positional arguments (got ${p.positionals.map((x) => JSON.stringify(x)).join(' ')}).`);
  const inputs = await liveInputs(p, io);
  const target: RunTarget = { settings: inputs.settings, hint: inputs.hint, ...(inputs.scopeId ? { scopeId: inputs.scopeId } : {}) };
  // Before anything is sent: a custom cloud from the site file needs this machine's trust (issue 8).
  await confirmCloud(io, inputs.settings.cloud, { fromFile: inputs.cloudFromFile === true, trustFlag: flag(p, 'trust-cloud'), ...(inputs.site ? { siteName: inputs.site.name } : {}) });
  const cancel = cancelOnSigint(io);
  try {
    const session = await openCliSession(p, io, inputs.settings, inputs.tenant, spec.purpose(p, inputs.settings), cancel.signal);
    return await spec.work({ p, io, inputs, target, session, signal: cancel.signal, json: flag(p, 'json') });
  } finally {
    cancel.done();
  }
}

export function jsonOutput(result: AuditResult, stats: GraphStats, extra: Record<string, unknown>): string {
  return `${JSON.stringify({ ...auditJson(result), requests: stats.graphRequests, roundTrips: stats.roundTrips, httpRequests: stats.httpRequests, retries: stats.retries, ...extra }, null, 2)}\n`;
}

export function statsLine(stats: GraphStats): string {
  return `Graph: ${stats.graphRequests} request${stats.graphRequests === 1 ? '' : 's'} in ${stats.roundTrips} round trip${stats.roundTrips === 1 ? '' : 's'}${stats.retries ? `, ${stats.retries} retr${stats.retries === 1 ? 'y' : 'ies'}` : ''}.\n`;
}

/** The checklist: JSON on stdout (with `jsonExtra`), or the human checklist on stdout and the stats on stderr. Returns the exit code. */
export function printChecklist(ctx: LiveContext, r: AuditResult & { stats: GraphStats }, heading: string, jsonExtra: Record<string, unknown>): number {
  if (ctx.json) {
    ctx.io.stdout.write(jsonOutput(r, r.stats, jsonExtra));
  } else {
    ctx.io.stdout.write(renderAudit(r, useColour(ctx.io), heading));
    ctx.io.stderr.write(statsLine(r.stats));
    if (ctx.inputs.site) ctx.io.stderr.write(`Recorded in site "${ctx.inputs.site.name}".\n`);
  }
  return auditExitCode(r);
}
