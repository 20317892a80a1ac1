// The window/session lock-down, with small fakes of Electron's objects (no Electron binary needed), and the
// webPreferences as written at each BrowserWindow construction site (read from the source with TypeScript's parser).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { hardenSession, lockDownContents } from '../../src-main/electron/security';
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

/** Every `new BrowserWindow({...})` under src-main/electron, with its webPreferences as written (an object literal). */
function windowConstructions(): Array<{ file: string; line: number; prefs: Record<string, string> | null }> {
  const dir = path.resolve(import.meta.dirname, '../../src-main/electron');
  const out: Array<{ file: string; line: number; prefs: Record<string, string> | null }> = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = ts.createSourceFile(name, readFileSync(path.join(dir, name), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node) && node.expression.getText(src) === 'BrowserWindow') {
        const arg = node.arguments?.[0];
        const wp = arg && ts.isObjectLiteralExpression(arg) ? arg.properties.find((p) => p.name?.getText(src) === 'webPreferences') : undefined;
        let prefs: Record<string, string> | null = null;
        if (wp && ts.isPropertyAssignment(wp) && ts.isObjectLiteralExpression(wp.initializer)) {
          prefs = {};
          for (const p of wp.initializer.properties) {
            if (ts.isPropertyAssignment(p)) prefs[p.name.getText(src)] = p.initializer.getText(src);
            else if (ts.isShorthandPropertyAssignment(p)) prefs[p.name.getText(src)] = p.name.getText(src);
            else prefs['<spread>'] = p.getText(src); // not literal
          }
        }
        out.push({ file: name, line: src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1, prefs });
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return out;
}

describe('BrowserWindow construction sites', () => {
  const sites = windowConstructions();
  it('finds the app window and the proof window', () => {
    expect(sites.map((s) => s.file).sort()).toEqual(['main.ts', 'proof-window.ts']);
  });
  it.each(sites.map((s) => [`${s.file}:${s.line}`, s] as const))('%s writes its webPreferences out literally: isolated, sandboxed, no Node, no auxclick', (_where, s) => {
    expect(s.prefs, 'webPreferences must be an object literal at the construction site').not.toBeNull();
    expect(Object.keys(s.prefs!)).not.toContain('<spread>');
    expect(s.prefs).toMatchObject({
      contextIsolation: 'true',
      sandbox: 'true',
      nodeIntegration: 'false',
      nodeIntegrationInWorker: 'false',
      nodeIntegrationInSubFrames: 'false',
      webSecurity: 'true',
      allowRunningInsecureContent: 'false',
      experimentalFeatures: 'false',
      webviewTag: 'false',
      disableBlinkFeatures: "'Auxclick'",
    });
  });
  it('only the app window has a preload; the proof window has its own session partition', () => {
    const main = sites.find((s) => s.file === 'main.ts')!;
    const proof = sites.find((s) => s.file === 'proof-window.ts')!;
    expect(main.prefs).toHaveProperty('preload');
    expect(proof.prefs).not.toHaveProperty('preload');
    expect(proof.prefs).toHaveProperty('partition');
    // In memory: a partition without "persist:" keeps nothing on disk.
    expect(readFileSync(path.resolve(import.meta.dirname, '../../src-main/electron/proof-window.ts'), 'utf8')).toMatch(/const partition = `proof-\$\{randomUUID\(\)\}`/);
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
