// Who may call the main process. Pure (no electron import) so it is unit-tested on plain Node.
//
// GitHub Desktop's idea: only the app's own pages may use IPC. Its weak spots we avoid: a prefix check on
// a file:// URL (any local file passes) and trusting sub-frames. Here the URL must be exactly our origin
// (app://ice, or the dev server's origin in development) and the sender must be the main frame of our
// own window (same webContents, same process and routing id).
import { APP_HOST, APP_SCHEME } from '../shared/csp';

export interface FrameLike {
  url: string;
  processId: number;
  routingId: number;
}

export interface TrustPolicy {
  /** Origin of the dev server (http://localhost:5173) when running `electron-vite dev`; undefined when packaged. */
  devOrigin?: string;
}

/** Is this URL one of the app's own pages? */
export function isAppUrl(raw: string, policy: TrustPolicy): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (policy.devOrigin) {
    let dev: URL;
    try {
      dev = new URL(policy.devOrigin);
    } catch {
      return false;
    }
    const loopback = dev.hostname === 'localhost' || dev.hostname === '127.0.0.1' || dev.hostname === '[::1]';
    return loopback && (dev.protocol === 'http:' || dev.protocol === 'https:') && url.origin === dev.origin;
  }
  return false;
}

/**
 * The sender check for every IPC call: `senderFrame` must exist, be the main frame of `mainFrame`'s
 * window (same process + routing id), and show one of our pages.
 */
export function isTrustedSender(
  senderFrame: FrameLike | null | undefined,
  mainFrame: FrameLike | null | undefined,
  policy: TrustPolicy,
): boolean {
  if (!senderFrame || !mainFrame) return false;
  if (senderFrame.processId !== mainFrame.processId || senderFrame.routingId !== mainFrame.routingId) return false;
  return isAppUrl(senderFrame.url, policy);
}
