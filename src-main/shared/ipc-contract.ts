// The one IPC contract between the renderer and the main process: each channel declared ONCE, with its
// request schema (zod/mini: small enough for the sandboxed preload, types inferred) and its response data type.
// From it come the channel list, the request validators (main's dispatcher) and the preload's allow-list.
// Every response is a Result<T>: { ok: true, ...T } or { ok: false, code, message, fields? } (see ./errors).
// Nothing here may touch Node, Electron or the DOM: this file compiles in tsconfig.node.json AND tsconfig.web.json.
// Responses never carry tokens, refresh tokens, private keys or any other secret.
import * as z from 'zod/mini';
import type { ErrorInfo, FieldError } from './errors';
import type { IceValues, PortalChange, RunRecord, Settings, StepId, StepResult, SsoMetaHostReport, WriteDescription } from '../core/types';

export type { ErrorCode, ErrorInfo, FieldError } from './errors';
export { ERROR_CODES, INTERNAL_MESSAGE, isErrorCode, needsSignIn } from './errors';

// ---------- the response envelope ----------

/** A refused or failed call: a code to branch on and a message for people (never a stack or exception text). */
export type Failure = { ok: false } & ErrorInfo;
/** Every IPC response. */
export type Result<T extends object> = ({ ok: true } & T) | Failure;

// ---------- request schemas ----------

const str = (max = 4096) => z.string().check(z.maxLength(max));
const empty = z.strictObject({});
const siteId = str(300);

/** The settings form as the user types it: raw, unvalidated. The main process validates. */
export const SettingsDraftSchema = z.strictObject({
  displayName: str(1000),
  signInAudience: str(200),
  /** Hosts as typed: test.icnow.app, https://test.icnow.app or https://test.icnow.app/sso. */
  hosts: z.array(str(2000)).check(z.maxLength(100)),
  scopeValue: str(1000),
  consent: z.enum(['users', 'admins']),
  groupTypes: z.array(str(100)).check(z.maxLength(10)),
  consentTexts: z.strictObject({
    adminConsentDisplayName: str(),
    adminConsentDescription: str(),
    userConsentDisplayName: str(),
    userConsentDescription: str(),
  }),
  cloud: z.strictObject({
    name: z.enum(['global', 'usgov', 'china', 'custom']),
    loginUrl: z.optional(str(2000)),
    graphUrl: z.optional(str(2000)),
    portalUrl: z.optional(str(2000)),
  }),
});
export type SettingsDraft = z.infer<typeof SettingsDraftSchema>;

// ---------- shared view shapes ----------


/** Each typed host and the redirect URI it becomes (or why it cannot). */
export interface HostPreview {
  input: string;
  uri: string | null;
  error?: string;
}

/** settings.validate: a form that does not validate is an answer (valid: false), not a failed call. */
export type ValidationResult =
  | { valid: true; settings: Settings; hostsPreview: HostPreview[] }
  | { valid: false; errors: FieldError[]; hostsPreview: HostPreview[] };

export interface SiteSummary {
  id: string;
  name: string;
  file: string;
  tenant?: string;
  appId?: string;
  updatedAt?: string;
  lastRun?: { kind: RunRecord['kind']; check?: RunRecord['check']; at: string; failed: number; passed: number };
}

export interface DamagedSite {
  file: string;
  error: string;
}

export interface SiteView {
  id: string;
  name: string;
  file: string;
  draft: SettingsDraft;
  tenant?: string;
  app?: { objectId?: string; appId?: string };
  /** The latest recorded run, if any (checklist + values). */
  lastRun?: RunRecord;
  /** The public client the app signs in with for this site, when it is not the default (Microsoft Graph Command Line Tools). */
  signInClientId?: string;
  history: Array<{ kind: RunRecord['kind']; at: string; by: string; requests: number }>;
}

/** A checklist step as the UI shows it: the result plus the catalog's annotations. */
export interface ChecklistStep extends StepResult {
  guideStep: string;
  portalLocation: string;
  why: string;
  /** Azure portal deep link for the blade, when the app id is known. Opened through app.openExternal. */
  portalUrl?: string;
}

