// "Prove sign-in" in a window of the app: the sign-in page runs in a separate browser window (the desktop app's
// BrowserWindow; Chromium driven by the tests), and this module watches that window's navigations. When the
// browser is about to go to the ICE app's native-client redirect URI (after the user signed in), the navigation is
// stopped and its address, which carries `code=` (or `error=`), is handed back: the same address a user would paste
// from the system browser. Plain TypeScript: nothing here imports Electron.
import { SignInError } from './errors';

/** One top-level navigation the window is about to make: a new page load, or a server redirect (3xx). */
export interface WindowNavigation {
  url: string;
  kind: 'navigate' | 'redirect';
}

/** What the capture needs from a browser window. The app adapts Electron's will-navigate / will-redirect to it. */
export interface SignInWindow {
  /** Called before each top-level navigation or redirect; calling prevent() stops it. */
  onNavigation(listener: (nav: WindowNavigation, prevent: () => void) => void): void;
  /** Called once when the window is gone (closed by the user, or by close()). */
  onClosed(listener: () => void): void;
  load(url: string): Promise<void>;
  close(): void;
}

export type ProofNavigationVerdict = 'capture' | 'allow' | 'block';

/** Same scheme, host, port and path as the redirect URI: query and fragment carry the answer. */
function isRedirectTarget(u: URL, redirect: URL): boolean {
  return u.protocol === redirect.protocol && u.host === redirect.host && u.pathname.replace(/\/+$/, '') === redirect.pathname.replace(/\/+$/, '');
}

/**
 * What the sign-in window may do with a navigation: `capture` the redirect to the native-client URI; `allow` other
 * https pages (Entra's sign-in pages, and a federated identity provider such as AD FS or Okta, which may live on
 * any host); `block` everything else (http, file:, data:, javascript:, custom schemes).
 */
export function classifyProofNavigation(url: string, redirectUri: string): ProofNavigationVerdict {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'block';
  }
  if (isRedirectTarget(u, new URL(redirectUri))) return 'capture';
  return u.protocol === 'https:' ? 'allow' : 'block';
}

export interface CaptureOptions {
  /** Gives up after this long (default 10 minutes: a user may need to find a test account's password). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Told about each navigation the window was not allowed to make (for a log line; never a token: no code there). */
  onBlocked?(url: string): void;
}

/**
 * Loads the authorize URL in the window and resolves with the address of the redirect to `redirectUri` (with its
 * `code=`/`error=` query), stopped before it loads. The window is closed afterwards in every case. Rejects with a
 * SignInError when the user closes the window, on timeout, or when `signal` aborts.
 */
export function captureSignInRedirect(win: SignInWindow, start: { url: string; redirectUri: string }, opts: CaptureOptions = {}): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      win.close();
    };
    const timer = setTimeout(
      () => finish(() => reject(new SignInError('expired', 'The sign-in window was open too long without finishing: start the proof again.'))),
      opts.timeoutMs ?? 10 * 60_000,
    );
    const onAbort = () => finish(() => reject(new SignInError('cancelled', 'The proof was cancelled.')));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    win.onNavigation((nav, prevent) => {
      if (settled) {
        prevent();
        return;
      }
      const verdict = classifyProofNavigation(nav.url, start.redirectUri);
      if (verdict === 'allow') return;
      prevent();
      if (verdict === 'capture') finish(() => resolve(nav.url));
      else opts.onBlocked?.(nav.url);
    });
    win.onClosed(() => finish(() => reject(new SignInError('cancelled', 'The sign-in window was closed before the sign-in finished: nothing was proved.'))));
    win.load(start.url).catch((e: unknown) => {
      // A load "fails" when the capture stopped it (ERR_ABORTED): only a failure before that counts.
      if (settled) return;
      finish(() => reject(new SignInError('network', `The sign-in page could not be loaded (${(e as Error).message.split('\n')[0]}): check the network, or use the system browser instead.`)));
    });
  });
}
