// Which Chromium the UI tests drive — the one lookup, shared by scripts/test.mjs (plain Node) and the tests
// (types in chromium.d.mts): CHROMIUM_PATH when set, else Playwright's own browser when installed, else the
// system's (Debian: /usr/bin/chromium).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** @returns {{ path: string, source: 'env' | 'playwright' | 'system' } | { path: null, tried: string[] }} */
export function findChromium(env = process.env) {
  const tried = [];
  if (env.CHROMIUM_PATH) {
    tried.push(env.CHROMIUM_PATH);
    if (existsSync(env.CHROMIUM_PATH)) return { path: env.CHROMIUM_PATH, source: 'env' };
  }
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    const own = chromium.executablePath();
    tried.push(own);
    if (own && existsSync(own)) return { path: own, source: 'playwright' };
  } catch {
    tried.push('(playwright-core has no browser of its own)');
  }
  for (const p of SYSTEM_PATHS) {
    tried.push(p);
    if (existsSync(p)) return { path: p, source: 'system' };
  }
  return { path: null, tried };
}

/** Flags for a headless run on a machine with a closed network (no Google lookups, no sandbox as root). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
