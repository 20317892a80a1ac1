// Settings a field engineer chooses: raw input (CLI options, UI form, saved site) -> validated, normalised Settings.
// Pure: no I/O. Every rule of docs/checklist.md that concerns a setting is checked here, and each
// error names the field and says what would be valid.
import { z } from 'zod';
import { CLOUDS, customCloud, type NamedCloud } from './clouds';
import {
  GROUP_TYPES,
  SIGN_IN_AUDIENCES,
  type Cloud,
  type ConsentTexts,
  type GroupType,
  type Settings,
  type SignInAudience,
} from './types';

// ---------------------------------------------------------------- defaults

export const DEFAULT_CONSENT_TEXTS: ConsentTexts = {
  // Guide step 6B c (display name) and d (description): the same texts serve admins and users.
  adminConsentDisplayName: 'Read and write your ICE user profile',
  adminConsentDescription: 'Allows the application to read and write your Instant Connect user profile.',
  userConsentDisplayName: 'Read and write your ICE user profile',
  userConsentDescription: 'Allows the application to read and write your Instant Connect user profile.',
};

/**
 * Defaults for everything but the ICE hosts (which have none: every site has its own).
 * groupTypes: Graph's `SecurityGroup` puts security groups AND directory roles in the token, which is what the
 * guide (8A.a) says most organisations pick ("Directory roles and/or Security groups"), without the
 * distribution groups `All` would add (more groups, sooner the token's group overage limit).
 */
export const DEFAULTS = {
  displayName: 'Instant Connect Enterprise SSO',
  signInAudience: 'AzureADMyOrg' as SignInAudience,
  scopeValue: 'UserProfile.ReadWrite',
  consent: 'users' as const,
  groupTypes: ['SecurityGroup'] as GroupType[],
  consentTexts: DEFAULT_CONSENT_TEXTS,
  cloud: 'global' as NamedCloud,
} as const;

// ---------------------------------------------------------------- limits (checklist.md and Graph docs)

export const LIMITS = {
  displayName: 120,
  redirectUri: 256,
  scopeValue: 120,
  consentDisplayName: 256,
  consentDescription: 1024,
} as const;

/** Characters Entra refuses in redirect URIs (checklist.md). */
export const FORBIDDEN_URI_CHARS = ['!', '$', "'", '(', ')', ',', ';'] as const;

/** Graph's permissionScope.value alphabet: letters, digits and these punctuation marks; no spaces. */
const SCOPE_PUNCTUATION = ":!#$%&'()*+,-./;<=>?@[]^_`{|}~";

// ---------------------------------------------------------------- hosts

export class SettingsValueError extends Error {
  override name = 'SettingsValueError';
}

const HOST_EXAMPLE = 'e.g. test.icnow.app or https://test.icnow.app/sso';

function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return `'${c}'`;
}

/**
 * An ICE host as a user types it -> the SPA redirect URI `https://<host>/sso`.
 * Accepts `test.icnow.app`, `https://test.icnow.app`, `https://Test.ICNOW.app/sso/`, a port, `http://localhost`.
 * Throws SettingsValueError with a message saying what is wrong and what would be valid.
 */
