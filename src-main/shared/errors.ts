// The error codes every boundary speaks (IPC responses, CLI exit codes, logs). Pure constants and types:
// compiled for the main process and the renderer alike. Callers branch on the code, never on the message
// (MSAL's AuthError/InteractionRequiredAuthErrorCodes and VS Code's serialised errors are the models).

export const ERROR_CODES = [
  // input and requests
  'usage', // a command line or an argument the CLI cannot use
  'input.invalid', // form fields that do not validate (see `fields`)
  'request.unknown', // an IPC channel that does not exist
  'request.malformed', // an IPC request that does not match its schema
  'request.refused', // an IPC call from something other than the app's own window
  'external.refused', // a link that is not on the allow-list of sites the app opens
  'cancelled', // the user cancelled (dialog, sign-in, run, Ctrl-C)
  // sign-in (SignInError's codes)
  'auth.required', // not signed in yet: go to Sign in
  'cloud.untrusted', // the site's cloud is not Microsoft's and this machine has not trusted it: nothing was sent (see auth.cloud)
  'signin.expired',
  'signin.declined',
  'signin.consent-required',
  'signin.interaction-required',
  'signin.tenant-not-found',
  'signin.network',
  'signin.config',
  'signin.failed',
  'signin.refused', // Entra refused to start the sign-in (unknown client, device code not allowed, invalid scope)
  // Microsoft Graph (GraphRequestError's kinds) and the apply journal
  'graph.http',
  'graph.network',
  'graph.timeout',
  'graph.journal',
  // files the user gives: saved sites (SiteError's problems), Graph object files, review files
  'site.unreadable',
  'site.empty',
  'site.not-json',
  'site.not-site',
  'site.too-new',
  'site.invalid',
  'site.exists',
  'site.write',
  'site.settings-invalid', // the site's saved settings do not validate
  'site.no-run', // the site has no recorded run (no values to check or bundle)
  'graph-file.invalid', // an application / service principal / grants JSON that cannot be used
  'file.unreadable', // a file to review that cannot be read or is not a bundle, site or application
  'file.too-large', // over the size limit for a file this tool reads
  'file.too-deep', // JSON nested deeper than the limit
  // keys, bundles, writes, the ICE Server
  'key.invalid',
  'bundle.refused', // something secret-looking in it, or values the latest run could not state
  'bundle.no-run', // no verify or apply recorded in the site yet: nothing to export
  'bundle.incomplete', // steps fail in the site's latest results (fields: the step ids): export anyway only when asked
  'bundle.invalid', // a bundle that does not verify
  'bundle.untrusted', // a bundle whose signature is valid but whose signer is not trusted
  'write.exists', // the target file exists (the CLI says: add --force)
  'write.failed', // the disk or drive refused the write
  'server.unreachable', // an ICE Server could not be reached
  // anything else: a bug. The message is generic; the detail goes to the local log.
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One validation message tied to a form field as the core names it: 'hosts', 'hosts[1]', 'consentTexts.userConsentDescription', 'name', 'tenant'. */
export interface FieldError {
  field: string;
  message: string;
}

/** What a failure looks like on the wire (IPC) and in logs: a code to branch on, a message for people. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Per-field messages (code input.invalid). */
  fields?: FieldError[];
  /** What was expected, when that helps (e.g. the value a check wanted). */
  expected?: string;
  /**
   * What to do, in each front end's words, when it differs (a command-line option vs the app's screens): added to the
   * message by the CLI or by the IPC dispatcher, never sent to the renderer as such.
   */
  todo?: FrontEndWords;
  /** signin.consent-required: the admin consent link for the tenant's administrator (a public URL, no secret). */
  adminConsentUrl?: string;
}

/** The same advice for the command line and for the desktop app. */
export interface FrontEndWords {
  cli: string;
  app: string;
}

/** The message as one front end shows it: the shared part, then that front end's advice. */
export function messageFor(info: Pick<ErrorInfo, 'message' | 'todo'>, frontEnd: keyof FrontEndWords): string {
  const todo = info.todo?.[frontEnd];
  return todo ? `${info.message} ${todo}` : info.message;
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

/** Codes after which the way forward is to sign in (again). */
export function needsSignIn(code: ErrorCode): boolean {
  return code === 'auth.required' || code === 'signin.expired' || code === 'signin.interaction-required';
}

/** The message every front end shows for an internal error (never the exception text or a stack). */
export const INTERNAL_MESSAGE = 'Something went wrong inside ICE SSO Assistant (an internal error). Nothing was lost; try again, and if it happens again send the log to support.';
