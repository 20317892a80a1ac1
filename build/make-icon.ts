// Renders resources/icon.svg to resources/icon.png (512x512) with Chromium: `npx tsx build/make-icon.ts`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';

const root = path.resolve(import.meta.dirname, '..');
const found = findChromium();
if (!found.path) throw new Error('no Chromium: install Debian chromium or set CHROMIUM_PATH');
const browser = await chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
const svg = readFileSync(path.join(root, 'resources/icon.svg'), 'utf8');
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.screenshot({ path: path.join(root, 'resources/icon.png'), omitBackground: true });
await browser.close();
