// Which Chromium the UI tests drive: Playwright's own browser when it is installed, else Debian's
// /usr/bin/chromium, else CHROMIUM_PATH. Returns null (with the places tried) when there is none.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export interface ChromiumFound {
  path: string;
  source: 'playwright' | 'debian' | 'env';
}

export function findChromium(): ChromiumFound | { path: null; tried: string[] } {
  // (callers narrow with `'tried' in result`)
  const tried: string[] = [];
  try {
    const own = chromium.executablePath();
    tried.push(own);
    if (own && existsSync(own)) return { path: own, source: 'playwright' };
  } catch {
    tried.push('(playwright-core has no browser of its own)');
  }
  tried.push('/usr/bin/chromium');
  if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', source: 'debian' };
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    tried.push(env);
    if (existsSync(env)) return { path: env, source: 'env' };
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