export function normaliseHost(input: string): string {
  if (typeof input !== 'string') throw new SettingsValueError(`an ICE host must be text, ${HOST_EXAMPLE}`);
  const raw = input.trim();
  if (raw === '') throw new SettingsValueError(`an ICE host is empty: give the host name, ${HOST_EXAMPLE}`);
  for (const c of raw) {
    const code = c.codePointAt(0) ?? 0;
    if (/\s/.test(c) || code < 0x20 || code === 0x7f) {
      throw new SettingsValueError(`"${raw}" contains ${describeChar(c)}: give one host per value, ${HOST_EXAMPLE}`);
    }
  }
  for (const c of FORBIDDEN_URI_CHARS) {
    if (raw.includes(c)) {
      throw new SettingsValueError(
        `"${raw}" contains '${c}', which Entra ID does not allow in a redirect URI (none of ${FORBIDDEN_URI_CHARS.join(' ')}); ${HOST_EXAMPLE}`,
      );
    }
  }
  let scheme = 'https';
  let rest = raw;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw);
  if (m) {
    scheme = (m[1] ?? '').toLowerCase();
    rest = raw.slice(m[0].length);
    if (scheme !== 'https' && scheme !== 'http') {
      throw new SettingsValueError(`"${raw}" uses ${scheme}://: ICE's redirect URI must be https://<host>/sso, ${HOST_EXAMPLE}`);
    }
  } else if (raw.includes('://') || raw.startsWith('//')) {
    throw new SettingsValueError(`"${raw}" is not a host name or an https URL, ${HOST_EXAMPLE}`);
  }
  if (/[?#]/.test(rest)) {
    throw new SettingsValueError(`"${raw}" has a query or fragment: give just the host (the path /sso is added), ${HOST_EXAMPLE}`);
  }
  if (/[@\\]/.test(rest)) {
    throw new SettingsValueError(`"${raw}" contains '${/@/.test(rest) ? '@' : '\\'}': give just the host name, ${HOST_EXAMPLE}`);
  }
  if (rest.includes('*')) {
    throw new SettingsValueError(`"${raw}" contains a wildcard '*': Entra ID does not allow wildcards in SPA redirect URIs; list every host`);
  }
  const typedPort = /^[^/?#]*?:(\d+)(?:[/?#]|$)/.exec(rest.replace(/^\[[^\]]*\]/, ''))?.[1];
  if (typedPort !== undefined && (Number(typedPort) < 1 || Number(typedPort) > 65535)) {
    throw new SettingsValueError(`"${raw}" has the port ${typedPort}: a port is 1-65535 (or leave it out for 443), ${HOST_EXAMPLE}`);
  }
  let url: URL;
  try {
    url = new URL(`${scheme}://${rest}`);
  } catch {
    throw new SettingsValueError(`"${raw}" is not a host name or an https URL, ${HOST_EXAMPLE}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '' && path.toLowerCase() !== '/sso') {
    throw new SettingsValueError(
      `"${raw}" has the path ${url.pathname}: ICE's web client lives at /sso, so give the host alone or https://<host>/sso`,
    );
  }
  if (url.port !== '' && (Number(url.port) < 1 || Number(url.port) > 65535)) {
    throw new SettingsValueError(`"${raw}" has the port ${url.port}: a port is 1-65535 (or leave it out for 443), ${HOST_EXAMPLE}`);
  }
  let host = url.hostname.toLowerCase();
  if (host.endsWith('.') && !host.startsWith('[')) host = host.slice(0, -1);
  const typedHost = (/^[^/:]*/.exec(rest)?.[0] ?? '').toLowerCase().replace(/\.$/, '');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && typedHost !== host) {
    throw new SettingsValueError(`"${raw}" would be read as the IP address ${host}: give the full host name, ${HOST_EXAMPLE}`);
  }
  if (host === '') throw new SettingsValueError(`"${raw}" has no host name, ${HOST_EXAMPLE}`);
  if (!host.startsWith('[')) {
    if (host.length > 253) throw new SettingsValueError(`"${raw}": a host name has at most 253 characters`);
    for (const label of host.split('.')) {
      if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) {
        throw new SettingsValueError(
          `"${raw}" is not a valid host name (the part "${label}" must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen), ${HOST_EXAMPLE}`,
        );
      }
    }
  }
  if (scheme === 'http' && host !== 'localhost') {
    throw new SettingsValueError(
      `"${raw}" uses http://: Entra ID accepts SPA redirect URIs only with https (http only for localhost); use https://${host}${url.port ? `:${url.port}` : ''}/sso`,
    );
  }
  const result = `${scheme}://${host}${url.port ? `:${url.port}` : ''}/sso`;
  if (result.length > LIMITS.redirectUri) {
    throw new SettingsValueError(
      `"${raw}" gives a redirect URI of ${result.length} characters; Entra ID allows at most ${LIMITS.redirectUri}`,
    );
  }
  return result;
}