export interface ChecklistView {
  steps: ChecklistStep[];
  values: IceValues;
  /** After a verify that found no registration of the assistant's: existing ones that look like ICE's. */
  candidates?: CandidateView[];
}

/** One write apply would make, as the confirmation dialog lists it (nothing sent yet). */
export interface PlannedWriteView {
  key: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the Graph version root; placeholders still unknown stay as {appId}, {appObjectId}, {servicePrincipalId}. */
  path: string;
  summary: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** The placeholders left in path/body, with what each stands for. */
  placeholders: Array<{ placeholder: string; meaning: string }>;
  /** The write in the portal's words: the app it changes, and each blade › setting with what is added or removed. */
  portal?: WriteDescription;
}

/** live.preview: what apply would write now, and the checklist of the tenant as it is (read only). */
export interface ApplyPreviewView {
  /** The registration apply writes to (absent: it creates one). */
  target?: { displayName: string; appId: string };
  writes: PlannedWriteView[];
  checklist: ChecklistView;
  /** Graph requests the preview made (all reads). */
  requests: number;
}

export type { SsoMetaHostReport };

export interface SignatureReport {
  /** VALID: signed by a key you trust; UNTRUSTED: intact, signer not trusted (never shown green); INVALID: damaged or changed. */
  verdict: 'VALID' | 'UNTRUSTED' | 'INVALID';
  /** verdict === 'VALID'. */
  valid: boolean;
  /** The signer's fingerprint (32 hex digits in groups of four) and minisign key id as minisign prints it. */
  fingerprint?: string;
  keyId?: string;
  /** Who signed and what to do, in sentences. */
  explanation: string[];
  /** Each problem found, in words (flipped byte in X, missing file Y, wrong key...). */
  problems: string[];
  /** A signer claiming to be another key, etc. */
  warnings: string[];
  /** false: steps failed when the bundle was made (INCOMPLETE), with their ids. */
  complete?: boolean;
  failing?: string[];
  signedBy?: string;
  signedAt?: string;
}

/** A key the admin trusts (bundles it signs verify as VALID). */
export interface TrustedKeyView {
  fingerprint: string;
  keyId: string;
  name?: string;
  addedAt: string;
  source: 'file' | 'fingerprint';
}

/** Whether a site can be exported as a complete bundle, before the button. */
export interface ReadinessView {
  /** All eight values are known (else export is refused whatever the choice). */
  hasValues: boolean;
  /** Why not, when hasValues is false. */
  refusal?: string;
  ready: boolean;
  failing: Array<{ id: string; title: string; found: string; at: string; kind: string }>;
}

export interface ReviewView {
  source: 'bundle' | 'site' | 'application';
  file: string;
  title: string;
  signature?: SignatureReport;
  checklist: ChecklistView;
  settings?: Settings;
}

export interface SecretStorageStatus {
  /** true when tokens and the signing key are kept encrypted on disk between sessions. */
  persistent: boolean;
  backend: string;
  /** Why not, in words for the user (empty when persistent). */
  reason: string;
}

export interface AccountView {
  username: string;
  tenantId: string;
  name?: string;
}

export interface ProgressEvent {
  runId: string;
  key: string;
  phase: 'started' | 'request' | 'done' | 'failed';
  summary: string;
  method?: string;
  path?: string;
  status?: number;
  reason?: string;
  steps?: StepId[];
}

export interface DeviceCodeEvent {
  userCode: string;
  verificationUri: string;
  /** The sign-in host that issued the code (the site's cloud), shown with it. */
  loginHost?: string;
  /** ISO time the code expires. */
  expiresAt: string;
  message: string;
  /**
   * Why this sign-in: 'consent' when the saved sign-in lacks consent for the permissions an action needs (Entra
   * answered AADSTS65001 consent_required to the silent request), 'sign-in' otherwise.
   */
  reason?: 'consent' | 'sign-in';
  /** The Microsoft Graph permissions asked for (short names), e.g. Application.ReadWrite.All. */
  permissions?: string[];
}

