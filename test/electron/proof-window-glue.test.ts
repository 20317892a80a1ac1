// The Electron glue of "Prove sign-in" (src-main/electron/proof-window.ts), driven with a stand-in for Electron's
// BrowserWindow, WebContents and Session that emits their events the way Electron documents them (will-navigate and
// will-redirect pass an Event whose preventDefault() stops the navigation; `closed` fires once the window is gone).
// With the real capture logic on top: the authorize page loads, the redirect to the native-client URI is stopped and
// handed back, the window closes. (The real BrowserWindow runs in the Electron tests when a binary is present.)
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

class FakeSession extends EventEmitter {
  permissionRequest?: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void;
  permissionCheck?: () => boolean;
  setPermissionRequestHandler(h: FakeSession['permissionRequest']) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: () => boolean) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler() {}
}
class FakeContents extends EventEmitter {
  windowOpen?: (d: { url: string }) => { action: string };
  constructor(readonly session: FakeSession) {
    super();
  }
  setWindowOpenHandler(h: FakeContents['windowOpen']) {
    this.windowOpen = h;
  }
}
class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  readonly webContents: FakeContents;
  destroyed = false;
  shown = false;
  loaded: string[] = [];
  constructor(readonly options: { webPreferences: { partition: string } & Record<string, unknown> } & Record<string, unknown>) {
    super();
    this.webContents = new FakeContents(sessions.get(options.webPreferences.partition)!);
    FakeWindow.all.push(this);
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
  isDestroyed() {
    return this.destroyed;
  }
  show() {
    this.shown = true;
  }
  close() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
}
const sessions = new Map<string, FakeSession>();

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  session: {
    fromPartition(p: string) {
      if (!sessions.has(p)) sessions.set(p, new FakeSession());
      return sessions.get(p)!;
    },
  },
}));

const { openProofWindow, isProofContents } = await import('../../src-main/electron/proof-window');
const { captureSignInRedirect } = await import('../../src-main/auth/proof-window');

/** An Electron-style navigation event: the details object is the event (preventDefault on it). */
function navEvent(url: string, isMainFrame = true) {
  const e = { url, isMainFrame, prevented: false, preventDefault: () => (e.prevented = true) };
  return e;
}

const NATIVE = 'https://login.microsoftonline.com/common/oauth2/nativeclient';
const AUTHORIZE = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=x&response_type=code';

describe('the proof window’s Electron glue', () => {
  beforeEach(() => {
    FakeWindow.all = [];
    sessions.clear();
  });

  it('a window in its own in-memory partition, sandboxed, no preload; its session refuses permissions, downloads, new windows', () => {
    openProofWindow(null);
    const w = FakeWindow.all[0]!;
    const prefs = w.options.webPreferences;
    expect(prefs.partition).toMatch(/^proof-[0-9a-f-]{36}$/); // not "persist:": gone with the window
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(prefs).not.toHaveProperty('preload');
    expect(isProofContents(w.webContents as never)).toBe(true);
    const ses = w.webContents.session;
    let granted: boolean | undefined;
    ses.permissionRequest!(w.webContents, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(ses.permissionCheck!()).toBe(false);
    const download = navEvent('https://x/file.exe');
    ses.emit('will-download', download);
    expect(download.prevented).toBe(true);
    expect(w.webContents.windowOpen!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const webview = navEvent('');
    w.webContents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    // Shown only when it has something to show.
    expect(w.shown).toBe(false);
    w.emit('ready-to-show');
    expect(w.shown).toBe(true);
  });

  it('with the capture: the authorize page loads, the redirect to the native-client URI is stopped and handed back, the window closes', async () => {
    const win = openProofWindow(null);
    const w = FakeWindow.all[0]!;
    const landed = captureSignInRedirect(win, { url: AUTHORIZE, redirectUri: NATIVE }, { timeoutMs: 5_000 });
    await Promise.resolve();
    expect(w.loaded).toEqual([AUTHORIZE]);
    // The user's sign-in: a form post (a navigation, allowed), then Entra's 302 to the native-client URI.
    const post = navEvent('https://login.microsoftonline.com/contoso.onmicrosoft.com/login');
    w.webContents.emit('will-navigate', post);
    expect(post.prevented).toBe(false);
    // A sub-frame's redirect is not the answer, whatever its address.
    const frame = navEvent(`${NATIVE}?code=frame`, false);
    w.webContents.emit('will-redirect', frame);
    expect(frame.prevented).toBe(false);
    const redirect = navEvent(`${NATIVE}?code=0.AAA&state=s1`);
    w.webContents.emit('will-redirect', redirect);
    expect(redirect.prevented).toBe(true);
    await expect(landed).resolves.toBe(`${NATIVE}?code=0.AAA&state=s1`);
    expect(w.isDestroyed()).toBe(true);
  });

  it('a page leaving https is stopped; a sub-frame may load only https; closing the window proves nothing', async () => {
    const win = openProofWindow(null);
    const w = FakeWindow.all[0]!;
    const blocked: string[] = [];
    const landed = captureSignInRedirect(win, { url: AUTHORIZE, redirectUri: NATIVE }, { timeoutMs: 5_000, onBlocked: (u) => blocked.push(u) });
    for (const bad of ['http://login.microsoftonline.com/x', 'file:///etc/passwd', 'ms-settings:privacy']) {
      const e = navEvent(bad);
      w.webContents.emit('will-navigate', e);
      expect(e.prevented, bad).toBe(true);
    }
    expect(blocked).toEqual(['http://login.microsoftonline.com/x', 'file:///etc/passwd', 'ms-settings:privacy']);
    const frameHttp = navEvent('http://tracker.example/x', false);
    w.webContents.emit('will-frame-navigate', frameHttp);
    expect(frameHttp.prevented).toBe(true);
    const frameHttps = navEvent('https://login.live.com/x', false);
    w.webContents.emit('will-frame-navigate', frameHttps);
    expect(frameHttps.prevented).toBe(false);
    w.close(); // the user closes it
    await expect(landed).rejects.toThrow(/closed before the sign-in finished: nothing was proved/);
  });
});
