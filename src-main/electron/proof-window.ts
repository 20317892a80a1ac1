// The "Prove sign-in" window: Entra's sign-in page for the ICE app, in a separate window with no preload, its own
// in-memory session partition and the sandbox. Only its navigations are watched (will-navigate / will-redirect):
// the capture logic that decides what to do with them is plain TypeScript (src-main/auth/proof-window.ts).
import { randomUUID } from 'node:crypto';
import { BrowserWindow, session, type Session, type WebContents } from 'electron';
import type { SignInWindow, WindowNavigation } from '../auth/proof-window';

/** Sessions of proof windows: the app-wide lock-down (app pages only) does not apply to them; this file's does. */
const proofSessions = new WeakSet<Session>();

export function isProofContents(contents: WebContents): boolean {
  return proofSessions.has(contents.session);
}

/** Opens the sign-in window (hidden until it has something to show) and adapts it for captureSignInRedirect. */
export function openProofWindow(parent: BrowserWindow | null): SignInWindow {
  // Not "persist:": cookies and storage of this sign-in live in memory and go with the window.
  const partition = `proof-${randomUUID()}`;
  const ses = session.fromPartition(partition);
  proofSessions.add(ses);
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler?.(() => false);
  ses.on('will-download', (event) => event.preventDefault());

  const win = new BrowserWindow({
    width: 520,
    height: 720,
    show: false,
    title: 'Prove sign-in as the ICE app',
    autoHideMenuBar: true,
    ...(parent ? { parent } : {}),
    // Written out here, at the construction site: a remote sign-in page, so no preload and no Node, sandboxed,
    // isolated, in its own session partition.
    webPreferences: {
      partition,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      enableWebSQL: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const contents = win.webContents;
  const listeners: Array<(nav: WindowNavigation, prevent: () => void) => void> = [];
  const notify = (nav: WindowNavigation, event: { preventDefault(): void }) => {
    for (const l of listeners) l(nav, () => event.preventDefault());
  };
  contents.on('will-navigate', (details) => notify({ url: details.url, kind: 'navigate' }, details));
  contents.on('will-redirect', (details) => {
    if (details.isMainFrame) notify({ url: details.url, kind: 'redirect' }, details);
  });
  // Sub-frames (Entra embeds a few) may only load https; they never reach the capture.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !event.url.startsWith('https:')) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());

  return {
    onNavigation(l) {
      listeners.push(l);
    },
    onClosed(l) {
      win.once('closed', l);
    },
    async load(url) {
      await win.loadURL(url);
    },
    close() {
      if (!win.isDestroyed()) win.close();
    },
  };
}
