// The main process refuses to start without the CommonJS preload (no fallback to a preload that cannot load).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preloadPath, StartupError } from '../../src-main/electron/preload-path';
import { tmpDirSync } from '../support/tmp';

function outDir(files: string[]): string {
  const out = tmpDirSync('out');
  mkdirSync(path.join(out, 'main'));
  mkdirSync(path.join(out, 'preload'));
  for (const f of files) writeFileSync(path.join(out, f), '');
  return out;
}

describe('preloadPath', () => {
  it('is out/preload/index.cjs beside out/main', () => {
    const out = outDir(['main/index.js', 'preload/index.cjs']);
    expect(preloadPath(path.join(out, 'main'))).toBe(path.join(out, 'preload', 'index.cjs'));
  });
  it('without index.cjs: a StartupError naming the file and the fix, even when an ES-module preload is there', () => {
    const out = outDir(['main/index.js', 'preload/index.mjs']);
    let err: unknown;
    try {
      preloadPath(path.join(out, 'main'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StartupError);
    const msg = (err as Error).message;
    expect(msg).toContain(path.join(out, 'preload', 'index.cjs'));
    expect(msg).toMatch(/is missing/);
    expect(msg).toMatch(/npx electron-vite build/);
    expect(msg).not.toMatch(/index\.mjs/);
  });
});
