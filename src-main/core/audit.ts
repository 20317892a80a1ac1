// Audit: what was observed (application, service principal, grants) + settings -> one result per checklist step.
// Pure. Semantics follow docs/checklist.md; `found`, `expected` and `fix` are sentences with the
// concrete values a field engineer needs.
import { CATALOG } from './checklist';
import { nativeClientRedirect } from './clouds';
import {
  EXTERNAL_UPN,
  GRAPH_PERMISSION_NAMES,
  MICROSOFT_GRAPH_APP_ID,
  SAM_ACCOUNT_NAME,
  audienceNeedsV2,
  defaultIdentifierUri,
  findScope,
  formatGroupMembershipClaims,
  grantScopes,
  groupTypeCovered,
  parseGroupMembershipClaims,
  sameRedirectUri,
} from './desired';
import { DEFAULTS } from './settings';
import { iceValues, isTenantId } from './values';
import {
  ICE_DESKTOP_FIELDS,
  STEP_IDS,
  type AuditResult,
  type GraphApplication,
  type GraphOAuth2PermissionGrant,
  type Observed,
  type Settings,
  type StepId,
  type StepResult,
  type StepStatus,
  type StepReason,
} from './types';

type Partial3 = Pick<StepResult, 'status' | 'found' | 'expected' | 'fix' | 'reason'>;

const NO_APP = 'No app registration was found.';
const CREATE_FIRST = 'Create the app registration first (run apply, or register it in the portal as the guide says).';

function q(s: string): string {
  return `"${s}"`;
}

function list(items: readonly string[]): string {
  return items.join(', ');
}

function r(status: StepStatus, found: string, expected: string, fix = '', reason?: StepReason): Partial3 {
  return { status, found, expected, fix, ...(reason ? { reason } : {}) };
}

function isSelfGrant(g: GraphOAuth2PermissionGrant, spId: string | undefined): boolean {
  if (spId) return g.clientId === spId && g.resourceId === spId;
  return g.clientId === g.resourceId;
}

function permissionName(id: string): string {
  const n = GRAPH_PERMISSION_NAMES[id.toLowerCase()];
  return n ? `${n} (${id})` : id;
}

type Check = (ctx: Ctx) => Partial3;

interface Ctx {
  app: GraphApplication | null;
  observed: Observed;
  settings: Settings;
  extra: { proof?: StepResult; ssoMeta?: StepResult };
}

