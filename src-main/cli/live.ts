// What the live commands (signin, verify, apply) share: the sign-in and app options, `--site`, one sign-in owner
// per command (ops/session), Ctrl-C, and the checklist output. The work itself is an operation in ops/.
// Failures are not handled here: they reach main(), whose one table turns their code into the exit code.
import { openSystemBrowser } from '../auth/browser';
import type { AccessPurpose } from '../auth/scopes';
import { DEFAULT_CLIENT_ID, checkTenant, type DeviceCodeInfo } from '../auth/signin';
import { parseSettings, type SettingsInput } from '../core/settings';
import { auditExitCode } from '../core/audit';
import { loginHost } from '../core/clouds';
import type { AuditResult, Cloud, Settings } from '../core/types';
import type { GraphStats } from '../graph/http';
import type { AppHint } from '../graph/read';
import { AppError } from '../lib/errors';
import { isGuid } from '../shared/ids';
import { SignIns, type Session } from '../ops/session';
import { openSite, recordRun, type LoadedSite, type RunOutcome } from '../ops/site';
import type { RunTarget } from '../ops/tenant';
import { flag, parseArgs, str, type OptionDef, type ParsedArgs } from './args';
import { confirmCloud, signInLine } from './cloud-confirm';
import { UsageError } from './errors';
import { resolvePath, useColour, type CliIO } from './io';
import { auditJson, renderAudit } from './render';
import { FIELD_OPTIONS, settingsFromOptions, settingsInputFromOptions } from './settings-options';
import { cliSignInStore, signInKey } from './signin-cache';

export const SIGNIN_OPTIONS: OptionDef[] = [
  { name: 'tenant', kind: 'string', valueName: 'T', description: 'tenant id (GUID) or verified domain, e.g. contoso.onmicrosoft.com' },
  { name: 'device-code', kind: 'flag', description: 'sign in with a code entered on another device (default)' },
  { name: 'browser', kind: 'flag', description: 'sign in in the system browser (loopback redirect)' },
  { name: 'client-id', kind: 'string', valueName: 'C', description: `public client to sign in with (default ${DEFAULT_CLIENT_ID}, Microsoft Graph Command Line Tools)` },
  { name: 'user', kind: 'string', valueName: 'UPN', description: 'account to sign in as (login hint)' },
  { name: 'no-cache', kind: 'flag', description: 'keep no sign-in after this command (by default the sign-in is kept in the config folder, see signout)' },
];

export const APP_OPTIONS: OptionDef[] = [
  { name: 'object-id', kind: 'string', valueName: 'ID', description: 'the app registration object id, when known' },
  { name: 'app-id', kind: 'string', valueName: 'ID', description: 'the application (client) id, when known' },
  { name: 'unique-name', kind: 'string', valueName: 'NAME', description: 'the app uniqueName (default: derived from the display name and tenant)' },
  { name: 'site', kind: 'string', valueName: 'FILE', description: 'saved site: settings, tenant, sign-in client and app ids come from it, and the result is recorded in it' },
  { name: 'save', kind: 'flag', description: 'with --site and settings options (e.g. --host NEW): save the changed settings in the site (else they are for this run only and the result is not recorded)' },
  {
    name: 'trust-cloud',
    kind: 'flag',
    description: "sign in to the custom cloud the --site file names (not Microsoft's, not created on this machine) without asking; remembered on this machine",
  },
];

/** --client-id: a GUID (the sign-in client's Application (client) ID), else the site's, else the default. */
export function clientIdOption(p: ParsedArgs, fallback?: string): string | undefined {
  const v = str(p, 'client-id');
  if (v === undefined) return fallback;
  if (!isGuid(v.trim())) {
    throw new UsageError(`--client-id: "${v}" is not a client id: give the sign-in app's "Application (client) ID", a GUID such as ${DEFAULT_CLIENT_ID} (leave it out to use Microsoft Graph Command Line Tools).`);
  }
  return v.trim();
}

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
    if (!info.userCode) return;
    const mins = Math.max(1, Math.round((info.expiresAt.getTime() - Date.now()) / 60_000) || 15);
    io.stderr.write(`${info.message}\n(The code ${info.userCode} works for about ${mins} minute${mins === 1 ? '' : 's'}; it was issued by sign-in host ${loginHost(cloud)}.)\n`);
  };
}

/**
 * Signs in for a purpose (least privilege) and returns the Graph session. The sign-in is kept between commands in
 * the config folder (as Azure CLI does; --no-cache keeps nothing): the next command signs in silently.
 */
export async function openCliSession(
  p: ParsedArgs,
  io: CliIO,
  settings: Pick<Settings, 'cloud'>,
  tenant: string,
  purpose: AccessPurpose,
  signal?: AbortSignal,
  siteClientId?: string,
): Promise<Session> {
  const cloud = settings.cloud;
  const clientId = clientIdOption(p, siteClientId) ?? DEFAULT_CLIENT_ID;
  const store = cliSignInStore({ noCache: flag(p, 'no-cache'), env: io.env });
  const key = signInKey(cloud.loginUrl, tenant, clientId);
  const user = str(p, 'user') ?? (await store.account(key).catch(() => undefined));
  io.stderr.write(signInLine(cloud, tenant));
  const signIns = new SignIns({
    clientId,
    cache: store.cache,
    onDeviceCode: showDeviceCode(io),
    openBrowser: async (url) => {
      io.stderr.write('Opening the system browser to sign in...\n');
      await openSystemBrowser(url);
    },
    onInteractive: (n) => {
      if (n.reason === 'consent') {
        io.stderr.write(
          `The saved sign-in has no consent for ${n.permissions.join(', ')} yet: sign in again for them. ` +
            'An administrator sees Entra\'s consent prompt there (tick "Consent on behalf of your organization").\n',
        );
      }
    },
  });
  const session = await signIns.open({ cloud, tenant, purpose, method: signInMethod(p), ...(user ? { user } : {}), ...(signal ? { signal } : {}) });
  await store.remember(key, session.accountId).catch((e: Error) => io.stderr.write(`warning: the sign-in could not be kept for the next command: ${e.message}\n`));
  return session;
}

