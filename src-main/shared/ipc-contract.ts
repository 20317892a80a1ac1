// The one IPC contract between the renderer and the main process.
// Types and constants only: this file compiles in tsconfig.node.json AND tsconfig.web.json,
// and nothing here may touch Node, Electron or the DOM.
// Responses never carry tokens, refresh tokens, private keys or any other secret.

import type {
  AuditResult,
  CloudName,
  ConsentTexts,
  IceValues,
  RunRecord,
  Settings,
  StepId,
  StepResult,
  SsoMetaHostReport,
} from '../core/types';

// ---------- shared view shapes ----------

/** The settings form as the user types it: raw, unvalidated. The main process validates. */
export interface SettingsDraft {
  displayName: string;
  signInAudience: string;
  /** Hosts as typed: test.icnow.app, https://test.icnow.app or https://test.icnow.app/sso. */
  hosts: string[];
  scopeValue: string;
  consent: 'users' | 'admins';
  groupTypes: string[];
  consentTexts: ConsentTexts;
  cloud: { name: CloudName; loginUrl?: string; graphUrl?: string; portalUrl?: string };
}

/** One validation message, tied to a form field as the core names it: 'hosts', 'hosts[1]', 'consentTexts.userConsentDescription', 'loginUrl'. */
export interface FieldError {
  field: string;
  message: string;
}

/** Each typed host and the redirect URI it becomes (or why it cannot). */
export interface HostPreview {
  input: string;
  uri: string | null;
  error?: string;
}

export type ValidationResult =
  | { ok: true; settings: Settings; hostsPreview: HostPreview[] }
  | { ok: false; errors: FieldError[]; hostsPreview: HostPreview[] };

export interface SiteSummary {
  id: string;
  name: string;
  file: string;
  tenant?: string;
  appId?: string;
  updatedAt?: string;
  lastRun?: { kind: RunRecord['kind']; at: string; failed: number; passed: number };
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

export type ApiResult<T> = ({ ok: true } & T) | { ok: false; error: string; errors?: FieldError[] };

// ---------- channels: request → response ----------

export interface IpcContract {
  'app.info': {
    req: Record<string, never>;
    res: { version: string; platform: string; secretStorage: SecretStorageStatus };
  };
  'app.openExternal': { req: { url: string }; res: { ok: true } | { ok: false; error: string } };
  /** Copies text to the system clipboard (done by main: the renderer has no clipboard permission). */
  'app.copyText': { req: { text: string }; res: { ok: true } };

  'settings.defaults': { req: Record<string, never>; res: { draft: SettingsDraft } };
  'settings.validate': { req: { draft: SettingsDraft }; res: ValidationResult };

  'sites.list': { req: Record<string, never>; res: { sites: SiteSummary[]; damaged: DamagedSite[]; folder: string } };
  'sites.create': { req: { name: string; draft: SettingsDraft; tenant?: string }; res: ApiResult<{ site: SiteView }> };
  'sites.open': { req: { id: string }; res: ApiResult<{ site: SiteView; checklist: ChecklistView }> };
  'sites.save': {
    req: { id: string; draft: SettingsDraft; tenant?: string };
    res: ApiResult<{ site: SiteView }>;
  };
  'sites.rename': { req: { id: string; name: string }; res: ApiResult<{ site: SiteSummary }> };
  'sites.duplicate': { req: { id: string; name: string }; res: ApiResult<{ site: SiteSummary }> };
  'sites.delete': { req: { id: string }; res: ApiResult<{ movedTo: string }> };
  /** Shows an open dialog in main, then imports the chosen site file. */
  'sites.import': { req: Record<string, never>; res: ApiResult<{ site: SiteSummary }> | { ok: false; cancelled: true; error: string } };
  /** Shows a save dialog in main, then writes a copy of the site file. */
  'sites.export': { req: { id: string }; res: ApiResult<{ path: string }> | { ok: false; cancelled: true; error: string } };

