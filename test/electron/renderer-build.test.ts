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

  it('gives every feature screen but the first its own chunk, loaded with import() when first shown; Sites starts with the shell', () => {
    const code = readFileSync(path.join(OUT, 'assets', entry), 'utf8');
    for (const s of SCREENS.filter((x) => x !== 'SitesScreen')) {
      const chunk = assets.find((a) => a.startsWith(`${s}-`));
      expect(chunk, `${s} chunk`).toBeTruthy();
      // Referenced only as a dynamic import() by the entry, never a script or a preload of the page.
      expect(code).toMatch(new RegExp(`import\\(.\\./${chunk!.replace(/[.$-]/g, '\\$&')}.\\)`));
      expect(html).not.toContain(chunk);
    }
    // The first screen is not lazy (a lazy first screen always suspends once, and React then holds its reveal back):
    // it is in what the page loads at start, the entry and its modulepreloads, and nothing import()s it.
    const startup = [entry, ...[...html.matchAll(/rel="modulepreload"[^>]*href="\.\/assets\/([^"]+)"/g)].map((m) => m[1]!)];
    const startupCode = startup.map((f) => readFileSync(path.join(OUT, 'assets', f), 'utf8')).join('\n');
    expect(startupCode).toMatch(/["'`]new-site["'`]/);
    expect(assets.some((a) => a.startsWith('SitesScreen-') && code.includes(`import("./${a}")`))).toBe(false);
  });
});
