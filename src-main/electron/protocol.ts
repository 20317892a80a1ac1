// app://ice/... serves the built renderer (out/renderer) with the CSP and other headers. A custom standard
// scheme instead of file:// gives the pages a real origin, exact-origin IPC checks and response headers.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { APP_HOST, APP_RESPONSE_HEADERS } from '../shared/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** The file under `root` that an app:// URL names, or null (other host, traversal, odd characters). */
export function resolveAppFile(root: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const file = path.resolve(root, `.${rel}`);
  const base = path.resolve(root);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file;
}

/** The protocol handler body: a Response for a request to app://ice/... */
export async function serveAppRequest(root: string, rawUrl: string, method: string): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
  const file = resolveAppFile(root, rawUrl);
  if (!file) return new Response('Not found', { status: 404 });
  let body: Buffer;
  try {
    body = await fsp.readFile(file);
  } catch {
    return new Response('Not found', { status: 404 });
  }
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { 'Content-Type': type, 'Cache-Control': 'no-store', ...APP_RESPONSE_HEADERS },
  });
}