/** Checks an SPA redirect URI against Entra's rules (used for URIs found in an app, too). Returns the problem or null. */
export function spaRedirectUriProblem(uri: string): string | null {
  if (uri.length > LIMITS.redirectUri) return `longer than ${LIMITS.redirectUri} characters`;
  for (const c of FORBIDDEN_URI_CHARS) if (uri.includes(c)) return `contains '${c}'`;
  if (/^http:\/\/localhost([:/]|$)/i.test(uri)) return null;
  if (!/^https:\/\//i.test(uri)) return 'not https (only http://localhost may use http)';
  return null;
}

// ---------------------------------------------------------------- scope value

/** Returns why a scope value is invalid, or null when Graph would accept it. */
export function scopeValueProblem(value: string): string | null {
  if (value.length === 0) return 'is empty';
  // A full scope (api://<app>/UserProfile.ReadWrite) names the API too: the setting is only the scope's value.
  const full = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/.*\/([^/]+)$/.exec(value);
  if (full) return `is a full scope (${value}): give only ${full[1]} (the API part is the app's Application ID URI)`;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return `is a URI, not a scope value: give only the scope's value, e.g. ${DEFAULTS.scopeValue}`;
  if (value.length > LIMITS.scopeValue) return `has ${value.length} characters; at most ${LIMITS.scopeValue} are allowed`;
  if (value.startsWith('.')) return "starts with '.'";
  for (const c of value) {
    if (/[A-Za-z0-9]/.test(c) || SCOPE_PUNCTUATION.includes(c)) continue;
    return `contains ${describeChar(c)}`;
  }
  return null;
}

const SCOPE_RULE = `1-${LIMITS.scopeValue} characters: letters, digits and ${SCOPE_PUNCTUATION.split('').join(' ')}; no spaces; not starting with '.' (default ${DEFAULTS.scopeValue})`;

// ---------------------------------------------------------------- input schema

/** The raw input. Everything is optional but the ICE hosts. */
export interface SettingsInput {
  displayName?: string;
  signInAudience?: string;
  /** One host or many (DC1, DC2, aliases), as typed; a single string may list several separated by commas. */
  hosts?: string | string[];
  scopeValue?: string;
  consent?: string;
  /** Array or comma-separated: SecurityGroup, DirectoryRole, ApplicationGroup, All. */
  groupTypes?: string | string[];
  consentTexts?: Partial<ConsentTexts>;
  /** 'global' | 'usgov' | 'china' | 'custom', or a Cloud-like object. */
  cloud?: string | { name?: string; loginUrl: string; graphUrl: string; portalUrl?: string };
  /** Custom cloud base URLs (with cloud 'custom' or no cloud). */
  loginUrl?: string;
  graphUrl?: string;
  portalUrl?: string;
}

/** Where field checks report problems: zod's refinement context, or a plain collector. */
interface Ctx {
  addIssue(issue: { code: 'custom'; message: string; path: (string | number)[] }): void;
}

function fail(ctx: Ctx, message: string, path: (string | number)[] = []): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message, path });
  return z.NEVER;
}

function textField(name: string, max: number, dflt: string) {
  return z.unknown().optional().transform((v, ctx) => {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string') return fail(ctx, `must be text, ${max} characters at most`);
    const t = v.trim();
    if (t === '') return fail(ctx, `is empty: give ${name} (1-${max} characters)`);
    if (t.length > max) return fail(ctx, `has ${t.length} characters: give ${name} of at most ${max}`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(t)) return fail(ctx, `contains a control character: give ${name} as plain text`);
    return t;
  });
}

function caseInsensitive<T extends string>(values: readonly T[], v: string): T | undefined {
  const l = v.trim().toLowerCase();
  return values.find((x) => x.toLowerCase() === l);
}