  'auth.status': { req: Record<string, never>; res: { account: AccountView | null; secretStorage: SecretStorageStatus } };
  'auth.signIn': {
    /** trustCloud: the user confirmed the site's (non-Microsoft) cloud hosts; remembered on this machine. */
    req: { siteId: string; method: 'device-code' | 'browser'; tenant: string; trustCloud?: boolean };
    /** confirmCloud: nothing was sent; ask the user to confirm these hosts, then sign in again with trustCloud. */
    res: ApiResult<{ account: AccountView }> | { ok: false; error: string; confirmCloud: CloudView };
  };
  /** The sign-in and Graph hosts of a site's cloud, and whether this machine trusts them. */
  'auth.cloud': { req: { siteId: string }; res: ApiResult<{ cloud: CloudView }> };
  'auth.cancel': { req: Record<string, never>; res: { cancelled: boolean } };
  'auth.signOut': { req: Record<string, never>; res: { ok: true } };

  'live.verify': { req: { siteId: string }; res: ApiResult<{ checklist: ChecklistView; run: RunRecord }> };
  'live.apply': { req: { siteId: string; runId: string }; res: ApiResult<{ checklist: ChecklistView; run: RunRecord }> };
  'live.cancel': { req: { runId: string }; res: { cancelled: boolean } };
  /** Reads the tenant and plans, writes nothing: what "Apply fixes" asks the user to confirm. */
  'live.preview': { req: { siteId: string }; res: ApiResult<{ preview: ApplyPreviewView }> };
  /** Reads one registration by client id (read-only sign-in), so the user can confirm which app it is before adopting it. */
  'live.lookupApp': { req: { siteId: string; appId: string }; res: ApiResult<{ registration: RegistrationView }> };
  /** The user confirmed: this site works on that registration (adopted in this session; apply adds the assistant's tag). */
  'live.adopt': { req: { siteId: string; appId: string }; res: ApiResult<{ registration: RegistrationView }> };

  /**
   * server.sso-meta, no sign-in: GET https://<host>/sso-meta for every ICE host of the site, compared with the
   * values of its latest run; recorded in the site (so the next bundle carries it). Main fetches, never the renderer.
   */
  'server.checkSsoMeta': { req: { siteId: string }; res: ApiResult<{ checklist: ChecklistView; run: RunRecord; hosts: SsoMetaHostReport[] }> };

  /**
   * proof.token in one click: main opens a sign-in window (no preload, own session, sandboxed) at the authorize URL
   * of the site's ICE app, captures the redirect to the native-client URI, redeems it (PKCE), checks the token and
   * records the step in the site. `user`: the test user's UPN (login hint).
   */
  'proof.inWindow': { req: { siteId: string; user?: string }; res: ApiResult<{ step: StepResult; checklist: ChecklistView; run: RunRecord }> };
  /** The fallback: the same sign-in in the system browser; the user pastes the address it lands on (proof.paste). */
  'proof.inBrowser': { req: { siteId: string; user?: string }; res: ApiResult<{ redirectUri: string }> };
  'proof.paste': { req: { siteId: string; address: string }; res: ApiResult<{ step: StepResult; checklist: ChecklistView; run: RunRecord }> };
  /** Closes the sign-in window (nothing recorded) and forgets a browser sign-in waiting for its address. */
  'proof.cancel': { req: Record<string, never>; res: { cancelled: boolean } };

  /**
   * Offline: shows an open dialog in main, then reviews a bundle, a site file or an application JSON
   * (GET /applications/{id} or the portal's manifest; compared with the settings of `siteId` when given).
   */
  'review.openFile': {
    req: { kind: 'any' | 'bundle' | 'application' | 'site'; siteId?: string };
    res: ApiResult<{ review: ReviewView }> | { ok: false; cancelled: true; error: string };
  };
  'review.site': { req: { id: string }; res: ApiResult<{ review: ReviewView }> };

  /** Verifies the bundle last opened in Review again (after the trusted keys changed). */
  'review.recheck': { req: Record<string, never>; res: ApiResult<{ review: ReviewView }> };

