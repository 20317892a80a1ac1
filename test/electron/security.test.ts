// The window/session lock-down, with small fakes of Electron's objects (no Electron binary needed).
import { describe, expect, it } from 'vitest';
import { hardenSession, lockDownContents, secureWebPreferences } from '../../src-main/electron/security';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../../src-main/shared/csp';

type Handler = (...args: never[]) => unknown;

function fakeSession() {
  const h: Record<string, Handler> = {};
  const ses = {
    setPermissionRequestHandler: (f: Handler) => (h.request = f),
    setPermissionCheckHandler: (f: Handler) => (h.check = f),
    setDevicePermissionHandler: (f: Handler) => (h.device = f),
    webRequest: {
      onHeadersReceived: (f: Handler) => (h.headers = f),
      onBeforeRequest: (f: Handler) => (h.before = f),
    },
  };
  return { ses, h };
}

function fakeContents() {
  const on: Record<string, Handler> = {};
  let openHandler: Handler | null = null;
  const wc = {
    on: (ev: string, f: Handler) => (on[ev] = f),
    setWindowOpenHandler: (f: Handler) => (openHandler = f),
  };
  return { wc, on, open: () => openHandler };
}

describe('secureWebPreferences', () => {
  it('isolates, sandboxes, and keeps Node out of the renderer', () => {
    const p = secureWebPreferences('/x/preload.cjs');
    expect(p).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const { ses, h } = fakeSession();
    hardenSession(ses as never, {});
    let granted: boolean | undefined;
    (h.request as (wc: unknown, p: string, cb: (v: boolean) => void) => void)({}, 'media', (v) => (granted = v));
    expect(granted).toBe(false);
    for (const p of ['clipboard-read', 'notifications', 'geolocation', 'clipboard-sanitized-write']) {
      expect((h.check as (wc: unknown, p: string) => boolean)({}, p)).toBe(false);
    }
  });
  it('adds the CSP header to app responses and blocks requests to anywhere else', () => {
    const { ses, h } = fakeSession();
    hardenSession(ses as never, { devOrigin: 'http://localhost:5173' });
    let headers: Record<string, string[]> = {};
    (h.headers as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)(
      { url: 'http://localhost:5173/index.html', responseHeaders: { 'content-security-policy': ['default-src *'] } },
      (r) => (headers = r.responseHeaders),
    );
    // Dev server pages: the same policy, plus inline scripts for Vite's React Fast Refresh preamble.
    expect(headers['Content-Security-Policy']).toEqual([DEV_CONTENT_SECURITY_POLICY]);
    expect(DEV_CONTENT_SECURITY_POLICY.replace("script-src 'self' 'unsafe-inline'", "script-src 'self'")).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['content-security-policy']).toBeUndefined();
    const cancel = (url: string) => {
      let c: boolean | undefined;
      (h.before as (d: unknown, cb: (r: { cancel: boolean }) => void) => void)({ url }, (r) => (c = r.cancel));
      return c;
    };
    expect(cancel('app://ice/assets/index.js')).toBe(false);
    expect(cancel('http://localhost:5173/@vite/client')).toBe(false);
    expect(cancel('https://graph.microsoft.com/v1.0/me')).toBe(true);
    expect(cancel('https://evil.example/x.js')).toBe(true);
    expect(cancel('file:///etc/passwd')).toBe(true);
  });
});

describe('lockDownContents', () => {
  it('prevents navigation away, webviews and new windows', () => {
    const { wc, on, open } = fakeContents();
    lockDownContents(wc as never, {});
    const prevented = (ev: string, ...args: unknown[]) => {
      let p = false;
      (on[ev] as (...a: unknown[]) => void)({ preventDefault: () => (p = true), url: args[0] }, ...args);
      return p;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'file:///tmp/x.html')).toBe(true);
    expect(prevented('will-navigate', 'app://ice/index.html')).toBe(false);
    expect(prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    expect((open() as () => { action: string })()).toEqual({ action: 'deny' });
  });
});
