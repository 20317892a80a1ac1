// The Content-Security-Policy of the app's pages: sent as a response header by the main process (app://
// protocol) and the e2e server, and repeated as a <meta> in src-renderer/index.html. Constants only.

/** Directives, in order. Fluent UI's Griffel inserts <style> rules at run time: style-src needs 'unsafe-inline'. */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; ');

/**
 * `electron-vite dev` only: Vite injects React Fast Refresh's inline preamble, so the dev server's pages
 * get 'unsafe-inline' scripts. The packaged app (app://) never uses this policy.
 */
export const DEV_CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([k, v]) => `${k} ${k === 'script-src' ? `${v} 'unsafe-inline'` : v}`).join('; ');

/** The other response headers app pages carry. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
};

/** The custom scheme and host the packaged app's pages are served from (app://ice/index.html). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ice';