const hostsField = z.unknown().transform((v, ctx) => {
  const need = `give at least one ICE host (DC1, DC2, aliases), ${HOST_EXAMPLE}`;
  if (v === undefined || v === null) return fail(ctx, `is missing: ${need}`);
  let items: unknown[];
  if (typeof v === 'string') items = v.split(',');
  else if (Array.isArray(v)) items = v.flatMap((x) => (typeof x === 'string' ? x.split(',') : [x]));
  else return fail(ctx, `must be a list of host names: ${need}`);
  const out: string[] = [];
  let bad = false;
  items.forEach((item, i) => {
    if (typeof item !== 'string') {
      bad = true;
      fail(ctx, `must be a host name (text), ${HOST_EXAMPLE}`, [i]);
      return;
    }
    if (item.trim() === '' && items.length > 1) return; // "a.com, b.com," - tolerate empty list items
    try {
      const n = normaliseHost(item);
      if (!out.includes(n)) out.push(n);
    } catch (e) {
      bad = true;
      fail(ctx, (e as Error).message, [i]);
    }
  });
  if (bad) return z.NEVER;
  if (out.length === 0) return fail(ctx, `is empty: ${need}`);
  return out;
});

const audienceField = z.unknown().optional().transform((v, ctx) => {
  if (v === undefined || v === null) return DEFAULTS.signInAudience;
  const found = typeof v === 'string' ? caseInsensitive(SIGN_IN_AUDIENCES, v) : undefined;
  if (!found) return fail(ctx, `${JSON.stringify(v)} is not a supported account type: use one of ${SIGN_IN_AUDIENCES.join(', ')} (default ${DEFAULTS.signInAudience})`);
  return found;
});

const scopeField = z.unknown().optional().transform((v, ctx) => {
  if (v === undefined || v === null) return DEFAULTS.scopeValue;
  if (typeof v !== 'string') return fail(ctx, `must be text: ${SCOPE_RULE}`);
  const problem = scopeValueProblem(v);
  if (problem) return fail(ctx, `"${v}" ${problem}: a scope value has ${SCOPE_RULE}`);
  return v;
});

const CONSENT_ALIASES: Record<string, 'users' | 'admins'> = {
  users: 'users',
  user: 'users',
  'admins-and-users': 'users',
  adminsandusers: 'users',
  admins: 'admins',
  admin: 'admins',
  'admins-only': 'admins',
  adminsonly: 'admins',
};

const consentField = z.unknown().optional().transform((v, ctx) => {
  if (v === undefined || v === null) return DEFAULTS.consent;
  const found = typeof v === 'string' ? CONSENT_ALIASES[v.trim().toLowerCase()] : undefined;
  if (!found) return fail(ctx, `${JSON.stringify(v)} is not a consent choice: use "users" (admins and users may consent) or "admins" (admins only)`);
  return found;
});

const groupTypesField = z.unknown().optional().transform((v, ctx) => {
  const rule = `use one or more of ${GROUP_TYPES.join(', ')} (default ${DEFAULTS.groupTypes.join(',')})`;
  if (v === undefined || v === null) return [...DEFAULTS.groupTypes];
  let items: unknown[];
  if (typeof v === 'string') items = v.split(',');
  else if (Array.isArray(v)) items = v.flatMap((x) => (typeof x === 'string' ? x.split(',') : [x]));
  else return fail(ctx, `must be a list: ${rule}`);
  const out: GroupType[] = [];
  let bad = false;
  items.forEach((item, i) => {
    if (typeof item === 'string' && item.trim() === '') return;
    if (typeof item === 'string' && item.trim().toLowerCase() === 'none') {
      bad = true;
      fail(ctx, `"None" turns the groups claim off, but ICE maps users to channels by their groups (guide 8A): ${rule}`, [i]);
      return;
    }
    const found = typeof item === 'string' ? caseInsensitive(GROUP_TYPES, item) : undefined;
    if (!found) {
      bad = true;
      fail(ctx, `${JSON.stringify(item)} is not a group type: ${rule}`, [i]);
      return;
    }
    if (!out.includes(found)) out.push(found);
  });
  if (bad) return z.NEVER;
  if (out.length === 0) return fail(ctx, `is empty: ${rule}`);
  // 'All' already covers every other type.
  return out.includes('All') ? (['All'] as GroupType[]) : out;
});