const checks: Record<StepId, Check> = {
  'register.app': ({ app, settings, observed }) => {
    const chosen = settings.displayName !== DEFAULTS.displayName;
    const expected = chosen ? `An app registration (named ${q(settings.displayName)}, as chosen for this site).` : 'An app registration for ICE (any display name, e.g. "ICE").';
    const candidates = observed.candidates ?? [];
    if (!app && candidates.length) {
      const named = candidates.map((c) => `"${c.displayName}" (client id ${c.appId}) has ${c.details.join(', ')}`);
      const first = candidates[0]!;
      return r(
        'fail',
        `No registration made by ICE SSO Assistant, but ${candidates.length === 1 ? 'an existing registration looks' : `${candidates.length} existing registrations look`} like ICE's: ${named.join('; ')}.`,
        expected,
        `Use the existing registration: run with --app-id ${first.appId} --adopt${candidates.length > 1 ? ' (or the client id of another one listed)' : ''}, or in the app "Use an existing registration". ` +
          'Only if none of these is ICE\'s: apply --create-new.',
        'choose-existing',
      );
    }
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const ids = [app.appId ? `client id ${app.appId}` : '', app.id ? `object id ${app.id}` : ''].filter(Boolean).join(', ');
    const found = `App registration ${q(app.displayName ?? '(no name)')}${ids ? ` (${ids})` : ''}.`;
    // The name is the customer's choice (the guide: "e.g., ICE"): it warns only when this site chose a name.
    if (chosen && (app.displayName ?? '') !== settings.displayName) {
      return r(
        'warn',
        found,
        expected,
        `The name only labels the registration in the portal; rename it to ${q(settings.displayName)} under Branding & properties if you like, or choose this name in the settings.`,
      );
    }
    return r('pass', found, expected);
  },

  'register.audience': ({ app, settings }) => {
    const expected = `Supported account types (signInAudience) ${settings.signInAudience}.`;
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const found = `signInAudience is ${app.signInAudience ?? '(not set)'}.`;
    if (app.signInAudience === settings.signInAudience) return r('pass', found, expected);
    return r(
      'fail',
      found,
      expected,
      `Set signInAudience to ${settings.signInAudience} (Authentication > Supported account types; when personal accounts are involved the portal only allows it in the Manifest).`,
    );
  },

  'register.native-redirect': ({ app, settings }) => {
    const uri = nativeClientRedirect(settings.cloud);
    const expected = `Mobile and desktop redirect URI ${uri} (ICE's "Redirect URL").`;
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const uris = app.publicClient?.redirectUris ?? [];
    const found = uris.length ? `Mobile and desktop redirect URIs: ${list(uris)}.` : 'No mobile and desktop redirect URI.';
    if (uris.some((u) => sameRedirectUri(u, uri))) return r('pass', found, expected);
    const other = uris.find((u) => /\/common\/oauth2\/nativeclient$/i.test(u));
    const hint = other ? ` ${other} is another cloud's; this tenant signs in at ${settings.cloud.loginUrl}.` : '';
    return r('fail', found, expected, `Add ${uri} under Authentication > Mobile and desktop applications.${hint}`);
  },

  'tenant.service-principal': ({ app, observed }) => {
    const expected = "A service principal (enterprise application) with the app's client id in the tenant.";
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const sp = observed.servicePrincipal;
    if (sp === undefined) {
      return r('unknown', 'Service principal not read: pass --service-principal FILE (GET /servicePrincipals(appId=\'<client id>\')), or run verify.', expected, '', 'sp-not-read');
    }
    const fix = `Create it: POST /servicePrincipals {"appId":"${app.appId ?? '<client id>'}"} (apply does it), or open the app once in Enterprise applications.`;
    if (sp === null) return r('fail', 'No service principal for this app in the tenant.', expected, fix, 'sp-missing');
    if (app.appId && sp.appId !== app.appId) {
      return r('fail', `The service principal given (${sp.id}) belongs to client id ${sp.appId}, not to this app (${app.appId}).`, expected, fix);
    }
    return r('pass', `Service principal ${sp.id}${sp.displayName ? ` (${q(sp.displayName)})` : ''}.`, expected);
  },

  'auth.spa-redirects': ({ app, settings }) => {
    const expected = `Single-page application redirect URIs for every ICE host: ${list(settings.hosts)}.`;
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const uris = app.spa?.redirectUris ?? [];
    const found = uris.length ? `SPA redirect URIs: ${list(uris)}.` : 'No single-page application redirect URI.';
    const missing = settings.hosts.filter((h) => !uris.some((u) => sameRedirectUri(u, h)));
    const others = uris.filter((u) => !settings.hosts.some((h) => sameRedirectUri(u, h)));
    if (missing.length) {
      const web = (app.web?.redirectUris ?? []).filter((u) => missing.some((m) => sameRedirectUri(u, m)));
      const webHint = web.length ? ` ${list(web)} ${web.length > 1 ? 'are' : 'is'} under the Web platform; ICE's web client needs them under Single-page application.` : '';
      return r('fail', found, expected, `Add ${list(missing)} under Authentication > Single-page application (the /sso path included).${webHint}`);
    }
    if (others.length) {
      return r(
        'warn',
        found,
        expected,
        `Also listed: ${list(others)}. Remove ${others.length > 1 ? 'them' : 'it'} unless an ICE host or another client of this app uses ${others.length > 1 ? 'them' : 'it'}.`,
      );
    }
    return r('pass', found, expected);
  },

  'auth.implicit-access-token': ({ app }) => {
    const expected = 'Implicit grant "Access tokens" on (web.implicitGrantSettings.enableAccessTokenIssuance true).';
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const v = app.web?.implicitGrantSettings?.enableAccessTokenIssuance;
    const found = `Access tokens from the authorization endpoint are ${v === true ? 'on' : 'off'}.`;
    if (v === true) return r('pass', found, expected);
    return r('fail', found, expected, 'Tick "Access tokens" under Authentication > Implicit grant and hybrid flows, then Save.');
  },

  'auth.public-client-flows': ({ app }) => {
    const expected = 'Not needed by ICE (shown for information).';
    if (!app) return r('info', NO_APP, expected);
    const v = app.isFallbackPublicClient;
    return r('info', `Allow public client flows is ${v === true ? 'on' : v === false ? 'off' : 'not set (off)'}.`, expected);
  },

  'api.identifier-uri': ({ app, settings }) => {
    const expected = `An Application ID URI, by default api://<client id> (ICE's "Audience").`;
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const uris = app.identifierUris ?? [];
    const exp = app.appId ? `An Application ID URI, by default ${defaultIdentifierUri(app.appId)} (ICE's "Audience").` : expected;
    if (uris.length === 0) {
      return r('fail', 'No Application ID URI.', exp, `Set it under Expose an API > Application ID URI > Add (accept the default${app.appId ? ` ${defaultIdentifierUri(app.appId)}` : ''}).`);
    }
    const version = app.api?.requestedAccessTokenVersion ?? null;
    const v2 = version === 2 && !audienceNeedsV2(settings.signInAudience);
    const found = `Application ID URI: ${list(uris)}.${v2 ? ' The app asks for v2 access tokens (api.requestedAccessTokenVersion 2), whose aud is the client id, not this URI.' : ''}`;
    if (v2) {
      return r(
        'warn',
        found,
        exp,
        `Set api.requestedAccessTokenVersion back to null (Manifest; the portal's default) so that tokens carry aud = ${uris[0]}, ICE's "Audience".`,
      );
    }
    if (!app.appId || uris.some((u) => u.toLowerCase() === defaultIdentifierUri(app.appId as string).toLowerCase())) {
      return r('pass', found, exp);
    }
    return r('warn', found, exp, `Not the default form; it works if it is valid in this tenant. ICE's "Audience" will be ${uris[0]}.`);
  },

  'api.scope': ({ app, settings }) => {
    const type = settings.consent === 'admins' ? 'Admin' : 'User';
    const who = settings.consent === 'admins' ? 'Admins only' : 'Admins and users';
    const expected = `An enabled scope ${q(settings.scopeValue)} that ${who} can consent to (type ${type}), with all four consent texts.`;
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const scopes = app.api?.oauth2PermissionScopes ?? [];
    const scope = findScope(app, settings.scopeValue);
    if (!scope) {
      const found = scopes.length ? `Scopes defined: ${list(scopes.map((s) => s.value ?? '(no value)'))}; none is ${q(settings.scopeValue)}.` : 'No scope is defined.';
      return r('fail', found, expected, `Add the scope ${q(settings.scopeValue)} under Expose an API > Add a scope (who can consent: ${who}; state Enabled).`);
    }
    const problems: string[] = [];
    if (scope.value !== settings.scopeValue) problems.push(`its value is ${q(scope.value ?? '')}, not exactly ${q(settings.scopeValue)}`);
    if (scope.isEnabled !== true) problems.push('it is disabled');
    if (scope.type !== type) problems.push(`who can consent is ${scope.type === 'Admin' ? 'Admins only' : scope.type === 'User' ? 'Admins and users' : String(scope.type)} (type ${scope.type ?? 'not set'})`);
    const texts = ['adminConsentDisplayName', 'adminConsentDescription', 'userConsentDisplayName', 'userConsentDescription'] as const;
    const empty = texts.filter((k) => !(scope[k] ?? '').trim());
    if (empty.length) problems.push(`empty consent text: ${list(empty)}`);
    const found = `Scope ${q(scope.value ?? '')} (id ${scope.id}), ${scope.isEnabled ? 'enabled' : 'disabled'}, type ${scope.type ?? 'not set'}${problems.length ? `: ${problems.join('; ')}` : ''}.`;
    if (!problems.length) return r('pass', found, expected);
    return r('fail', found, expected, `Edit the scope under Expose an API: set who can consent to ${who}, fill every consent text, state Enabled. An enabled scope must be disabled (and saved) before it can be changed.`);
  },

  'permissions.no-graph': ({ app }) => {
    const expected = 'No Microsoft Graph permission (not even User.Read) in API permissions.';
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const graph = (app.requiredResourceAccess ?? []).filter((x) => x.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID);
    const perms = graph.flatMap((x) => x.resourceAccess.map((a) => `${permissionName(a.id)}${a.type === 'Role' ? ' [application]' : ''}`));
    if (!graph.length) return r('pass', 'No Microsoft Graph permission is requested.', expected);
    return r(
      'fail',
      `Microsoft Graph permissions requested: ${perms.length ? list(perms) : '(an empty Microsoft Graph entry)'}.`,
      expected,
      'Remove every Microsoft Graph permission under API permissions (... > Remove permission). With any Graph permission the token carries a nonce in its header and ICE cannot validate it.',
    );
  },

  'permissions.own-scope': ({ app, settings }) => {
    const expected = `API permission on this app's own scope ${q(settings.scopeValue)} (APIs my organization uses > this app).`;
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const scope = findScope(app, settings.scopeValue);
    if (!app.appId) return r('unknown', 'The application has no client id (appId) in the file given, so its own entry cannot be recognised.', expected);
    const own = (app.requiredResourceAccess ?? []).find((x) => x.resourceAppId.toLowerCase() === (app.appId as string).toLowerCase());
    if (!scope) {
      return r('fail', own ? `The app requests ${own.resourceAccess.length} permission(s) on itself, but the scope ${q(settings.scopeValue)} does not exist.` : 'The app requests no permission on itself.', expected, `Add the scope ${q(settings.scopeValue)} first (Expose an API), then add it under API permissions > Add a permission > APIs my organization uses > this app.`);
    }
    const has = own?.resourceAccess.some((a) => a.id.toLowerCase() === scope.id.toLowerCase() && a.type === 'Scope');
    if (has) return r('pass', `The app requests its own scope ${q(scope.value ?? '')} (id ${scope.id}).`, expected);
    return r(
      'fail',
      own ? `The app requests permissions on itself, but not the scope ${q(settings.scopeValue)} (id ${scope.id}).` : 'The app requests no permission on itself.',
      expected,
      `Add ${q(settings.scopeValue)} under API permissions > Add a permission > APIs my organization uses > ${q(app.displayName ?? 'this app')} > Delegated permissions.`,
    );
  },

  'permissions.only-own': ({ app }) => {
    const expected = "No API permissions besides the app's own scope.";
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const others = (app.requiredResourceAccess ?? []).filter(
      (x) => x.resourceAppId.toLowerCase() !== MICROSOFT_GRAPH_APP_ID && x.resourceAppId.toLowerCase() !== (app.appId ?? '').toLowerCase(),
    );
    if (!others.length) return r('pass', 'No other API is requested (Microsoft Graph is checked separately).', expected);
    return r(
      'warn',
      `Other APIs requested: ${list(others.map((x) => `${x.resourceAppId} (${x.resourceAccess.length} permission${x.resourceAccess.length === 1 ? '' : 's'})`))}.`,
      expected,
      'ICE needs none of them: remove them under API permissions unless another client of this registration needs them.',
    );
  },

  'consent.admin-grant': ({ app, observed, settings }) => {
    const admins = settings.consent === 'admins';
    const expected = admins
      ? `Admin consent for the organisation (an AllPrincipals grant from the app's service principal to itself for ${q(settings.scopeValue)}), no leftover Microsoft Graph grants.`
      : 'Not needed with "Admins and users" (each user consents at first sign-in); no leftover Microsoft Graph grants.';
    if (!app) return r(admins ? 'fail' : 'info', NO_APP, expected, admins ? CREATE_FIRST : '');
    const grants = observed.grants;
    const sp = observed.servicePrincipal;
    if (grants === undefined && sp !== null) {
      if (admins) return r('unknown', 'Grants not read: pass --grants FILE (GET /oauth2PermissionGrants?$filter=clientId eq \'<service principal id>\'), or run verify.', expected, '', 'grants-not-read');
      return r('info', 'Users consent for themselves; grants not read, so leftover Microsoft Graph grants were not checked (pass --grants FILE).', expected, '', 'grants-not-read-users');
    }
    if (sp === null && admins) {
      return r('fail', 'No service principal, so nobody can have consented yet.', expected, 'Create the service principal (see tenant.service-principal), then grant admin consent: API permissions > Grant admin consent for <organisation> (apply does both).');
    }
    const spId = sp ? sp.id : undefined;
    const all = grants ?? [];
    const self = all.filter((g) => isSelfGrant(g, spId) && g.consentType === 'AllPrincipals');
    const others = all.filter((g) => !isSelfGrant(g, spId));
    const gsp = observed.graphServicePrincipalId;
    const graphGrants = others.filter((g) => (gsp ? g.resourceId === gsp : false));
    const unknownOthers = others.filter((g) => !graphGrants.includes(g));
    const leftover: string[] = [];
    if (graphGrants.length) leftover.push(`Microsoft Graph grant${graphGrants.length > 1 ? 's' : ''} ${list(graphGrants.map((g) => `${g.id} (${g.scope ?? ''})`))}`);
    if (unknownOthers.length) leftover.push(`grant${unknownOthers.length > 1 ? 's' : ''} to other APIs ${list(unknownOthers.map((g) => `${g.id} to resource ${g.resourceId} (${(g.scope ?? '').trim() || 'no scopes'})`))}${gsp ? '' : ' (Microsoft Graph\'s service principal id unknown: likely leftovers of User.Read)'}`);
    const leftoverText = leftover.length ? ` Also: ${leftover.join('; ')}.` : '';
    const leftoverFix = leftover.length
      ? 'Revoke leftover grants (Enterprise applications > this app > Permissions, or DELETE /oauth2PermissionGrants/<id>): removing a permission in the portal leaves its grant behind. ' +
        'Apply revokes leftover Microsoft Graph grants; it asks for DelegatedPermissionGrant.ReadWrite.All when it does.'
      : '';
    if (admins) {
      const covering = self.find((g) => grantScopes(g).includes(settings.scopeValue));
      if (covering) {
        const found = `Admin consent granted for the organisation (grant ${covering.id}: ${covering.scope ?? ''}).${leftoverText}`;
        return leftover.length ? r('warn', found, expected, leftoverFix, 'leftover-grants') : r('pass', found, expected);
      }
      const found = self.length
        ? `An organisation-wide grant exists (${self.map((g) => g.id).join(', ')}) but does not cover ${q(settings.scopeValue)} (it has: ${list(self.map((g) => (g.scope ?? '').trim() || 'no scopes'))}).${leftoverText}`
        : `No admin consent for the organisation.${leftoverText}`;
      return r('fail', found, expected, `Grant admin consent: API permissions > Grant admin consent for <organisation> (apply does it${self.length ? ' by adding the scope to the existing grant' : ''}).${leftoverFix ? ` ${leftoverFix}` : ''}`);
    }
    const selfText = self.length ? ` An organisation-wide consent also exists (${list(self.map((g) => g.id))}).` : '';
    const found = `Users consent for themselves.${selfText}${leftoverText}`;
    return leftover.length ? r('warn', found, expected, leftoverFix, 'leftover-grants') : r('info', found, expected);
  },

  'token.groups-claim': ({ app, settings }) => {
    const want = formatGroupMembershipClaims(settings.groupTypes);
    const expected = `Groups claim covering ${list(settings.groupTypes)} (groupMembershipClaims ${q(want)}).`;
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const raw = app.groupMembershipClaims;
    const parsed = parseGroupMembershipClaims(raw);
    const found = `groupMembershipClaims is ${raw == null ? 'not set' : q(raw)}.`;
    const fix = `Token configuration > Add groups claim: tick ${list(settings.groupTypes.map((t) => ({ SecurityGroup: 'Security groups', DirectoryRole: 'Directory roles', ApplicationGroup: 'Groups assigned to the application', All: 'All groups' })[t]))}.`;
    if (parsed.types.length === 0) return r('fail', `${found} No groups are put in the token, but ICE maps users to channels by their groups.`, expected, fix);
    const missing = settings.groupTypes.filter((t) => !groupTypeCovered(parsed.types, t));
    if (missing.length) return r('fail', `${found} It does not cover ${list(missing)}.`, expected, fix);
    const unk = parsed.unknown.length ? ` (unrecognised parts ignored: ${list(parsed.unknown)})` : '';
    return r('pass', `${found.slice(0, -1)}${unk}.`, expected);
  },

  'token.groups-sam-account-name': ({ app }) => {
    const expected = 'Access token "groups" claim emitted as sAMAccountName (optionalClaims.accessToken groups with sam_account_name).';
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const at = app.optionalClaims?.accessToken ?? [];
    const g = at.find((c) => c.name === 'groups');
    const fix = 'Token configuration > groups > Edit > Access > choose sAMAccountName, then Save. Only groups synced from on-premises AD have one.';
    if (!g) {
      const inId = (app.optionalClaims?.idToken ?? []).some((c) => c.name === 'groups');
      return r('fail', `No groups entry for access tokens${inId ? ' (there is one for ID tokens only)' : ''}.`, expected, fix);
    }
    const props = g.additionalProperties ?? [];
    const found = `Access token groups claim with ${props.length ? list(props) : 'no additional properties (group object ids)'}.`;
    if (props.includes(SAM_ACCOUNT_NAME)) return r('pass', found, expected);
    return r('fail', found, expected, fix);
  },

  'token.upn-claim': ({ app }) => {
    const expected = 'Optional claim "upn" in access tokens.';
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const at = app.optionalClaims?.accessToken ?? [];
    if (at.some((c) => c.name === 'upn')) return r('pass', 'Access tokens carry the upn optional claim.', expected);
    const inId = (app.optionalClaims?.idToken ?? []).some((c) => c.name === 'upn');
    const names = at.map((c) => c.name);
    return r(
      'fail',
      `No upn optional claim for access tokens${inId ? ' (only for ID tokens)' : ''}${names.length ? `; access token optional claims: ${list(names)}` : ''}.`,
      expected,
      'Token configuration > Add optional claim > Access > upn > Add. Do NOT turn on the Microsoft Graph profile permission it offers.',
    );
  },

  'token.upn-external': ({ app }) => {
    const expected = 'The access token upn claim also for externally authenticated users (include_externally_authenticated_upn).';
    if (!app) return r('fail', NO_APP, expected, CREATE_FIRST);
    const upn = (app.optionalClaims?.accessToken ?? []).find((c) => c.name === 'upn');
    const fix = 'Token configuration > upn (Access) > Edit > turn on "Externally authenticated" > Save.';
    if (!upn) return r('fail', 'No upn optional claim for access tokens.', expected, `Add the upn claim first, then: ${fix}`);
    const props = upn.additionalProperties ?? [];
    const found = `upn claim with ${props.length ? list(props) : 'no additional properties'}.`;
    if (props.includes(EXTERNAL_UPN)) return r('pass', found, expected);
    return r('fail', found, expected, fix);
  },

  'overview.values': ({ app, observed, settings }) => {
    const expected = 'All eight ICE Server values can be stated.';
    const v = iceValues(settings, app, observed.tenantId);
    const missing = ICE_DESKTOP_FIELDS.filter((f) => v[f.key] === null);
    const stated = ICE_DESKTOP_FIELDS.length - missing.length;
    if (!missing.length) return r('pass', `All ${ICE_DESKTOP_FIELDS.length} values are known.`, expected);
    const tenantOnly = missing.every((f) => ['authorizationUrl', 'tokenUrl', 'tenantId', 'openIdConfUrl'].includes(f.key)) && !isTenantId(observed.tenantId);
    const found = `${stated} of ${ICE_DESKTOP_FIELDS.length} values known; missing: ${list(missing.map((f) => f.label))}.`;
    if (tenantOnly) {
      const why = observed.tenantId
        ? `${observed.tenantId} is a domain; ICE needs the directory (tenant) id, a GUID: pass --tenant <GUID>, or run verify (it reads the id).`
        : 'The tenant (directory) id is not known: pass --tenant <tenant id>, or run verify.';
      return r('unknown', `${found} ${why}`, expected, '', observed.tenantId ? 'tenant-is-domain' : 'tenant-unknown');
    }
    return r('fail', found, expected, 'Fix the failing steps above; the missing values follow from them (and the tenant id from --tenant).', 'values-follow');
  },

  'proof.token': ({ extra }) => {
    if (extra.proof) return extra.proof;
    return r('unknown', 'Not run: the audit only reads the registration. `verify` signs in and checks a real token.', 'An access token for the scope: no nonce in its header, signature verifies, aud, scp, upn and group names right.', '', 'proof-not-run');
  },

  'server.sso-meta': ({ extra }) => {
    if (extra.ssoMeta) return extra.ssoMeta;
    return r(
      'unknown',
      "Not run: no ICE Server's /sso-meta was compared.",
      "Every ICE host's /sso-meta answers with the same eight values.",
      'Once the ICE Server admin has saved the values: "Check ICE Server" on the Checklist screen, or `verify --sso-meta` / `server-check --site FILE` (needs network access to the ICE Server).',
      'server-not-run',
    );
  },
};

