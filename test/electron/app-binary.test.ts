// The packaged app's security, in the real Electron binary (playwright-core's _electron). The binary
// cannot be downloaded here: set ELECTRON_OVERRIDE_DIST_PATH to a folder holding `electron` to run these.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElectronApplication, Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../../src-main/shared/csp';
import { tmpDirSync } from '../support/tmp';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const binary = dist ? path.join(dist, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron') : '';
const built = existsSync(path.join(ROOT, 'out/main/index.js'));
const skip = !dist ? 'no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH)' : !existsSync(binary) ? `no Electron binary at ${binary}` : !built ? 'out/ is not built: run npx electron-vite build' : null;
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(!!skip)('the Electron app', () => {
  let app: ElectronApplication;
  let page: Page;
  beforeAll(async () => {
    const { _electron } = await import('playwright-core');
    const tmp = tmpDirSync('electron');
    app = await _electron.launch({
      executablePath: binary,
      args: [ROOT, `--user-data-dir=${path.join(tmp, 'profile')}`, '--no-sandbox', '--disable-gpu'],
      env: { ...process.env, ICE_SSO_SITES_DIR: path.join(tmp, 'sites'), ELECTRON_RENDERER_URL: '' },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('loads the app from app://ice with the CSP as header and meta', async () => {
    expect(page.url()).toBe('app://ice/index.html');
    // The page runs in the browser: expressions as strings (this file compiles without the DOM library).
    const header = await page.evaluate(`fetch(location.href).then((r) => r.headers.get('content-security-policy'))`);
    expect(header).toBe(CONTENT_SECURITY_POLICY);
    const meta = await page.evaluate(`document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')`);
    expect(meta).toContain("script-src 'self'");
    const inline = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      return window.__inlineRan === true;
    })()`);
    expect(inline).toBe(false);
  });
  it('is sandboxed: no Node in the page, only window.iceApi {invoke, onEvent}', async () => {
    const r = await page.evaluate(`({
      require: typeof require,
      process: typeof process,
      api: Object.keys(window.iceApi).sort(),
      ipc: typeof window.ipcRenderer,
    })`);
    expect(r).toEqual({ require: 'undefined', process: 'undefined', api: ['invoke', 'onEvent'], ipc: 'undefined' });
    const info = (await page.evaluate(`window.iceApi.invoke('app.info', {})`)) as { version: string };
    expect(info.version).toMatch(/\d+\.\d+\.\d+/);
  });
  it('denies window.open and navigation away from the app', async () => {
    const opened = await page.evaluate(`window.open('https://example.com/') === null`);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
    await page.evaluate(`location.href = 'https://example.com/'`);
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://ice/index.html');
  });
  it('denies permission requests', async () => {
    const state = await page.evaluate(`navigator.permissions.query({ name: 'geolocation' }).then((p) => p.state)`);
    expect(state).not.toBe('granted');
  });
});
