// The UI test harness: out/renderer served over http on 127.0.0.1 with the app's CSP headers, Chromium
// driven by playwright-core, and window.iceApi made by the app's own built preload (test/support/preload-in-page.ts),
// its ipcRenderer forwarded to the REAL src-main/app services (the same handlers main registers behind ipcMain),
// against temp folders. Dialogs answer from a queue.
import { createServer, type Server } from 'node:http';
import { promises as fsp, existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createAppServices } from '../../src-main/app/services';
import { dispatch } from '../../src-main/app/dispatch';
import { memoryOnlyBox, type SecretBox } from '../../src-main/app/secrets';
import { APP_RESPONSE_HEADERS } from '../../src-main/shared/csp';
import type { EventName, IpcEvents } from '../../src-main/shared/ipc-contract';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';
import { chromiumSignInWindow, trustEmulatorArg, type ChromiumSignInWindow } from './signin-window';
import { axeCheck } from './a11y';
import { EMULATOR_CA, ROOT } from '../support/paths';
import { tmpDirSync } from '../support/tmp';
import { preloadInitScript } from '../support/preload-in-page';

export { ROOT };
export const RENDERER_DIR = path.join(ROOT, 'out/renderer');
export const RESULTS_DIR = path.join(ROOT, 'test-results');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export async function serveRenderer(dir = RENDERER_DIR): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
      const file = path.resolve(dir, `.${rel}`);
      if (!file.startsWith(path.resolve(dir) + path.sep)) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await fsp.readFile(file);
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...APP_RESPONSE_HEADERS });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${addr.port}/index.html` };
}

export interface Harness {
  page: Page;
  context: BrowserContext;
  tmp: string;
  sitesDir: string;
  dataDir: string;
  /** Paths the next open/save dialogs answer with (null = the user cancelled). */
  dialogAnswers: Array<string | null>;
  clipboard: string[];
  /** URLs the app handed to the system browser (after the allow-list check). */
  opened: string[];
  /** What "the system browser" does with an opened URL (e.g. the emulator's sign-in page). */
  onOpen?: (url: string) => Promise<void>;
  consoleErrors: string[];
  cspViolations: string[];
  services: ReturnType<typeof createAppServices>;
  /** Every response the services sent to the page, for the no-secrets check. */
  responses: Array<{ channel: string; res: unknown }>;
  /** The "Prove sign-in" windows main would have opened (pages of the same Chromium). */
  proofWindows: ChromiumSignInWindow[];
  close(): Promise<void>;
}

export function chromiumOrSkipReason(): string | null {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) return 'out/renderer is not built: run `npx electron-vite build` first';
  const c = findChromium();
  if ('tried' in c) return `no Chromium found (tried ${c.tried.join(', ')}); install Debian's chromium or set CHROMIUM_PATH`;
  return null;
}

/** As chromiumOrSkipReason, and the emulator's test CA must be trusted (NODE_EXTRA_CA_CERTS, which npm test sets). */
export function chromiumAndCaSkipReason(): string | null {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  const caOk = ca === EMULATOR_CA || !!ca?.endsWith('test/emulator/tls/ca.pem');
  return chromiumOrSkipReason() ?? (caOk ? null : 'NODE_EXTRA_CA_CERTS is not the emulator CA (run through npm test)');
}

export async function startHarness(opts: { secretBox?: SecretBox; viewport?: { width: number; height: number } } = {}): Promise<Harness> {
  const c = findChromium();
  if (!c.path) throw new Error('no Chromium');
  const tmp = tmpDirSync('e2e');
  const sitesDir = path.join(tmp, 'sites');
  const dataDir = path.join(tmp, 'data');
  const profile = path.join(tmp, 'profile');
  const { server, url } = await serveRenderer();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: c.path,
    // The proof window shows the emulator's sign-in page: trust its certificate (only it).
    args: [...CHROMIUM_ARGS, trustEmulatorArg()],
    viewport: opts.viewport ?? { width: 1360, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const h: Partial<Harness> & { onOpen?: (url: string) => Promise<void>; dialogAnswers: Array<string | null>; clipboard: string[]; opened: string[]; consoleErrors: string[]; cspViolations: string[]; responses: Array<{ channel: string; res: unknown }>; proofWindows: ChromiumSignInWindow[] } = {
    page,
    context,
    tmp,
    sitesDir,
    dataDir,
    dialogAnswers: [],
    clipboard: [],
    opened: [],
    consoleErrors: [],
    cspViolations: [],
    responses: [],
    proofWindows: [],
  };
  const emit = <E extends EventName>(name: E, payload: IpcEvents[E]) => {
    void page.evaluate(([n, p]) => (window as unknown as { __iceEmit(n: string, p: unknown): void }).__iceEmit(n, p), [name, payload] as const).catch(() => undefined);
  };
  const services = createAppServices({
    sitesDir,
    dataDir,
    secretBox: opts.secretBox ?? memoryOnlyBox,
    version: '0.0.0-e2e',
    platform: process.platform,
    emit,
    dialogs: {
      async openFile() {
        return h.dialogAnswers.length ? (h.dialogAnswers.shift() ?? null) : null;
      },
      async saveFile() {
        return h.dialogAnswers.length ? (h.dialogAnswers.shift() ?? null) : null;
      },
    },
    async openExternal(u, extraHosts) {
      // The same allow-list main applies before shell.openExternal.
      const { allowedExternalUrl } = await import('../../src-main/app/external');
      const url = allowedExternalUrl(u, extraHosts);
      h.opened.push(url);
      if (h.onOpen) void h.onOpen(url).catch(() => undefined);
    },
    writeClipboard(text) {
      h.clipboard.push(text);
    },
    openSignInWindow() {
      const w = chromiumSignInWindow(context);
      h.proofWindows.push(w);
      return w;
    },
  });
  h.services = services;
  await page.exposeBinding('__iceInvoke', async (_source, channel: unknown, req: unknown) => {
    const res = await dispatch(services, channel, req);
    h.responses.push({ channel: String(channel), res });
    return res;
  });
  // The app's own preload, built (out/preload/index.cjs), on that binding: window.iceApi as the app has it.
  await page.addInitScript(preloadInitScript());
  page.on('console', (m) => {
    if (m.type() === 'error') h.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => h.consoleErrors.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await fsp.mkdir(RESULTS_DIR, { recursive: true });
  await page.goto(url);
  h.close = async () => {
    await context.close().catch(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
    await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  };
  return h as Harness;
}

/**
 * A screenshot of the whole screen: the window grows to fit the scrolling <main>, then shrinks back. Every screen
 * or dialog a test photographs is first checked with axe-core (a11y.ts): `axe: false` only for a half-drawn state.
 */
export async function shot(page: Page, name: string, opts: { full?: boolean; axe?: boolean } = {}): Promise<string> {
  if (opts.axe !== false) await axeCheck(page, name);
  const file = path.join(RESULTS_DIR, `${name}.png`);
  if (opts.full === false) {
    await page.screenshot({ path: file });
    return file;
  }
  const size = page.viewportSize() ?? { width: 1360, height: 900 };
  const needed = await page.evaluate(() => {
    const main = document.querySelector('main');
    const header = document.querySelector('header');
    return (header?.getBoundingClientRect().height ?? 0) + (main?.scrollHeight ?? 0);
  });
  if (needed > size.height) await page.setViewportSize({ width: size.width, height: Math.min(needed, 6000) });
  await page.waitForTimeout(100);
  await page.screenshot({ path: file });
  if (needed > size.height) await page.setViewportSize(size);
  return file;
}
