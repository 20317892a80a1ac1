// Which URLs the app may hand to the operating system's browser (shell.openExternal in main).
// https only, exact host from the allow-list (plus an optional path prefix), no credentials in the URL.
import { AppError } from '../lib/errors';
import { EXTERNAL_ALLOW_LIST } from '../shared/ipc-contract';

export type ExternalCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Checks a URL against the allow-list. `extraHosts` adds exact https hosts (host[:port]) for one call only
 * (the configured custom cloud's login host during a browser sign-in), never from the renderer.
 */
export function checkExternalUrl(raw: unknown, extraHosts: readonly string[] = []): ExternalCheck {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return { ok: false, reason: 'not a URL' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `"${raw.slice(0, 200)}" is not a URL` };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `only https links open outside the app (got ${url.protocol})` };
  if (url.username || url.password) return { ok: false, reason: 'links with user names or passwords are not opened' };
  // A custom cloud's login host (host[:port]) that main allows for one sign-in.
  if (extraHosts.some((h) => h.toLowerCase() === url.host.toLowerCase())) return { ok: true, url: url.toString() };
  if (url.port !== '') return { ok: false, reason: 'links with an explicit port are not opened' };
  const host = url.hostname.toLowerCase();
  // A path prefix also covers the national-cloud variants (/devicelogin, /deviceloginus, /deviceloginchina).
  const allowed = EXTERNAL_ALLOW_LIST.some((e) => e.host === host && (!e.pathPrefix || url.pathname.startsWith(e.pathPrefix)));
  if (!allowed) return { ok: false, reason: `${host} is not on the list of sites this app opens (Azure portal, Microsoft sign-in, Microsoft Learn)` };
  return { ok: true, url: url.toString() };
}

/** The URL to open, or an AppError (external.refused) saying why not: what main and the test harness call before opening. */
export function allowedExternalUrl(raw: unknown, extraHosts: readonly string[] = []): string {
  const check = checkExternalUrl(raw, extraHosts);
  if (!check.ok) throw new AppError('external.refused', `Not opened: ${check.reason}.`);
  return check.url;
}