/** An existing registration that looks like ICE's (made by hand in the portal), offered on the checklist. */
export interface CandidateView {
  appId: string;
  objectId: string;
  displayName: string;
  createdDateTime: string | null;
  /** ICE traits it has, in words (e.g. 'SPA redirect URI https://dc1.example.com/sso'). */
  details: string[];
}

/** A registration looked up by client id before adopting it: what the confirmation names. */
export interface RegistrationView {
  appId: string;
  objectId: string;
  displayName: string;
  createdDateTime: string | null;
  /** Made (or adopted before) by ICE SSO Assistant: no adoption needed. */
  ours: boolean;
}

/** Where a site signs in (issue 8): hosts, whether it is a Microsoft cloud, whether this machine trusts it. */
export interface CloudView {
  login: string;
  graph: string;
  /** 'global' | 'usgov' | 'china' for Microsoft's clouds, null otherwise. */
  microsoft: 'global' | 'usgov' | 'china' | null;
  /** False: the first sign-in needs the user's confirmation naming the hosts. */
  trusted: boolean;
}

// ---------- channels: request schema → response data ----------

/** One channel: its request schema, and (as a type only) the data of a successful response. */
export interface ChannelDef<S extends z.ZodMiniType, T extends object> {
  req: S;
  /** Never called: carries the response type. */
  res?: (data: T) => void;
}
const channel =
  <T extends object>() =>
  <S extends z.ZodMiniType>(req: S): ChannelDef<S, T> => ({ req });

type Ok = Record<never, never>;

