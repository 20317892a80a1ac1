// Shared data shapes of the core. Pure types and constants: no I/O, no Electron.
// Everything else (audit, plan, engine, bundle, sites, CLI, UI) speaks these.

/** Step ids of docs/checklist.md. A contract: never rename one, only add. */
export const STEP_IDS = [
  'register.app',
  'register.audience',
  'register.native-redirect',
  'tenant.service-principal',
  'auth.spa-redirects',
  'auth.implicit-access-token',
  'auth.public-client-flows',
  'api.identifier-uri',
  'api.scope',
  'permissions.no-graph',
  'permissions.own-scope',
  'permissions.only-own',
  'consent.admin-grant',
  'token.groups-claim',
  'token.groups-sam-account-name',
  'token.upn-claim',
  'token.upn-external',
  'overview.values',
  'proof.token',
  'server.sso-meta',
] as const;
export type StepId = (typeof STEP_IDS)[number];

export const STEP_STATUSES = ['pass', 'fail', 'warn', 'info', 'unknown'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** One checklist line, as the CLI's --json prints it (id, status, title, found, expected, fix). */
export interface StepResult {
  id: StepId;
  status: StepStatus;
  title: string;
  /** What the tenant has now, in words a field engineer reads. */
  found: string;
  /** What the guide asks for. */
  expected: string;
  /** What to do about it ('' when nothing to do). */
  fix: string;
  /**
   * Why the result says what it says, when the wording depends on the front end (the CLI names its flags, the
   * app its buttons): each front end words it from this code, never by reading `found` or `fix`.
   */
  reason?: StepReason;
}

/** Codes of the results whose wording differs between the CLI and the app (see StepResult.reason). */
export const STEP_REASONS = [
  'sp-not-read',
  'sp-missing',
  'grants-not-read',
  'grants-not-read-users',
  'leftover-grants',
  'tenant-is-domain',
  'tenant-unknown',
  'values-follow',
  'proof-not-run',
  'server-not-run',
  'server-no-hosts',
  'choose-existing',
] as const;
export type StepReason = (typeof STEP_REASONS)[number];

/** The eight ICE Server values, keyed as the server's /sso-meta names them (ice-server-fields.md). */
export const ICE_VALUE_KEYS = [
  'audience',
  'authorizationUrl',
  'tokenUrl',
  'redirectUrl',
  'tenantId',
  'clientId',
  'openIdConfUrl',
  'scope',
] as const;
export type IceValueKey = (typeof ICE_VALUE_KEYS)[number];
/** A value is null while it cannot be stated (no app yet, tenant unknown...). */
export type IceValues = Record<IceValueKey, string | null>;

/** ICE Desktop's label for each value, in the order ICE Desktop shows the fields. */
export const ICE_DESKTOP_FIELDS: ReadonlyArray<{ key: IceValueKey; label: string; entraName: string }> = [
  { key: 'audience', label: 'Audience', entraName: 'Application ID URI' },
  { key: 'authorizationUrl', label: 'Authorization URL', entraName: 'OAuth 2.0 authorization endpoint (v2)' },
  { key: 'tokenUrl', label: 'Token URL', entraName: 'OAuth 2.0 token endpoint (v2)' },
  { key: 'redirectUrl', label: 'Redirect URL', entraName: 'Mobile and desktop application redirect URI' },
  { key: 'tenantId', label: 'Tenant ID', entraName: 'Directory (tenant) ID' },
  { key: 'clientId', label: 'Client ID', entraName: 'Application (client) ID' },
  { key: 'openIdConfUrl', label: 'OpenID config URL', entraName: 'OpenID Connect metadata document' },
  { key: 'scope', label: 'Scope', entraName: 'Scopes defined by this API' },
];

export const SIGN_IN_AUDIENCES = [
  'AzureADMyOrg',
  'AzureADMultipleOrgs',
  'AzureADandPersonalMicrosoftAccount',
  'PersonalMicrosoftAccount',
] as const;
export type SignInAudience = (typeof SIGN_IN_AUDIENCES)[number];

export const GROUP_TYPES = ['DirectoryRole', 'SecurityGroup', 'ApplicationGroup', 'All'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

export const CLOUD_NAMES = ['global', 'usgov', 'china', 'custom'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface Cloud {
  name: CloudName;
  /** e.g. https://login.microsoftonline.com (no trailing slash) */
  loginUrl: string;
  /** e.g. https://graph.microsoft.com (no trailing slash, no version) */
  graphUrl: string;
  /** e.g. https://portal.azure.com (no trailing slash) */
  portalUrl: string;
}

export interface ConsentTexts {
  adminConsentDisplayName: string;
  adminConsentDescription: string;
  userConsentDisplayName: string;
  userConsentDescription: string;
}

/** What a field engineer chooses. Always the normalised, validated form (see settings.ts). */
export interface Settings {
  displayName: string;
  signInAudience: SignInAudience;
  /** Normalised SPA redirect URIs: https://<host>/sso, one per ICE host (DC1, DC2, aliases). */
  hosts: string[];
  /** Scope value, default UserProfile.ReadWrite. */
  scopeValue: string;
  /** Who can consent: 'users' = Admins and users (type User); 'admins' = Admins only (type Admin). */
  consent: 'users' | 'admins';
  groupTypes: GroupType[];
  consentTexts: ConsentTexts;
  cloud: Cloud;
}

// ---- Graph v1.0 shapes (the subset the checklist reads) ----

export interface GraphPermissionScope {
  id: string;
  value?: string | null;
  type?: 'User' | 'Admin' | string | null;
  isEnabled?: boolean | null;
  adminConsentDisplayName?: string | null;
  adminConsentDescription?: string | null;
  userConsentDisplayName?: string | null;
  userConsentDescription?: string | null;
  origin?: string | null;
}

export interface GraphResourceAccess {
  id: string;
  type: 'Scope' | 'Role' | string;
}

export interface GraphRequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: GraphResourceAccess[];
}

export interface GraphOptionalClaim {
  name: string;
  source?: string | null;
  essential?: boolean;
  additionalProperties?: string[];
}

export interface GraphApplication {
  id?: string;
  appId?: string;
  displayName?: string | null;
  uniqueName?: string | null;
  signInAudience?: string | null;
  identifierUris?: string[];
  isFallbackPublicClient?: boolean | null;
  groupMembershipClaims?: string | null;
  tags?: string[];
  notes?: string | null;
  api?: {
    requestedAccessTokenVersion?: number | null;
    oauth2PermissionScopes?: GraphPermissionScope[];
    [k: string]: unknown;
  } | null;
  publicClient?: { redirectUris?: string[] } | null;
  spa?: { redirectUris?: string[] } | null;
  web?: {
    redirectUris?: string[];
    implicitGrantSettings?: { enableAccessTokenIssuance?: boolean | null; enableIdTokenIssuance?: boolean | null } | null;
    [k: string]: unknown;
  } | null;
  requiredResourceAccess?: GraphRequiredResourceAccess[];
  optionalClaims?: {
    accessToken?: GraphOptionalClaim[];
    idToken?: GraphOptionalClaim[];
    saml2Token?: GraphOptionalClaim[];
  } | null;
  [k: string]: unknown;
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string | null;
  [k: string]: unknown;
}

export interface GraphOAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: 'AllPrincipals' | 'Principal' | string;
  principalId?: string | null;
  resourceId: string;
  scope?: string | null;
}

/**
 * What was read from the tenant (or from files). `undefined` means "not read":
 * steps that depend on it are `unknown` with the reason. `null` means "read: does not exist".
 */
export interface Observed {
  application: GraphApplication | null;
  servicePrincipal?: GraphServicePrincipal | null;
  /** Grants whose clientId is the app's service principal. */
  grants?: GraphOAuth2PermissionGrant[] | null;
  /** The tenant (directory) id, from the sign-in or --tenant; needed for five of the eight values. */
  tenantId?: string;
  /** Microsoft Graph's service principal id in this tenant, when known (to recognise leftover Graph grants). */
  graphServicePrincipalId?: string;
  /**
   * When no registration of the assistant's was found: existing ones that look like ICE's (made by hand in the
   * portal), with the ICE traits each has. register.app names them instead of saying "not found".
   */
  candidates?: Array<{ appId: string; objectId: string; displayName: string; createdDateTime: string | null; matches: string[]; details: string[] }>;
}

export interface AuditResult {
  steps: StepResult[];
  values: IceValues;
}

// ---- Plan: ordered Graph writes, pure data ----

/**
 * Placeholders the engine substitutes in `path` and in string values of `body`, once known:
 * `{appId}` (client id, known after the create), `{appObjectId}` (application object id),
 * `{servicePrincipalId}` (the app's service principal object id).
 */
export const PLAN_PLACEHOLDERS = ['{appId}', '{appObjectId}', '{servicePrincipalId}'] as const;

export interface PlannedWrite {
  /** Stable id within a plan, e.g. 'create-app', 'disable-scope', 'set-identifier-uri'. */
  key: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the Graph version root, e.g. /applications/{appObjectId}. */
  path: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Keys of writes that must have completed first (Graph ordering rules, placeholder values). */
  dependsOn: string[];
  /** The checklist steps this write brings to pass. */
  steps: StepId[];
  /** One line a person reads: what and why. */
  summary: string;
}

export interface Plan {
  writes: PlannedWrite[];
}

// ---- Runs recorded in a saved site (verify/apply/audit results with their evidence) ----

export interface RecordedRequest {
  method: string;
  /** Relative to the Graph version root; never a token, never a secret. */
  path: string;
  status: number;
  /** Body sent (writes only). */
  body?: unknown;
}

export interface RunRecord {
  kind: 'audit' | 'verify' | 'apply';
  /** ISO 8601 time the run finished. */
  at: string;
  /** Who ran it: the signed-in user's UPN when known, else the OS user. */
  by: string;
  tenantId?: string;
  app?: { objectId?: string; appId?: string };
  steps: StepResult[];
  values: IceValues;
  /** Graph requests the run made (apply: the writes), for the history. */
  requests?: RecordedRequest[];
  /** What an 'audit' run recorded when it was one check, not a whole audit: a proof (proof.token) or an ICE Server check. */
  check?: 'proof' | 'server';
}

// ---- server.sso-meta: what each ICE Server publishes at GET /sso-meta (ice-server-fields.md) ----

/** The documented keys of /sso-meta, in the order the vendor lists them. */
export const SSO_META_KEYS = ['provider', ...ICE_VALUE_KEYS] as const;
export type SsoMetaKey = (typeof SSO_META_KEYS)[number];
export const SSO_META_PROVIDER = 'azure_ad';

/** Why a host's /sso-meta could not be read. */
export type SsoMetaProblem =
  | 'not-https' // the host is not an https URL (only https is fetched)
  | 'dns' // the host name does not resolve
  | 'refused' // nothing listens on that port
  | 'tls' // the TLS handshake or the certificate failed
  | 'network' // another connection error (reset, unreachable network...)
  | 'timeout'
  | 'http-status' // an answer other than 200
  | 'redirects' // a redirect loop, too many redirects, or a redirect away from https or to another host
  | 'private-target' // the host name led to this computer or a private network, while the ICE host is not there
  | 'too-large'
  | 'not-json'
  | 'not-object';

export interface SsoMetaDifference {
  key: SsoMetaKey;
  /** ICE Desktop's label for the field to fix ('' for provider, which ICE Desktop sets itself). */
  label: string;
  /** What the server publishes (JSON text; 'missing' when absent). */
  server: string;
  expected: string;
}

/** One host's outcome, as the CLI and the desktop app show it. */
export interface SsoMetaHostReport {
  host: string;
  url: string;
  status: Extract<StepStatus, 'pass' | 'fail' | 'unknown'>;
  /** One sentence: what was found. */
  summary: string;
  differences: SsoMetaDifference[];
  /** Keys the server publishes beyond the documented ones (not errors). */
  extra: string[];
  problem?: SsoMetaProblem;
  ms?: number;
}

// ---- A planned write in the Azure portal's words (portal-changes.ts) ----

export type PortalAction = 'register' | 'create' | 'add' | 'remove' | 'set' | 'change' | 'disable' | 'grant' | 'revoke';

export interface PortalChange {
  /** The blade of the app registration (or Enterprise applications), as the portal's menu names it. */
  blade: string;
  /** The setting on that blade, when the blade has several ('Single-page application'). */
  setting?: string;
  action: PortalAction;
  /** What is added, removed or set, in the portal's words (URIs, "Microsoft Graph › User.Read"...). */
  items: string[];
  /** The whole line: "Authentication › Single-page application: add https://ice2.example/sso". */
  text: string;
}

export interface WriteDescription {
  /** The object written, named: 'App registration "ICE SSO"', 'Enterprise application "ICE SSO"'. */
  target: string;
  changes: PortalChange[];
}
