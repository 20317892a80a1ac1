// The built renderer (after `npx electron-vite build`): minified, and split so the shell loads first and each
// feature screen is its own chunk, fetched when it is first shown. `npm run bench` measures what that buys.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const OUT = path.resolve(import.meta.dirname, '../../out/renderer');
const built = existsSync(path.join(OUT, 'index.html'));
if (!built) console.log('skipped: out/renderer is not built (run npx electron-vite build)');

const SCREENS = ['SitesScreen', 'SetupScreen', 'SignInScreen', 'ChecklistScreen', 'ValuesScreen', 'ExportScreen', 'ReviewScreen'];

describe.skipIf(!built)('built renderer', () => {
  const assets = built ? readdirSync(path.join(OUT, 'assets')).filter((f) => f.endsWith('.js')) : [];
  const html = built ? readFileSync(path.join(OUT, 'index.html'), 'utf8') : '';
  const entry = /<script type="module"[^>]*src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1] ?? '';

  it('has one entry script, minified', () => {
    expect(entry).toMatch(/^index-.+\.js$/);
    const code = readFileSync(path.join(OUT, 'assets', entry), 'utf8');
    const lines = code.split('\n').length;
    expect(code.length / lines, 'average line length of a minified bundle').toBeGreaterThan(1000);
  });

  it('gives every feature screen its own chunk, loaded with import() from the shell, not with the entry; only the first screen (Sites) is preloaded', () => {
    for (const s of SCREENS) expect(assets.some((a) => a.startsWith(`${s}-`)), `${s} chunk`).toBe(true);
    const code = readFileSync(path.join(OUT, 'assets', entry), 'utf8');
    for (const s of SCREENS) {
      const chunk = assets.find((a) => a.startsWith(`${s}-`))!;
      // Referenced only as a dynamic import() by the entry, never a script of the page; the first screen is fetched
      // while the shell starts (modulepreload), the others when first shown.
      expect(code).toMatch(new RegExp(`import\\(.\\./${chunk.replace(/[.$-]/g, '\\$&')}.\\)`));
      expect(html).not.toMatch(new RegExp(`<script[^>]*${chunk.replace(/[.$-]/g, '\\$&')}`));
      if (s === 'SitesScreen') expect(html).toMatch(new RegExp(`rel="modulepreload"[^>]*href="\\./assets/${chunk.replace(/[.$-]/g, '\\$&')}"`));
      else expect(html).not.toContain(chunk);
    }
  });
});
