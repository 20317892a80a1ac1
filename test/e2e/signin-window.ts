// A SignInWindow (src-main/auth/proof-window.ts) backed by a Chromium page, for the tests: what the desktop app does
// with a BrowserWindow and its will-navigate / will-redirect events, done here with the DevTools protocol's Fetch
// domain, which pauses every top-level document request before it is sent (a redirect's follow-up request carries
// `redirectedRequestId`) and lets the test stop it (failRequest) or let it go (continueRequest).
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { SignInWindow, WindowNavigation } from '../../src-main/auth/proof-window';

export interface ChromiumSignInWindow extends SignInWindow {
  page: Page;
  /** Every top-level navigation seen, in order, with what happened to it. */
  seen: Array<WindowNavigation & { prevented: boolean }>;
  /** Resolves once the page exists and interception is on. */
  ready: Promise<void>;
}

export function chromiumSignInWindow(context: BrowserContext): ChromiumSignInWindow {
  const listeners: Array<(nav: WindowNavigation, prevent: () => void) => void> = [];
  const closed: Array<() => void> = [];
  const seen: ChromiumSignInWindow['seen'] = [];
  let page!: Page;
  let isClosed = false;
  const ready = (async () => {
    page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const tree = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const mainFrame = tree.frameTree.frame.id;
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', resourceType: 'Document', requestStage: 'Request' }] });
    cdp.on('Fetch.requestPaused', (e: { requestId: string; frameId: string; request: { url: string }; redirectedRequestId?: string }) => {
      let prevented = false;
      if (e.frameId === mainFrame) {
        const nav: WindowNavigation = { url: e.request.url, kind: e.redirectedRequestId ? 'redirect' : 'navigate' };
        for (const l of listeners) l(nav, () => (prevented = true));
        seen.push({ ...nav, prevented });
      }
      const done = prevented ? cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'Aborted' }) : cdp.send('Fetch.continueRequest', { requestId: e.requestId });
      done.catch(() => undefined);
    });
    page.on('close', () => {
      isClosed = true;
      for (const l of closed) l();
    });
  })();
  const win: ChromiumSignInWindow = {
    get page() {
      return page;
    },
    seen,
    ready,
    onNavigation(l) {
      listeners.push(l);
    },
    onClosed(l) {
      closed.push(l);
    },
    async load(url) {
      await ready;
      await page.goto(url);
    },
    close() {
      if (!isClosed) void ready.then(() => page.close()).catch(() => undefined);
    },
  };
  return win;
}

/** Waits until the window shows its sign-in page (the emulator's, shaped like Entra's). */
export async function signInPageShown(win: ChromiumSignInWindow): Promise<void> {
  await win.ready;
  await win.page.locator('input[name="login"]').waitFor();
}

/** The user signs in on that page, as on Entra's: account name, password, Sign in. */
export async function signInOnPage(win: ChromiumSignInWindow, upn: string): Promise<void> {
  await win.page.fill('input[name="login"]', upn);
  await win.page.fill('input[name="password"]', 'any password');
  await win.page.click('#idSIButton9');
}

/** Chromium flag trusting exactly the emulator's TLS certificate (by its public key) and nothing else. */
export function trustEmulatorArg(): string {
  const pem = readFileSync(path.resolve(import.meta.dirname, '../emulator/tls/server.pem'));
  const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(der).digest('base64')}`;
}
