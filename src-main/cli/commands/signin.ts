// `signin`: sign in and show who, which tenant and which permissions (never a token). Also what verify and
// apply share: the sign-in and app options, --site, session opening, output and failure handling.
import type { SettingsInput } from '../../core/settings';
import type { AuditResult, Settings } from '../../core/types';
import type { AppHint } from '../../graph/read';
import type { AppIds } from '../../graph/engine';
import type { GraphStats } from '../../graph/http';
import { auditJson } from '../render';
import { SignInError } from '../../auth/errors';
import { openSystemBrowser } from '../../auth/browser';
import { DEFAULT_CLIENT_ID, checkTenant, type DeviceCodeInfo } from '../../auth/signin';
import { graphPermissions, type AccessPurpose } from '../../auth/scopes';
import { CLOUDS, customCloud } from '../../core/clouds';
import type { Cloud } from '../../core/types';
import { GraphRequestError } from '../../graph/errors';
import { JournalError } from '../../graph/journal';
import { isGuid } from '../../lib/ids';
import { osUserName } from '../../lib/os-user';
import type { SiteForRun } from '../../sites/cli-site';
import { openSession, type Session } from '../../graph/session';
import { flag, noPositionals, parseArgs, str, type OptionDef, type ParsedArgs } from '../args';
import { UsageError } from '../errors';
import { resolvePath, type CliIO } from '../io';
import { SETTINGS_OPTIONS, settingsFromOptions } from '../settings-options';
import type { CliCommand } from './types';

/** Exit code for a sign-in or Graph failure (0/1 are checklist results, 2 is bad input). */
export const EXIT_SERVICE = 3;

export const SIGNIN_OPTIONS: OptionDef[] = [
  { name: 'tenant', kind: 'string', valueName: 'T', description: 'tenant id (GUID) or verified domain, e.g. contoso.onmicrosoft.com' },
  { name: 'device-code', kind: 'flag', description: 'sign in with a code entered on another device (default)' },
  { name: 'browser', kind: 'flag', description: 'sign in in the system browser (loopback redirect)' },
  { name: 'client-id', kind: 'string', valueName: 'C', description: `public client to sign in with (default ${DEFAULT_CLIENT_ID}, Microsoft Graph Command Line Tools)` },
  { name: 'user', kind: 'string', valueName: 'UPN', description: 'account to sign in as (login hint)' },
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
  return (info: DeviceCodeInfo) => {
    const mins = Math.max(1, Math.round((info.expiresAt.getTime() - Date.now()) / 60_000));
    io.stderr.write(`${info.message}\n(The code ${info.userCode} works for about ${mins} minute${mins === 1 ? '' : 's'}.)\n`);
  };
}

/** Signs in for a purpose and returns the Graph session; messages go to stderr. */
export async function openCliSession(
  p: ParsedArgs,
  io: CliIO,
  cloud: Cloud,
  tenant: string,
  purpose: AccessPurpose,
  signal?: AbortSignal,
): Promise<Session> {
  const method = signInMethod(p);
  return openSession({
    cloud,
    tenant,
    clientId: str(p, 'client-id'),
    purpose,
    method,
    user: str(p, 'user'),
    onDeviceCode: showDeviceCode(io),
    openBrowser: async (url) => {
      io.stderr.write('Opening the system browser to sign in...\n');
      await openSystemBrowser(url);
    },
    signal,
  });
}

/** Sign-in, Graph and journal failures → a clear message on stderr and exit 3. Others propagate. */
export function serviceFailure(e: unknown, io: CliIO): number | null {
  if (e instanceof SignInError || e instanceof GraphRequestError || e instanceof JournalError) {
    io.stderr.write(`error: ${e.message}\n`);
    return EXIT_SERVICE;
  }
  return null;
}

// ---- what verify and apply share: app options, --site, output, recording

export const APP_OPTIONS: OptionDef[] = [
  { name: 'object-id', kind: 'string', valueName: 'ID', description: 'the app registration object id, when known' },
  { name: 'app-id', kind: 'string', valueName: 'ID', description: 'the application (client) id, when known' },
  { name: 'unique-name', kind: 'string', valueName: 'NAME', description: 'the app uniqueName (default: derived from the display name and tenant)' },
  { name: 'site', kind: 'string', valueName: 'FILE', description: 'saved site: settings, tenant and app ids come from it, and the result is recorded in it' },
];

/** The saved site a verify/apply run uses and records into (see src-main/sites/cli-site). */
export type SiteHandle = Pick<SiteForRun, 'name' | 'record'>;

export interface LiveInputs {
  settings: Settings;
  tenant: string;
  hint: AppHint;
  site?: SiteHandle;
  /** The scope id the site recorded from an earlier apply: a resumed run without --journal writes the same one. */
  scopeId?: string;
}

/** Settings, tenant and app hint from the options and (when given) the saved site. */
export async function liveInputs(p: ParsedArgs, io: CliIO): Promise<LiveInputs> {
  let base: SettingsInput = {};
  let siteTenant: string | undefined;
  let siteApp: AppHint = {};
  let site: SiteHandle | undefined;
  let scopeId: string | undefined;
  const sitePath = str(p, 'site');
  if (sitePath) {
    const { openSiteForRun, SiteError } = await import('../../sites/cli-site');
    try {
      const s = await openSiteForRun(resolvePath(io, sitePath));
      base = (s.settingsInput ?? {}) as SettingsInput;
      siteTenant = s.tenant;
      siteApp = s.app ?? {};
      scopeId = s.scopeId;
      site = { name: s.name, record: (run) => s.record(run) };
    } catch (e) {
      if (e instanceof SiteError) throw new UsageError(`--site ${sitePath}: ${e.message}`);
      throw e;
    }
  }
  const settings = settingsFromOptions(p, base);
  const tenant = tenantOption(p, siteTenant);
  const hint: AppHint = { ...siteApp };
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
  return { settings, tenant, hint, ...(site ? { site } : {}), ...(scopeId ? { scopeId } : {}) };
}