export interface LiveInputs {
  settings: Settings;
  tenant: string;
  hint: AppHint;
  /** The saved site the run uses and is recorded in (--site). */
  site?: LoadedSite;
  /** The scope id the site recorded from an earlier apply: a resumed run without --journal writes the same one. */
  scopeId?: string;
  /** The sign-in client id the site stores. */
  clientId?: string;
  /** With --site: settings options that change what the site holds (e.g. --host NEW), by option name. */
  changedSettings: string[];
  /** The site's settings merged with the options (to save with --save). */
  mergedSettingsInput?: SettingsInput;
  /** false: the run used settings the site does not hold, so it is not recorded. */
  recordable?: boolean;
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
      if (e instanceof AppError) throw e.prefixed(`--site ${sitePath}: `);
      throw e;
    }
  }
  const base = (site?.settingsInput ?? {}) as SettingsInput;
  const settings = settingsFromOptions(p, base);
  const tenant = tenantOption(p, site?.tenant);
  // Ids given on the command line replace the site's (never mixed: one registration at a time).
  const cliIds = ['object-id', 'app-id', 'unique-name'].some((o) => str(p, o) !== undefined);
  const hint: AppHint = cliIds ? {} : { ...site?.hint };
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
  let changedSettings: string[] = [];
  let mergedSettingsInput: SettingsInput | undefined;
  if (site) {
    const given = settingsInputFromOptions(p) as Record<string, unknown>;
    const norm = (x: SettingsInput) => {
      const r = parseSettings(x);
      return r.ok ? JSON.stringify(r.settings) : null;
    };
    const before = norm(base);
    changedSettings = Object.keys(given)
      .filter((k) => before === null || norm({ ...base, [k]: k === 'consentTexts' ? { ...(base.consentTexts ?? {}), ...(given[k] as object) } : given[k] }) !== before)
      .map((k) => FIELD_OPTIONS[k] ?? k);
    if (changedSettings.length) mergedSettingsInput = { ...base, ...given, ...(base.consentTexts || given.consentTexts ? { consentTexts: { ...(base.consentTexts ?? {}), ...(given.consentTexts ?? {}) } } : {}) };
  }
  const clientId = clientIdOption(p, site?.clientId);
  const cloudFromFile = !!sitePath && ['cloud', 'login-url', 'graph-url'].every((o) => str(p, o) === undefined);
  return {
    settings,
    tenant,
    hint,
    ...(site ? { site } : {}),
    ...(site?.scopeId ? { scopeId: site.scopeId } : {}),
    ...(clientId ? { clientId } : {}),
    changedSettings,
    ...(mergedSettingsInput ? { mergedSettingsInput } : {}),
    ...(cloudFromFile ? { cloudFromFile } : {}),
  };
}

/**
 * --site with settings options that change what the site holds (e.g. --host NEW): --save saves them in the site
 * first; otherwise they are for this run only and the result is not recorded (the site would hold a result for
 * settings it does not have).
 */
async function settingsChangedAgainstSite(p: ParsedArgs, io: CliIO, inputs: LiveInputs): Promise<void> {
  if (!inputs.site || !inputs.changedSettings.length) return;
  const what = inputs.changedSettings.join(', ');
  if (flag(p, 'save') && inputs.mergedSettingsInput) {
    const { updateSite } = await import('../sites/store');
    try {
      await updateSite(inputs.site.file, { settings: inputs.mergedSettingsInput as Record<string, unknown> }, (x) => {
        const r = parseSettings(x);
        return r.ok ? null : r.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      });
    } catch (e) {
      if (e instanceof AppError) throw e.prefixed(`--save: `);
      throw e;
    }
    io.stderr.write(`Saved the changed settings (${what}) in site "${inputs.site.name}".\n`);
    return;
  }
  inputs.recordable = false;
  io.stderr.write(
    `Note: ${what} differ${inputs.changedSettings.length === 1 ? 's' : ''} from what site "${inputs.site.name}" holds: used for this run only, ` +
      'and the result is not recorded in the site. Add --save to save the change in the site (or use sites set).\n',
  );
}

/** Records the run in the site (when --site was given and the run used the site's own settings), with ops' recordRun. */
export async function recordInSite(ctx: LiveContext, outcome: RunOutcome): Promise<boolean> {
  if (!ctx.inputs.site || ctx.inputs.recordable === false) return false;
  await recordRun(ctx.inputs.site, outcome);
  return true;
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
  await settingsChangedAgainstSite(p, io, inputs);
  const purpose = spec.purpose(p, inputs.settings); // usage checked before any sign-in
  const cancel = cancelOnSigint(io);
  try {
    const session = await openCliSession(p, io, inputs.settings, inputs.tenant, purpose, cancel.signal, inputs.clientId);
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
    if (ctx.inputs.site && ctx.inputs.recordable !== false) ctx.io.stderr.write(`Recorded in site "${ctx.inputs.site.name}".\n`);
  }
  return auditExitCode(r);
}
