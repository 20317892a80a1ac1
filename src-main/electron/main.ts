// The Electron main process: one window, locked down; the IPC contract served by src-main/app services.
import { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, safeStorage, session, shell, Menu } from 'electron';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from '../shared/csp';
import { INVOKE_CHANNEL, EVENT_CHANNEL, type EventName, type IpcEvents } from '../shared/ipc-contract';
import { createAppServices } from '../app/services';
import { dispatch } from '../app/dispatch';
import { fileLog } from '../lib/log';
import type { Dialogs } from '../app/dialogs';
import { allowedExternalUrl } from '../app/external';
import { hardenSession, lockDownContents } from './security';
import { serveAppRequest } from './protocol';
import { isTrustedSender, type TrustPolicy } from './trusted-sender';
import { safeStorageBox } from './safe-storage';
import { preloadPath, StartupError } from './preload-path';
import { isProofContents, openProofWindow } from './proof-window';

const here = import.meta.dirname;
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const policy: TrustPolicy = devUrl ? { devOrigin: new URL(devUrl).origin } : {};

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();
// One instance: two windows writing the same site files and token cache would race.
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});
// Every web contents ever created (including ones we did not expect) gets the same lock-down, except the
// "Prove sign-in" window, which shows Entra's pages and is locked down by proof-window.ts.
app.on('web-contents-created', (_e, contents) => {
  if (!isProofContents(contents)) lockDownContents(contents, policy);
});

let mainWindow: BrowserWindow | null = null;

function emit<E extends EventName>(name: E, payload: IpcEvents[E]): void {
  const wc = mainWindow?.webContents;
  if (wc && !wc.isDestroyed()) wc.mainFrame.send(EVENT_CHANNEL, name, payload);
}

function dialogs(): Dialogs {
  return {
    async openFile(opts) {
      const parent = mainWindow ?? undefined;
      const r = parent
        ? await dialog.showOpenDialog(parent, { title: opts.title, filters: opts.filters, properties: ['openFile'] })
        : await dialog.showOpenDialog({ title: opts.title, filters: opts.filters, properties: ['openFile'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async saveFile(opts) {
      const parent = mainWindow ?? undefined;
      const o = { title: opts.title, defaultPath: opts.defaultName, filters: opts.filters };
      const r = parent ? await dialog.showSaveDialog(parent, o) : await dialog.showSaveDialog(o);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}

async function createWindow(preload: string): Promise<void> {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'ICE SSO Assistant',
    icon: path.join(here, '../../resources/icon.png'),
    // Written out here, at the construction site, so a reviewer (and Electronegativity) sees each one.
    webPreferences: {
      preload, // eng-disable PRELOAD_JS_CHECK: reviewed, it exposes only the typed IPC contract (see preload.ts)
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
      spellcheck: false,
      safeDialogs: true,
      enableWebSQL: false,
      // No middle-click (auxclick) navigation: it could open links in a new window.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  mainWindow = win;
  win.on('closed', () => {
    mainWindow = null;
  });
  win.once('ready-to-show', () => win.show());
  if (devUrl) await win.loadURL(devUrl);
  else await win.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);
}

/** A startup failure the user can act on: a dialog (and stderr) with the reason, then exit with code 1. */
function failStartup(e: StartupError): void {
  console.error(`ICE SSO Assistant cannot start: ${e.message}`);
  dialog.showErrorBox('ICE SSO Assistant cannot start', e.message);
  app.exit(1);
}

void app.whenReady().then(async () => {
  let preload: string;
  try {
    preload = preloadPath(here);
  } catch (e) {
    if (e instanceof StartupError) return failStartup(e);
    throw e;
  }
  const rendererRoot = path.join(here, '../renderer');
  protocol.handle(APP_SCHEME, (req) => serveAppRequest(rendererRoot, req.url, req.method));
  hardenSession(session.defaultSession, policy);
  if (app.isPackaged) Menu.setApplicationMenu(null);

  const userData = app.getPath('userData');
  const services = createAppServices({
    // ICE_SSO_SITES_DIR / ICE_SSO_CLIENT_ID: the sites folder and the sign-in client id (see README).
    sitesDir: process.env['ICE_SSO_SITES_DIR'] || path.join(app.getPath('documents'), 'ICE SSO Assistant', 'sites'),
    ...(process.env['ICE_SSO_CLIENT_ID'] ? { clientId: process.env['ICE_SSO_CLIENT_ID'] } : {}),
    dataDir: userData,
    dialogs: dialogs(),
    secretBox: safeStorageBox(safeStorage),
    version: app.getVersion(),
    platform: process.platform,
    emit,
    writeClipboard: (text) => clipboard.writeText(text),
    openSignInWindow: () => openProofWindow(mainWindow),
    async openExternal(url, extraHosts) {
      await shell.openExternal(allowedExternalUrl(url, extraHosts), { activate: true });
    },
  });

  // The detail of internal errors (never sent to the renderer) goes to <userData>/logs/main.log.
  const log = fileLog(path.join(userData, 'logs', 'main.log'));
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, req: unknown) => {
    const wc = mainWindow?.webContents;
    const trusted = !!wc && event.sender === wc && isTrustedSender(event.senderFrame, wc.mainFrame, policy);
    if (!trusted) return { ok: false, code: 'request.refused', message: 'Refused: this call did not come from the app window.' };
    return dispatch(services, channel, req, log);
  });

  await createWindow(preload);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(preload);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
