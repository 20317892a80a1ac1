// What electron-vite builds for the Electron side (after `npx electron-vite build`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const OUT = path.resolve(import.meta.dirname, '../../out');
const built = existsSync(path.join(OUT, 'main/index.js'));
if (!built) console.log('skipped: out/ is not built (run npx electron-vite build)');

describe.skipIf(!built)('electron-vite output', () => {
  it('builds the preload as CommonJS: a sandboxed preload cannot be an ES module', () => {
    const cjs = path.join(OUT, 'preload/index.cjs');
    expect(existsSync(cjs), 'out/preload/index.cjs (set the preload output format to cjs in electron.vite.config.ts)').toBe(true);
    const code = readFileSync(cjs, 'utf8');
    expect(code).toMatch(/require\("electron"\)/);
    expect(code).not.toMatch(/^import /m);
  });
  it('the built main process loads exactly that preload (no fallback to an ES-module one)', async () => {
    const { preloadPath } = await import('../../src-main/electron/preload-path');
    expect(preloadPath(path.join(OUT, 'main'))).toBe(path.join(OUT, 'preload/index.cjs'));
    const main = readFileSync(path.join(OUT, 'main/index.js'), 'utf8');
    expect(main).toMatch(/["']index\.cjs["']/);
    expect(main).not.toMatch(/index\.mjs/);
    expect(existsSync(path.join(OUT, 'preload/index.mjs'))).toBe(false);
  });
  it('the built page carries the CSP meta and loads no inline script', () => {
    const html = readFileSync(path.join(OUT, 'renderer/index.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"/);
    expect(html).toMatch(/script-src 'self'[;"]/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
