// The settings options every command that takes settings shares (audit, plan, verify, apply, sites new),
// and the step from parsed options to a SettingsInput / validated Settings.
import { parseSettings, type SettingsError, type SettingsInput } from '../core/settings';
import type { Settings } from '../core/types';
import { str, strs, type OptionDef, type ParsedArgs } from './args';
import { UsageError } from './errors';

export { UsageError };

export const SETTINGS_OPTIONS: OptionDef[] = [
  { name: 'host', kind: 'list', valueName: 'H', description: 'ICE host (DC1, DC2, aliases): test.icnow.app or https://test.icnow.app/sso; repeat or separate with commas', aliases: ['hosts'] },
  { name: 'scope', kind: 'string', valueName: 'S', description: 'scope value (default UserProfile.ReadWrite)' },
  { name: 'consent', kind: 'string', valueName: 'users|admins', description: 'who can consent: users (admins and users, default) or admins (admins only)' },
  { name: 'groups', kind: 'string', valueName: 'T,T', description: 'group types for the groups claim: SecurityGroup, DirectoryRole, ApplicationGroup, All (default SecurityGroup)' },
  { name: 'audience', kind: 'string', valueName: 'A', description: 'supported account types: AzureADMyOrg (default), AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount, PersonalMicrosoftAccount' },
  { name: 'name', kind: 'string', valueName: 'NAME', description: 'app registration display name (default "Instant Connect Enterprise SSO")' },
  { name: 'cloud', kind: 'string', valueName: 'C', description: 'global (default), usgov, china, or custom (with --login-url and --graph-url)' },
  { name: 'login-url', kind: 'string', valueName: 'URL', description: 'custom cloud: login (authority) base URL, e.g. https://login.example.net' },
  { name: 'graph-url', kind: 'string', valueName: 'URL', description: 'custom cloud: Microsoft Graph base URL, e.g. https://graph.example.net' },
  { name: 'portal-url', kind: 'string', valueName: 'URL', description: 'custom cloud: Azure portal base URL (for deep links)' },
  { name: 'admin-consent-name', kind: 'string', valueName: 'TEXT', description: 'admin consent display name (default from the guide)' },
  { name: 'admin-consent-description', kind: 'string', valueName: 'TEXT', description: 'admin consent description (default from the guide)' },
  { name: 'user-consent-name', kind: 'string', valueName: 'TEXT', description: 'user consent display name (default from the guide)' },
  { name: 'user-consent-description', kind: 'string', valueName: 'TEXT', description: 'user consent description (default from the guide)' },
];

/** Which option sets which settings field (for error messages). */
export const FIELD_OPTIONS: Record<string, string> = {
  displayName: '--name',
  signInAudience: '--audience',
  hosts: '--host',
  scopeValue: '--scope',
  consent: '--consent',
  groupTypes: '--groups',
  cloud: '--cloud',
  loginUrl: '--login-url',
  graphUrl: '--graph-url',
  portalUrl: '--portal-url',
  'consentTexts.adminConsentDisplayName': '--admin-consent-name',
  'consentTexts.adminConsentDescription': '--admin-consent-description',
  'consentTexts.userConsentDisplayName': '--user-consent-name',
  'consentTexts.userConsentDescription': '--user-consent-description',
};

/** Parsed options -> raw settings input (only what was given; parseSettings supplies the defaults). */
export function settingsInputFromOptions(p: ParsedArgs): SettingsInput {
  const input: SettingsInput = {};
  const hosts = strs(p, 'host');
  if (hosts.length) input.hosts = hosts;
  const set = <K extends keyof SettingsInput>(key: K, opt: string) => {
    const v = str(p, opt);
    if (v !== undefined) input[key] = v as SettingsInput[K];
  };
  set('scopeValue', 'scope');
  set('consent', 'consent');
  set('groupTypes', 'groups');
  set('signInAudience', 'audience');
  set('displayName', 'name');
  set('cloud', 'cloud');
  set('loginUrl', 'login-url');
  set('graphUrl', 'graph-url');
  set('portalUrl', 'portal-url');
  const texts: NonNullable<SettingsInput['consentTexts']> = {};
  const t = (key: keyof typeof texts, opt: string) => {
    const v = str(p, opt);
    if (v !== undefined) texts[key] = v;
  };
  t('adminConsentDisplayName', 'admin-consent-name');
  t('adminConsentDescription', 'admin-consent-description');
  t('userConsentDisplayName', 'user-consent-name');
  t('userConsentDescription', 'user-consent-description');
  if (Object.keys(texts).length) input.consentTexts = texts;
  return input;
}

/** The option (or setting) an error is about, e.g. "--host test.icnow.app/x" for hosts[0]. */
export function describeSettingsError(e: SettingsError, input?: SettingsInput): string {
  const m = /^([A-Za-z.]+)(?:\[(\d+)\])?/.exec(e.field);
  const field = m?.[1] ?? e.field;
  const opt = FIELD_OPTIONS[field];
  if (field === 'hosts' && m?.[2] !== undefined && input && Array.isArray(input.hosts)) {
    // hosts[i] indexes the flattened, comma-split list; the message quotes the value itself.
    return `--host: ${e.message}`;
  }
  return opt ? `${opt}: ${e.message}` : `${e.field}: ${e.message}`;
}

/** Validated Settings from parsed options, or a UsageError naming each bad option and what would be valid. */
export function settingsFromOptions(p: ParsedArgs, base: SettingsInput = {}): Settings {
  const input: SettingsInput = { ...base, ...settingsInputFromOptions(p) };
  if (base.consentTexts || input.consentTexts) input.consentTexts = { ...(base.consentTexts ?? {}), ...(input.consentTexts ?? {}) };
  const r = parseSettings(input);
  if (r.ok) return r.settings;
  const lines = r.errors.map((e) => `  ${describeSettingsError(e, input)}`);
  throw new UsageError(`invalid settings:\n${lines.join('\n')}`);
}