  'bundle.keyInfo': {
    req: Record<string, never>;
    res: ApiResult<{ fingerprint: string; keyId: string; publicKeyPem: string; publicKeyMinisign: string; persistent: boolean; note: string }>;
  };
  'bundle.readiness': { req: { siteId: string }; res: ApiResult<{ readiness: ReadinessView }> };
  /**
   * Shows a save dialog in main, exports the bundle, reads it back and verifies it. A site with failing steps is
   * refused (notReady) unless allowIncomplete; an existing file is not replaced (exists) unless the user said
   * "Replace" for it: `replace: true` then writes to the file main kept from the dialog, with no second dialog.
   */
  'bundle.export': {
    req: { siteId: string; allowIncomplete?: boolean; replace?: boolean };
    res:
      | ApiResult<{ path: string; bytes: number; verified: SignatureReport; failing: string[] }>
      | { ok: false; cancelled: true; error: string }
      | { ok: false; exists: true; path: string; error: string }
      | { ok: false; notReady: true; failing: string[]; error: string };
  };

  'trust.list': { req: Record<string, never>; res: ApiResult<{ keys: TrustedKeyView[]; file: string }> };
  /** Trust the key whose fingerprint the engineer read out. */
  'trust.addFingerprint': { req: { fingerprint: string; name?: string }; res: ApiResult<{ key: TrustedKeyView }> };
  /** Shows an open dialog in main, then trusts the public key in the chosen file (PEM, JWK, minisign.pub). */
  'trust.addFile': { req: { name?: string }; res: ApiResult<{ key: TrustedKeyView }> | { ok: false; cancelled: true; error: string } };
  'trust.remove': { req: { fingerprint: string }; res: ApiResult<{ removed: boolean }> };
}

export type Channel = keyof IpcContract;
export type Req<C extends Channel> = IpcContract[C]['req'];
export type Res<C extends Channel> = IpcContract[C]['res'];

/** Every channel, for the preload's allow-list and main's registration (checked against IpcContract below). */
export const CHANNELS = [
  'app.info',
  'app.openExternal',
  'app.copyText',
  'settings.defaults',
  'settings.validate',
  'sites.list',
  'sites.create',
  'sites.open',
  'sites.save',
  'sites.rename',
  'sites.duplicate',
  'sites.delete',
  'sites.import',
  'sites.export',
  'auth.status',
  'auth.signIn',
  'auth.cloud',
  'auth.cancel',
  'auth.signOut',
  'live.verify',
  'live.apply',
  'live.cancel',
  'live.preview',
  'live.lookupApp',
  'live.adopt',
  'server.checkSsoMeta',
  'proof.inWindow',
  'proof.inBrowser',
  'proof.paste',
  'proof.cancel',
  'review.openFile',
  'review.site',
  'review.recheck',
  'bundle.keyInfo',
  'bundle.readiness',
  'bundle.export',
  'trust.list',
  'trust.addFingerprint',
  'trust.addFile',
  'trust.remove',
] as const satisfies readonly Channel[];

// Compile-time proof that CHANNELS lists every channel of the contract.
type _Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
export const CHANNELS_COMPLETE: _Missing extends never ? true : never = true;

// ---------- events: main → renderer ----------

export interface IpcEvents {
  'auth.deviceCode': DeviceCodeEvent;
  'live.progress': ProgressEvent;
  'app.notice': { level: 'info' | 'warning' | 'error'; message: string };
}
export type EventName = keyof IpcEvents;
export const EVENTS = ['auth.deviceCode', 'live.progress', 'app.notice'] as const satisfies readonly EventName[];
type _MissingEvent = Exclude<EventName, (typeof EVENTS)[number]>;
export const EVENTS_COMPLETE: _MissingEvent extends never ? true : never = true;

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

/** Extra results an invoke may answer with when the main process refuses or fails the call. */
export interface IpcFailure {
  ok: false;
  error: string;
}

export type { AuditResult, StepResult, IceValues, RunRecord };
