// The CLI's ONE table from error codes to exit codes (every command, every failure). Checklist results use
// 0 (no step fails) and 1 (a step fails); everything else comes from here.
import type { ErrorCode } from '../shared/errors';

export const EXIT = {
  ok: 0,
  /** A check failed, a bundle does not verify, an export was refused or the drive failed. */
  failed: 1,
  /** Bad input or usage: the message says what to give instead. */
  usage: 2,
  /** A service could not be used: sign-in, Microsoft Graph, or an ICE Server that could not be reached. */
  service: 3,
  /** A bundle whose signature is valid but whose signer is not trusted (bundle verify). */
  untrusted: 4,
  /** An internal error (a bug; sysexits' EX_SOFTWARE): generic message, detail in the log. */
  internal: 70,
  /** Cancelled with Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** Exhaustive: adding an error code without an exit code does not compile. */
const EXIT_BY_CODE: Record<ErrorCode, number> = {
  usage: EXIT.usage,
  'input.invalid': EXIT.usage,
  'request.unknown': EXIT.usage,
  'request.malformed': EXIT.usage,
  'request.refused': EXIT.usage,
  'external.refused': EXIT.usage,
  cancelled: EXIT.interrupted,
  'auth.required': EXIT.service,
  'cloud.untrusted': EXIT.usage,
  'signin.expired': EXIT.service,
  'signin.declined': EXIT.service,
  'signin.consent-required': EXIT.service,
  'signin.interaction-required': EXIT.service,
  'signin.tenant-not-found': EXIT.service,
  'signin.network': EXIT.service,
  'signin.config': EXIT.service,
  'signin.failed': EXIT.service,
  'signin.refused': EXIT.service,
  'graph.http': EXIT.service,
  'graph.network': EXIT.service,
  'graph.timeout': EXIT.service,
  'graph.journal': EXIT.service,
  'site.unreadable': EXIT.usage,
  'site.empty': EXIT.usage,
  'site.not-json': EXIT.usage,
  'site.not-site': EXIT.usage,
  'site.too-new': EXIT.usage,
  'site.invalid': EXIT.usage,
  'site.exists': EXIT.usage,
  'site.write': EXIT.usage,
  'site.settings-invalid': EXIT.usage,
  'site.no-run': EXIT.usage,
  'graph-file.invalid': EXIT.usage,
  'file.unreadable': EXIT.usage,
  'file.too-large': EXIT.usage,
  'file.too-deep': EXIT.usage,
  'key.invalid': EXIT.usage,
  'bundle.refused': EXIT.failed,
  'bundle.no-run': EXIT.failed,
  'bundle.incomplete': EXIT.failed,
  'bundle.invalid': EXIT.failed,
  'bundle.untrusted': EXIT.untrusted,
  'write.exists': EXIT.failed,
  'write.failed': EXIT.failed,
  'server.unreachable': EXIT.service,
  internal: EXIT.internal,
};

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_BY_CODE[code];
}

/** The exit codes as `help` lists them. */
export const EXIT_CODE_HELP: ReadonlyArray<[number, string]> = [
  [EXIT.ok, 'ok: no checklist step fails (or the command did what it was asked)'],
  [EXIT.failed, 'a checklist step fails, a bundle does not verify, or an export was refused or could not be written'],
  [EXIT.usage, 'bad input or usage (the message says what to give instead)'],
  [EXIT.service, 'sign-in, Microsoft Graph or an ICE Server failed or could not be reached (the message says why)'],
  [EXIT.untrusted, 'bundle verify: the signature is valid but the signer is not one you trust'],
  [EXIT.internal, 'internal error (a bug): a generic message, the detail is in the log'],
  [EXIT.interrupted, 'cancelled with Ctrl-C'],
];
