// `signin`: sign in and show who, which tenant and which permissions (never a token).
import { graphPermissions, type AccessPurpose } from '../../auth/scopes';
import { CLOUDS, customCloud } from '../../core/clouds';
import type { Cloud } from '../../core/types';
import { flag, noPositionals, parseArgs, str, type OptionDef, type ParsedArgs } from '../args';
import { UsageError } from '../errors';
import { EXIT } from '../exit-codes';
import { DEFAULT_CLIENT_ID } from '../../auth/signin';
import { SIGNIN_OPTIONS, clientIdOption, openCliSession, tenantOption } from '../live';
import { cliSignInStore, signInKey } from '../signin-cache';
import { SETTINGS_OPTIONS } from '../settings-options';
import type { CliCommand } from './types';

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
  details: `Exit code: 0 signed in, 2 bad usage, ${EXIT.service} sign-in failed.`,
  async run(argv, io) {
    const p = parseArgs(argv, OPTIONS, 'signin');
    noPositionals(p, 'signin');
    const cloud = cloudFromOptions(p);
    const tenant = tenantOption(p);
    const consent = str(p, 'consent') === 'admins' ? 'admins' : 'users';
    const purpose: AccessPurpose = flag(p, 'write') ? { action: 'apply', consent } : { action: 'verify' };
    const s = await openCliSession(p, io, { cloud }, tenant, purpose);
    if (!flag(p, 'json') && s.interactiveSignIns === 0) io.stderr.write('Signed in silently with the saved sign-in (signout forgets it).\n');
    const out = { username: s.username, tenantId: s.tenantId, scopes: graphPermissions(purpose) };
    if (flag(p, 'json')) io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else io.stdout.write(`Signed in as ${out.username} to tenant ${out.tenantId} with ${out.scopes.join(', ')}.\n`);
    return 0;
  },
};

// ---- the signout command

const SIGNOUT_OPTIONS: OptionDef[] = [
  { name: 'tenant', kind: 'string', valueName: 'T', description: 'forget the sign-in to this tenant only (default: every saved sign-in)' },
  { name: 'client-id', kind: 'string', valueName: 'C', description: 'with --tenant: the sign-in client it was made with (default as for signin)' },
  ...SETTINGS_OPTIONS.filter((o) => ['cloud', 'login-url', 'graph-url', 'portal-url'].includes(o.name)),
];

export const signoutCommand: CliCommand = {
  name: 'signout',
  usage: 'signout [--tenant T [--client-id C] [--cloud C | --login-url U --graph-url U]]',
  options: SIGNOUT_OPTIONS,
  details:
    'The CLI keeps its sign-in in the config folder (ICE_SSO_CONFIG_DIR, else the per-user config folder), readable by you only. ' +
    'Without --tenant every saved sign-in is removed (the cache file is deleted). Exit code: 0, 2 bad usage.',
  async run(argv, io) {
    const p = parseArgs(argv, SIGNOUT_OPTIONS, 'signout');
    noPositionals(p, 'signout');
    const store = cliSignInStore({ noCache: false, env: io.env });
    if (str(p, 'tenant') === undefined) {
      await store.cache.clear();
      await store.forget();
      io.stdout.write(`Signed out: the saved sign-ins in ${store.folder} are removed.\n`);
      return 0;
    }
    const cloud = cloudFromOptions(p);
    const tenant = tenantOption(p);
    const clientId = clientIdOption(p) ?? DEFAULT_CLIENT_ID;
    const key = signInKey(cloud.loginUrl, tenant, clientId);
    const id = await store.account(key);
    const { SignInClient } = await import('../../auth/signin');
    const client = new SignInClient({ cloud, tenant, clientId, cache: store.cache });
    const accounts = await client.accounts();
    const target = accounts.find((a) => a.homeAccountId === id) ?? accounts.find((a) => a.tenantId.toLowerCase() === tenant.toLowerCase());
    if (target) await client.signOut(target);
    await store.forget(key);
    if ((await client.accounts()).length === 0) await store.cache.clear();
    io.stdout.write(target ? `Signed out ${target.username} from tenant ${tenant}.\n` : `No saved sign-in to tenant ${tenant}: nothing to forget.\n`);
    return 0;
  },
};