export function jsonOutput(result: AuditResult, stats: GraphStats, extra: Record<string, unknown>): string {
  return `${JSON.stringify(
    {
      ...auditJson(result),
      requests: stats.graphRequests,
      roundTrips: stats.roundTrips,
      httpRequests: stats.httpRequests,
      retries: stats.retries,
      ...extra,
    },
    null,
    2,
  )}\n`;
}

export function statsLine(stats: GraphStats): string {
  return `Graph: ${stats.graphRequests} request${stats.graphRequests === 1 ? '' : 's'} in ${stats.roundTrips} round trip${stats.roundTrips === 1 ? '' : 's'}${stats.retries ? `, ${stats.retries} retr${stats.retries === 1 ? 'y' : 'ies'}` : ''}.\n`;
}

/** Who a run is recorded as: the signed-in account, else the OS account. */
export function whoRan(username: string | undefined): string {
  return username || osUserName();
}

export function appIdsForSite(app: AppIds, scopeId?: string) {
  return {
    ...(app.objectId ? { objectId: app.objectId } : {}),
    ...(app.appId ? { appId: app.appId } : {}),
    ...(app.uniqueName ? { uniqueName: app.uniqueName } : {}),
    ...(scopeId ? { scopeId } : {}),
  };
}

/** Ctrl-C cancels the run (requests in flight are abandoned; apply can be resumed with its journal). */
export function cancelOnSigint(io: CliIO): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onInt = () => {
    io.stderr.write('\nCancelling...\n');
    ac.abort(new Error('cancelled by the user'));
  };
  process.once('SIGINT', onInt);
  return { signal: ac.signal, done: () => process.removeListener('SIGINT', onInt) };
}

// ---- the signin command

/** The cloud from --cloud / --login-url / --graph-url alone (signin needs no ICE settings). */
export function cloudFromOptions(p: ParsedArgs): Cloud {
  const name = str(p, 'cloud');
  const login = str(p, 'login-url');
  const graph = str(p, 'graph-url');
  if (login !== undefined || graph !== undefined || name === 'custom') {
    if (name !== undefined && name !== 'custom') throw new UsageError(`--login-url/--graph-url are for --cloud custom, not --cloud ${name}.`);
    if (!login || !graph) throw new UsageError('a custom cloud needs both --login-url and --graph-url (https URLs).');
    for (const [opt, v] of [['--login-url', login], ['--graph-url', graph]] as const) {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        throw new UsageError(`${opt}: "${v}" is not a URL; give e.g. https://login.example.net.`);
      }
      if (u.protocol !== 'https:') throw new UsageError(`${opt}: "${v}" must be an https URL (MSAL requires https authorities).`);
    }
    return customCloud(login, graph, str(p, 'portal-url'));
  }
  const n = name ?? 'global';
  if (!(n in CLOUDS)) throw new UsageError(`--cloud: "${n}" is not a cloud; give global, usgov, china or custom.`);
  return CLOUDS[n as keyof typeof CLOUDS];
}

const OPTIONS: OptionDef[] = [
  ...SIGNIN_OPTIONS,
  { name: 'write', kind: 'flag', description: 'ask for the write permissions apply needs (default: the read-only ones verify needs)' },
  { name: 'consent', kind: 'string', valueName: 'users|admins', description: 'with --write: admins also asks for DelegatedPermissionGrant.ReadWrite.All' },
  ...SETTINGS_OPTIONS.filter((o) => ['cloud', 'login-url', 'graph-url', 'portal-url'].includes(o.name)),
  { name: 'json', kind: 'flag', description: 'print {"username","tenantId","scopes"}' },
];

export const command: CliCommand = {
  name: 'signin',
  usage: 'signin --tenant T [--device-code|--browser] [--client-id C] [--write [--consent admins]] [--cloud C | --login-url U --graph-url U] [--json]',
  options: OPTIONS,
  details: `Exit code: 0 signed in, 2 bad usage, ${EXIT_SERVICE} sign-in failed.`,
  async run(argv, io) {
    const p = parseArgs(argv, OPTIONS, 'signin');
    noPositionals(p, 'signin');
    const cloud = cloudFromOptions(p);
    const tenant = tenantOption(p);
    const consent = str(p, 'consent') === 'admins' ? 'admins' : 'users';
    const purpose: AccessPurpose = flag(p, 'write') ? { action: 'apply', consent } : { action: 'verify' };
    try {
      const s = await openCliSession(p, io, cloud, tenant, purpose);
      const out = { username: s.username, tenantId: s.tenantId, scopes: graphPermissions(purpose) };
      if (flag(p, 'json')) io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      else io.stdout.write(`Signed in as ${out.username} to tenant ${out.tenantId} with ${out.scopes.join(', ')}.\n`);
      return 0;
    } catch (e) {
      const code = serviceFailure(e, io);
      if (code === null) throw e;
      return code;
    }
  },
};