export const CONTRACT = {
  'app.info': channel<{ version: string; platform: string; secretStorage: SecretStorageStatus }>()(empty),
  'app.openExternal': channel<Ok>()(z.strictObject({ url: str() })),
  /** Copies text to the system clipboard (done by main: the renderer has no clipboard permission). */
  'app.copyText': channel<Ok>()(z.strictObject({ text: str(20000) })),

  'settings.defaults': channel<{ draft: SettingsDraft }>()(empty),
  'settings.validate': channel<ValidationResult>()(z.strictObject({ draft: SettingsDraftSchema })),

  'sites.list': channel<{ sites: SiteSummary[]; damaged: DamagedSite[]; folder: string }>()(empty),
  /** Field problems (name, settings, tenant) fail with code input.invalid and `fields`; nothing is created. */
  'sites.create': channel<{ site: SiteView }>()(z.strictObject({ name: str(1000), draft: SettingsDraftSchema, tenant: z.optional(str(300)) })),
  'sites.open': channel<{ site: SiteView; checklist: ChecklistView }>()(z.strictObject({ id: siteId })),
  'sites.save': channel<{ site: SiteView }>()(z.strictObject({ id: siteId, draft: SettingsDraftSchema, tenant: z.optional(str(300)) })),
  'sites.rename': channel<{ site: SiteSummary }>()(z.strictObject({ id: siteId, name: str(1000) })),
  /** The sign-in client for this site (its "Application (client) ID"); null: back to the default client. */
  'sites.setSignInClient': channel<{ site: SiteView }>()(z.strictObject({ id: siteId, clientId: z.nullable(str(200)) })),
  'sites.duplicate': channel<{ site: SiteSummary }>()(z.strictObject({ id: siteId, name: str(1000) })),
  'sites.delete': channel<{ movedTo: string }>()(z.strictObject({ id: siteId })),
  /** Shows an open dialog in main, then imports the chosen site file (code cancelled when the dialog is). */
  'sites.import': channel<{ site: SiteSummary }>()(empty),
  /** Shows a save dialog in main, then writes a copy of the site file. */
  'sites.export': channel<{ path: string }>()(z.strictObject({ id: siteId })),

  'auth.status': channel<{ account: AccountView | null; secretStorage: SecretStorageStatus }>()(empty),
  /**
   * trustCloud: the user confirmed the site's (non-Microsoft) cloud hosts; remembered on this machine.
   * Fails with code cloud.untrusted when nothing was sent because the hosts need that confirmation (see auth.cloud).
   */
  'auth.signIn': channel<{ account: AccountView }>()(
    z.strictObject({ siteId, method: z.enum(['device-code', 'browser']), tenant: str(300), trustCloud: z.optional(z.boolean()) }),
  ),
  /** The sign-in and Graph hosts of a site's cloud, and whether this machine trusts them. */
  'auth.cloud': channel<{ cloud: CloudView }>()(z.strictObject({ siteId })),
  'auth.cancel': channel<{ cancelled: boolean }>()(empty),
  'auth.signOut': channel<Ok>()(empty),

  /** Not signed in: code auth.required. */
  'live.verify': channel<{ checklist: ChecklistView; run: RunRecord }>()(z.strictObject({ siteId })),
  'live.apply': channel<{ checklist: ChecklistView; run: RunRecord }>()(z.strictObject({ siteId, runId: str(100) })),
  'live.cancel': channel<{ cancelled: boolean }>()(z.strictObject({ runId: str(100) })),
  /** Reads the tenant and plans, writes nothing: what "Apply fixes" asks the user to confirm. */
  'live.preview': channel<{ preview: ApplyPreviewView }>()(z.strictObject({ siteId })),
  /** Reads one registration by client id (read-only sign-in), so the user can confirm which app it is before adopting it. */
  'live.lookupApp': channel<{ registration: RegistrationView }>()(z.strictObject({ siteId, appId: str(100) })),
  /** The user confirmed: this site works on that registration (adopted in this session; apply adds the assistant's tag). */
  'live.adopt': channel<{ registration: RegistrationView }>()(z.strictObject({ siteId, appId: str(100) })),

  /**
   * server.sso-meta, no sign-in: GET https://<host>/sso-meta for every ICE host of the site, compared with the
   * values of its latest run; recorded in the site (so the next bundle carries it). Main fetches, never the renderer.
   */
  'server.checkSsoMeta': channel<{ checklist: ChecklistView; run: RunRecord; hosts: SsoMetaHostReport[] }>()(z.strictObject({ siteId })),

  /**
   * proof.token in one click: main opens a sign-in window (no preload, own session, sandboxed) at the authorize URL
   * of the site's ICE app, captures the redirect to the native-client URI, redeems it (PKCE), checks the token and
   * records the step in the site. `user`: the test user's UPN (login hint).
   */
  'proof.inWindow': channel<{ step: StepResult; checklist: ChecklistView; run: RunRecord }>()(z.strictObject({ siteId, user: z.optional(str(300)) })),
  /** The fallback: the same sign-in in the system browser; the user pastes the address it lands on (proof.paste). */
  'proof.inBrowser': channel<{ redirectUri: string }>()(z.strictObject({ siteId, user: z.optional(str(300)) })),
  'proof.paste': channel<{ step: StepResult; checklist: ChecklistView; run: RunRecord }>()(z.strictObject({ siteId, address: str(8192) })),
  /** Closes the sign-in window (nothing recorded) and forgets a browser sign-in waiting for its address. */
  'proof.cancel': channel<{ cancelled: boolean }>()(empty),

  /**
   * Offline: shows an open dialog in main, then reviews a bundle, a site file or an application JSON
   * (GET /applications/{id} or the portal's manifest; compared with the settings of `siteId` when given).
   */
  'review.openFile': channel<{ review: ReviewView }>()(
    z.strictObject({ kind: z.enum(['any', 'bundle', 'application', 'site']), siteId: z.optional(siteId) }),
  ),
  'review.site': channel<{ review: ReviewView }>()(z.strictObject({ id: siteId })),
  /** Verifies the bundle last opened in Review again (after the trusted keys changed). */
  'review.recheck': channel<{ review: ReviewView }>()(empty),

  'bundle.keyInfo': channel<{ fingerprint: string; keyId: string; publicKeyPem: string; publicKeyMinisign: string; persistent: boolean; note: string }>()(empty),
  'bundle.readiness': channel<{ readiness: ReadinessView }>()(z.strictObject({ siteId })),
  /**
   * Shows a save dialog in main, exports the bundle, reads it back and verifies it. Fails with code bundle.incomplete
   * (fields: the failing steps) unless allowIncomplete; with code write.exists when the chosen file exists, unless
   * the user then said "Replace": `replace: true` writes to the file main kept from the dialog, with no second dialog.
   */
  'bundle.export': channel<{ path: string; bytes: number; verified: SignatureReport; failing: string[] }>()(
    z.strictObject({ siteId, allowIncomplete: z.optional(z.boolean()), replace: z.optional(z.boolean()) }),
  ),

  'trust.list': channel<{ keys: TrustedKeyView[]; file: string }>()(empty),
  /** Trust the key whose fingerprint the engineer read out. */
  'trust.addFingerprint': channel<{ key: TrustedKeyView }>()(z.strictObject({ fingerprint: str(200), name: z.optional(str(200)) })),
  /** Shows an open dialog in main, then trusts the public key in the chosen file (PEM, JWK, minisign.pub). */
  'trust.addFile': channel<{ key: TrustedKeyView }>()(z.strictObject({ name: z.optional(str(200)) })),
  'trust.remove': channel<{ removed: boolean }>()(z.strictObject({ fingerprint: str(200) })),
} as const;