const consentTextsField = z
  .strictObject({
    adminConsentDisplayName: textField('the admin consent display name', LIMITS.consentDisplayName, DEFAULT_CONSENT_TEXTS.adminConsentDisplayName),
    adminConsentDescription: textField('the admin consent description', LIMITS.consentDescription, DEFAULT_CONSENT_TEXTS.adminConsentDescription),
    userConsentDisplayName: textField('the user consent display name', LIMITS.consentDisplayName, DEFAULT_CONSENT_TEXTS.userConsentDisplayName),
    userConsentDescription: textField('the user consent description', LIMITS.consentDescription, DEFAULT_CONSENT_TEXTS.userConsentDescription),
  })
  .optional()
  .transform((v) => v ?? { ...DEFAULT_CONSENT_TEXTS });

function baseUrlProblem(u: unknown): string | null {
  if (typeof u !== 'string' || u.trim() === '') return 'is missing';
  let url: URL;
  try {
    url = new URL(u.trim());
  } catch {
    return `"${u}" is not an absolute URL`;
  }
  if (url.protocol !== 'https:') return `"${u}" is not https (sign-in and Graph need TLS; trust a private CA with NODE_EXTRA_CA_CERTS)`;
  if (url.search || url.hash) return `"${u}" has a query or fragment`;
  if (url.username || url.password) return `"${u}" contains a user name or password`;
  return null;
}

const NAMED = ['global', 'usgov', 'china'] as const;

function resolveCloud(
  raw: { cloud?: unknown; loginUrl?: unknown; graphUrl?: unknown; portalUrl?: unknown },
  ctx: Ctx,
): Cloud | typeof z.NEVER {
  const cloudRule = `use global, usgov, china, or custom with a login URL and a Graph URL (https)`;
  const hasUrls = raw.loginUrl !== undefined || raw.graphUrl !== undefined || raw.portalUrl !== undefined;
  let name: string | undefined;
  let urls: { loginUrl?: unknown; graphUrl?: unknown; portalUrl?: unknown } = raw;
  if (raw.cloud !== undefined && raw.cloud !== null && typeof raw.cloud === 'object') {
    const o = raw.cloud as Record<string, unknown>;
    name = typeof o.name === 'string' ? o.name : 'custom';
    urls = o;
    if (hasUrls) return fail(ctx, 'give the cloud either as an object or with loginUrl/graphUrl, not both', ['cloud']);
    const named = caseInsensitive(NAMED, name);
    if (named) {
      const c = CLOUDS[named];
      const same = [o.loginUrl, o.graphUrl, o.portalUrl].every((x, i) =>
        x === undefined || (typeof x === 'string' && x.replace(/\/+$/, '') === [c.loginUrl, c.graphUrl, c.portalUrl][i]),
      );
      if (same) return c;
      name = 'custom';
    }
  } else if (raw.cloud !== undefined && raw.cloud !== null) {
    if (typeof raw.cloud !== 'string') return fail(ctx, `must be a cloud name: ${cloudRule}`, ['cloud']);
    name = raw.cloud;
  }
  if (name === undefined) name = hasUrls ? 'custom' : DEFAULTS.cloud;
  const named = caseInsensitive(NAMED, name);
  if (named) {
    if (hasUrls) {
      return fail(ctx, `cloud "${named}" has fixed endpoints: drop the login/Graph/portal URLs, or choose the custom cloud to use them`, ['cloud']);
    }
    return CLOUDS[named];
  }
  if (name.trim().toLowerCase() !== 'custom') return fail(ctx, `"${name}" is not a cloud: ${cloudRule}`, ['cloud']);
  const prefix = typeof raw.cloud === 'object' && raw.cloud !== null ? ['cloud'] : [];
  let bad = false;
  for (const key of ['loginUrl', 'graphUrl'] as const) {
    const p = baseUrlProblem(urls[key]);
    if (p) {
      bad = true;
      fail(ctx, `${p}: a custom cloud needs its ${key === 'loginUrl' ? 'login (authority host)' : 'Microsoft Graph'} base URL, e.g. https://login.example.net`, [...prefix, key]);
    }
  }
  if (urls.portalUrl !== undefined) {
    const p = baseUrlProblem(urls.portalUrl);
    if (p) {
      bad = true;
      fail(ctx, `${p}: the portal URL must be an https URL, e.g. https://portal.azure.com`, [...prefix, 'portalUrl']);
    }
  }
  if (bad) return z.NEVER;
  return customCloud(
    String(urls.loginUrl).trim(),
    String(urls.graphUrl).trim(),
    urls.portalUrl === undefined ? undefined : String(urls.portalUrl).trim(),
  );
}