/** One StepResult per step id, in STEP_IDS order, and the eight ICE values. */
export function audit(observed: Observed, settings: Settings, extra: { proof?: StepResult; ssoMeta?: StepResult } = {}): AuditResult {
  const ctx: Ctx = { app: observed.application, observed, settings, extra };
  const candidates = !observed.application ? (observed.candidates ?? []).length : 0;
  const steps = STEP_IDS.map((id): StepResult => {
    const res = checks[id](ctx);
    // Never "not found" while existing registrations look like ICE's: point at the choice register.app offers.
    let reason = res.reason;
    if (candidates && id !== 'register.app') {
      if (res.found === NO_APP) res.found = `No registration chosen yet: ${candidates} existing registration${candidates > 1 ? 's look' : ' looks'} like ICE's (see register.app).`;
      if (res.fix === CREATE_FIRST) {
        res.fix = 'Choose the existing registration first (see register.app: --app-id <client id> --adopt).';
        reason = 'choose-existing';
      }
    }
    return { id, status: res.status, title: CATALOG[id].title, found: res.found, expected: res.expected, fix: res.fix, ...(reason ? { reason } : {}) };
  });
  return { steps, values: iceValues(settings, observed.application, observed.tenantId) };
}

/** 1 when any step fails, else 0: the CLI's exit code for a finished audit. */
export function auditExitCode(result: Pick<AuditResult, 'steps'>): 0 | 1 {
  return result.steps.some((s) => s.status === 'fail') ? 1 : 0;
}