export type Contract = typeof CONTRACT;
export type Channel = keyof Contract;
/** The request a channel takes (inferred from its schema). */
export type Req<C extends Channel> = z.input<Contract[C]['req']>;
/** The data of a successful response. */
export type Data<C extends Channel> = Contract[C] extends ChannelDef<z.ZodMiniType, infer T> ? T : never;
/** What an invoke answers: always a Result. */
export type Res<C extends Channel> = Result<Data<C>>;

/** Every channel: the preload's allow-list and the dispatcher's. */
export const CHANNELS = Object.freeze(Object.keys(CONTRACT)) as readonly Channel[];

export function isChannel(v: unknown): v is Channel {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(CONTRACT, v);
}

// ---------- events: main → renderer ----------

export interface IpcEvents {
  'auth.deviceCode': DeviceCodeEvent;
  'live.progress': ProgressEvent;
}
export type EventName = keyof IpcEvents;
const EVENT_NAMES: { [E in EventName]: true } = { 'auth.deviceCode': true, 'live.progress': true };
export const EVENTS = Object.freeze(Object.keys(EVENT_NAMES)) as readonly EventName[];

/** The one IPC channel name the preload sends invocations on, and the one it receives events on. */
export const INVOKE_CHANNEL = 'ice:invoke';
export const EVENT_CHANNEL = 'ice:event';

/** What the preload exposes as window.iceApi, and nothing else. */
export interface IceApi {
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>>;
  onEvent<E extends EventName>(name: E, cb: (payload: IpcEvents[E]) => void): () => void;
}

/**
 * What shell.openExternal may open: https only, exact host, optional path prefix.
 * Portal deep links, the sign-in and device-code pages, Microsoft's docs.
 */
export const EXTERNAL_ALLOW_LIST: ReadonlyArray<{ host: string; pathPrefix?: string }> = [
  { host: 'portal.azure.com' },
  { host: 'portal.azure.us' },
  { host: 'portal.azure.cn' },
  { host: 'entra.microsoft.com' },
  { host: 'login.microsoftonline.com' },
  { host: 'login.microsoftonline.us' },
  { host: 'login.partner.microsoftonline.cn' },
  { host: 'login.microsoft.com', pathPrefix: '/device' },
  { host: 'microsoft.com', pathPrefix: '/devicelogin' },
  { host: 'www.microsoft.com', pathPrefix: '/devicelogin' },
  { host: 'learn.microsoft.com' },
];

export type { StepResult, IceValues, RunRecord, PortalChange, WriteDescription };