export const SETTINGS_FIELDS = [
  'displayName',
  'signInAudience',
  'hosts',
  'scopeValue',
  'consent',
  'groupTypes',
  'consentTexts',
  'cloud',
  'loginUrl',
  'graphUrl',
  'portalUrl',
] as const;

/** The fields (cloud resolved separately, so that every problem is reported in one go). */
export const SettingsFieldsSchema = z.strictObject({
  displayName: textField('a display name', LIMITS.displayName, DEFAULTS.displayName),
  signInAudience: audienceField,
  hosts: hostsField,
  scopeValue: scopeField,
  consent: consentField,
  groupTypes: groupTypesField,
  consentTexts: consentTextsField,
  cloud: z.unknown().optional(),
  loginUrl: z.unknown().optional(),
  graphUrl: z.unknown().optional(),
  portalUrl: z.unknown().optional(),
});

export interface SettingsError {
  field: string;
  message: string;
}

export type ParseSettingsResult = { ok: true; settings: Settings } | { ok: false; errors: SettingsError[] };

function fieldName(path: PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s || '(settings)';
}

/** Validates and normalises raw settings. Never throws. */
export function parseSettings(input: unknown): ParseSettingsResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '(settings)', message: 'settings must be an object with at least "hosts"' }] };
  }
  const r = SettingsFieldsSchema.safeParse(input);
  const cloudIssues: { message: string; path: (string | number)[] }[] = [];
  const cloud = resolveCloud(input as Record<string, unknown>, { addIssue: (i) => cloudIssues.push(i) });
  if (r.success && cloudIssues.length === 0) {
    const v = r.data;
    return {
      ok: true,
      settings: {
        displayName: v.displayName,
        signInAudience: v.signInAudience,
        hosts: v.hosts,
        scopeValue: v.scopeValue,
        consent: v.consent,
        groupTypes: v.groupTypes,
        consentTexts: v.consentTexts,
        cloud: cloud as Cloud,
      },
    };
  }
  const errors: SettingsError[] = [];
  const issues = [...(r.success ? [] : r.error.issues), ...cloudIssues.map((i) => ({ ...i, code: 'custom' as const }))];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${fieldName(issue.path)}.` : '';
      const valid = issue.path.length ? 'adminConsentDisplayName, adminConsentDescription, userConsentDisplayName, userConsentDescription' : SETTINGS_FIELDS.join(', ');
      for (const k of issue.keys) errors.push({ field: `${where}${k}`, message: `"${k}" is not a setting: valid ones are ${valid}` });
      continue;
    }
    errors.push({ field: fieldName(issue.path), message: issue.message });
  }
  return { ok: false, errors };
}

/** parseSettings or throw an Error listing every problem (for tests and callers that already validated). */
export function settingsOrThrow(input: unknown): Settings {
  const r = parseSettings(input);
  if (r.ok) return r.settings;
  throw new SettingsValueError(r.errors.map((e) => `${e.field}: ${e.message}`).join('\n'));
}

/** The SettingsInput that reproduces given Settings (for saving a site or showing a form). */
export function settingsToInput(s: Settings): SettingsInput {
  const base: SettingsInput = {
    displayName: s.displayName,
    signInAudience: s.signInAudience,
    hosts: [...s.hosts],
    scopeValue: s.scopeValue,
    consent: s.consent,
    groupTypes: [...s.groupTypes],
    consentTexts: { ...s.consentTexts },
  };
  if (s.cloud.name === 'custom') {
    base.cloud = 'custom';
    base.loginUrl = s.cloud.loginUrl;
    base.graphUrl = s.cloud.graphUrl;
    base.portalUrl = s.cloud.portalUrl;
  } else base.cloud = s.cloud.name;
  return base;
}
