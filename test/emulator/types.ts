// Public types of the Entra ID / Microsoft Graph emulator (see README.md beside this file).

export type Json = Record<string, unknown>;

/** A directory role the emulator knows (display names as Entra shows them). */
export type RoleName =
  | 'Global Administrator'
  | 'Privileged Role Administrator'
  | 'Application Administrator'
  | 'Cloud Application Administrator'
  | (string & {});

/** Role template ids Entra puts in the `wids` claim. */
export const ROLE_TEMPLATE_IDS: Record<string, string> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
};

export interface EmuGroup {
  id: string;
  displayName: string;
  /** Only groups synced from on-premises AD have one (emitted with the sam_account_name optional claim). */
  samAccountName?: string;
}

export interface EmuUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  roles: RoleName[];
  /**
   * Delegated scopes this user may consent to for a client app. `true` = any (an admin who can grant
   * tenant-wide consent); a list = only those short names (e.g. ['User.Read']); `false` = none.
   * Scopes the tenant already consented to (Emulator.state.preConsentedScopes) never need user consent.
   */
  canConsent: boolean | string[];
  groups: EmuGroup[];
}

export interface UserInput {
  id?: string;
  /** UPN or just the local part (the tenant domain is appended). */
  userPrincipalName: string;
  displayName?: string;
  roles?: RoleName[];
  canConsent?: boolean | string[];
  groups?: EmuGroup[];
}

/** Per-object replication-lag bookkeeping (an object is invisible while lagging). */
export interface LagInfo {
  /** Epoch ms before which the object is invisible. */
  until?: number;
  /** Number of further requests that still see it missing. */
  requestsLeft?: number;
}

export interface EmuState {
  tenantId: string;
  tenantDomain: string;
  /** Verified domains (tenantDomain first). identifierUris must use one of them. */
  verifiedDomains: string[];
  organizationName: string;
  applications: Json[];
  servicePrincipals: Json[];
  oauth2PermissionGrants: Json[];
  users: EmuUser[];
  /** Graph delegated scopes already consented tenant-wide for every client (short names). */
  preConsentedScopes: string[];
  /**
   * Public clients known to the directory besides its own applications (first-party ones such as Microsoft Graph
   * Command Line Tools). null (default): any client id is accepted. A list: other client ids are refused at the
   * device code and authorize endpoints with unauthorized_client AADSTS700016, as Entra does for an unknown app.
   */
  knownClients: string[] | null;
  /** Object id -> lag still to show. */
  lag: Map<string, LagInfo>;
}

export interface LogEntry {
  host: 'login' | 'graph';
  method: string;
  /** Path with query (Graph: relative to the version root for requests inside a $batch, prefixed by the batch). */
  path: string;
  /** 0 when the connection was dropped. */
  status: number;
  /** Set for requests inside a $batch: the inner request id. */
  batchItem?: string;
  at: number;
}

export interface EmuStats {
  /** HTTP requests received (connections' round trips), both hosts; a $batch is one. */
  roundTrips: number;
  byHost: { login: number; graph: number };
  /** Graph requests: plain ones plus each request inside a $batch ($batch envelopes not counted). */
  graphRequests: number;
  /** Number of $batch envelopes. */
  batches: number;
  /** Graph writes (POST/PATCH/DELETE), inner batch requests included, envelopes not. */
  graphWrites: number;
  log: LogEntry[];
}

export interface FaultMatch {
  /** Which server: 'login' (identity) or 'graph'. Default both. */
  host?: 'login' | 'graph';
  method?: string;
  /**
   * Graph: matched against the path relative to the version root (e.g. '/applications/123', '/$batch' for the
   * envelope), identity: the full path (e.g. '/contoso.onmicrosoft.com/oauth2/v2.0/token').
   * A string matches as a prefix (case-insensitive), a RegExp is tested.
   */
  path?: string | RegExp;
  /** How many times the fault fires (default: unlimited). */
  count?: number;
  /** Graph: 'inner' = only requests inside a $batch, 'outer' = only top-level requests. Default both. */
  where?: 'inner' | 'outer' | 'both';
}

export type FaultSpec =
  /** phase 'after': the request is processed first and its answer delayed (a slow response to a write that happened). */
  | ({ kind: 'latency'; ms: number; phase?: 'before' | 'after' } & FaultMatch)
  | ({ kind: 'throttle'; retryAfter?: number | string; status?: 429 } & FaultMatch)
  | ({ kind: 'error'; status: 500 | 502 | 503 | 504 | number; retryAfter?: number | string; code?: string } & FaultMatch)
  | ({ kind: 'forbidden' } & FaultMatch)
  /** Destroys the socket: 'before' (default) right after the request headers, nothing processed; 'after' = the
   *  request is processed (a write happens) and the response is lost. */
  | ({ kind: 'drop'; phase?: 'before' | 'after' } & FaultMatch)
  /** Objects created while this fault is active (and matching) lag: invisible for `ms` or `requests`. */
  | ({ kind: 'replicationLag'; ms?: number; requests?: number } & FaultMatch);

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** Times it has fired. */
  readonly fired: number;
  remove(): void;
}

export interface AuthorizeBehaviour {
  /**
   * 'auto' signs in the current user and redirects with a code; 'error' redirects with error; 'page' first shows a
   * sign-in page (account name and password, a form POSTed back to /authorize), as Entra does in a browser.
   */
  mode: 'auto' | 'error' | 'page';
  error?: string;
  errorDescription?: string;
}

export interface DeviceCodeInfo {
  userCode: string;
  deviceCode: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  status: 'pending' | 'approved' | 'declined' | 'redeemed' | 'expired';
  userId?: string;
}

export interface EmulatorOptions {
  /** Latency added to every HTTP round trip (identity and Graph), ms. Default 0. */
  latencyMs?: number;
  /** Default a fresh GUID. */
  tenantId?: string;
  /** Default 'contoso.onmicrosoft.com'. */
  tenantDomain?: string;
  /** More verified domains (identifierUris may use them). */
  verifiedDomains?: string[];
  /**
   * Users (the first is the one who signs in by default). Default: admin@<domain> (Global Administrator, may consent
   * to anything, member of two groups), appadmin@ (Application Administrator), user@ (no role, may consent to User.Read).
   */
  users?: UserInput[];
  /** Port for the identity server (Graph uses the next one when set). Default ephemeral ports. */
  port?: number;
  /** Device code polling interval the emulator announces, in seconds (fractions allowed). Default 5, like Entra. */
  deviceCodeIntervalSec?: number;
  /** Device code lifetime in seconds. Default 900. */
  deviceCodeExpiresInSec?: number;
  /** Approve device codes automatically after this many ms (as `autoApproveAs` or the current user). */
  autoApproveDeviceCodeAfterMs?: number;
  autoApproveAs?: string;
  /** Access token lifetime in seconds. Default 3600. */
  accessTokenLifetimeSec?: number;
  /** Audience of Graph access tokens. Default '00000003-0000-0000-c000-000000000000' (Entra's). */
  graphAudience?: string;
  /** Warn on stderr when NODE_EXTRA_CA_CERTS is unset in this process (default true). */
  warnIfUntrusted?: boolean;
}
