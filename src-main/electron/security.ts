// Electron's security checklist, applied to a session and a window.
import type { Session, WebContents } from 'electron';
import { APP_RESPONSE_HEADERS, DEV_CONTENT_SECURITY_POLICY } from '../shared/csp';
import { isAppUrl, type TrustPolicy } from './trusted-sender';

/** Deny every permission request and check (camera, notifications, clipboard-read, HID...). */
export function hardenSession(ses: Session, policy: TrustPolicy): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler?.(() => false);
  // CSP and friends as response headers for the dev server's pages (app:// responses carry them already).
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, policy)) {
      callback({ responseHeaders: details.responseHeaders ?? {} });
      return;
    }
    const headers: Record<string, string[]> = { ...(details.responseHeaders ?? {}) };
    // Only the dev server's responses pass here (app:// responses are built with the headers).
    const wanted = { ...APP_RESPONSE_HEADERS, 'Content-Security-Policy': DEV_CONTENT_SECURITY_POLICY };
    for (const [k, v] of Object.entries(wanted)) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
      headers[k] = [v];
    }
    callback({ responseHeaders: headers });
  });
  // Nothing but our own pages and the dev server is fetched by the renderer.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const u = details.url;
    const ok = isAppUrl(u, policy) || u.startsWith('devtools://') || u.startsWith('data:') || (policy.devOrigin !== undefined && u.startsWith('ws://') && new URL(u).host === new URL(policy.devOrigin).host);
    callback({ cancel: !ok });
  });
}

/** No navigation away from the app, no new windows, no webviews, no pop-ups. */
export function lockDownContents(contents: WebContents, policy: TrustPolicy): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, policy)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, policy)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, policy)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
