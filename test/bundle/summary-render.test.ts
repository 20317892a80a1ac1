// Renders summary.html (as extracted from a real bundle) in Debian's Chromium: screenshot for the eye
// (test-results/summary.png); a realistic bundle prints on exactly one A4 and one Letter page; long texts are
// never cut (they flow on), values break only after / . ? & = (never mid-word), and INCOMPLETE is on top.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { buildBundle } from '../../src-main/bundle/build';
import { readZip } from '../../src-main/bundle/zip';
import { testKey, verifiedSite } from '../support/sites';
import { applyRun } from '../../src-main/sites/store';
import type { StepResult } from '../../src-main/core/types';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.resolve('test-results');

function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

/** Where each value's rendered lines break: the character before each break. */
const BREAKS = `(() => [...document.querySelectorAll('code.v')].map((el) => {
  const text = el.textContent; const out = []; let top = null; let at = 0;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (let i = 0; i < n.length; i++, at++) {
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
      const rect = r.getClientRects()[0]; if (!rect) continue;
      if (top !== null && rect.top > top + 2) out.push(text.slice(Math.max(0, at - 12), at) + '|' + text.slice(at, at + 6));
      top = rect.top;
    }
  }
  return { text, breaks: out };
}))()`;

async function render(html: string, name: string, widths: number[] = []): Promise<{ a4: number; letter: number; requests: string[]; height: number; breaks: Array<{ width: number; text: string; breaks: string[] }>; text: string }> {
  await fsp.mkdir(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.html`);
  await fsp.writeFile(file, html);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
    const text = String(await page.evaluate('document.body.innerText'));
    const breaks: Array<{ width: number; text: string; breaks: string[] }> = [];
    for (const width of widths) {
      await page.setViewportSize({ width, height: 1000 });
      for (const v of (await page.evaluate(BREAKS)) as Array<{ text: string; breaks: string[] }>) breaks.push({ width, ...v });
    }
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 703, height: 971 }); // A4 width, Letter height, less the @page margins
    await page.screenshot({ path: path.join(OUT, `${name}-print.png`), fullPage: true });
    const a4 = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const letter = await page.pdf({ format: 'Letter', printBackground: true, preferCSSPageSize: true });
    await fsp.writeFile(path.join(OUT, `${name}.pdf`), a4);
    return { a4: pdfPageCount(a4), letter: pdfPageCount(letter), requests, height, breaks, text };
  } finally {
    await browser.close();
  }
}

function summaryOf(bytes: Buffer): string {
  const e = readZip(bytes).find((x) => x.name === 'summary.html');
  if (!e) throw new Error('no summary.html');
  return e.data.toString('utf8');
}

const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
function needChromium(ctx: { skip: (note?: string) => void }): void {
  if (!HAVE_CHROMIUM) {
    console.warn(`summary render test skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
    ctx.skip(`${CHROMIUM} is not installed`);
  }
}

describe('summary.html in Chromium', () => {
  it('renders the eight fields in ICE Desktop order and prints on one A4 and one Letter page, loading nothing', async (ctx) => {
    needChromium(ctx);
    const b = await buildBundle(verifiedSite(), { key: testKey(), createdBy: 'megan.bowen', now: new Date('2026-11-26T14:10:00Z') });
    const html = summaryOf(b.bytes);
    const r = await render(html, 'summary');
    expect(r.requests).toHaveLength(1); // the file itself, nothing else
    expect(r.a4).toBe(1);
    expect(r.letter).toBe(1);
  }, 60_000);

  it('never cuts a text: the longest texts a run can carry flow onto a second page in full, with no markdown marks', async (ctx) => {
    needChromium(ctx);
    const siteName = 'Fabrikam Regional Emergency Operations Center – North Campus (DC1/DC2)';
    const site = verifiedSite(siteName);
    const last = site.history.at(-1)!;
    const long = (s: StepResult): StepResult =>
      s.id === 'overview.values' ? s : { ...s, status: 'warn', found: `${s.found} ${'x'.repeat(200)} end-of-found-${s.id}`, fix: `${'Open the portal blade and change the setting as the guide says. '.repeat(4)}Then run \`verify --site FILE\` (end-of-fix-${s.id}).` };
    const worse = applyRun(site, { ...last, steps: last.steps.map(long) });
    const b = await buildBundle(worse, { key: testKey() });
    const r = await render(summaryOf(b.bytes), 'summary-long');
    expect(r.text).toContain(siteName);
    for (const st of last.steps.filter((x) => x.id !== 'overview.values')) {
      expect(r.text).toContain(`end-of-found-${st.id}`);
      expect(r.text).toContain(`verify --site FILE (end-of-fix-${st.id}).`);
    }
    expect(r.text).not.toContain('…');
    expect(r.text).not.toContain('`');
    expect(r.a4).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('values break only after / . ? & = (where a reader can copy them), never mid-word, at any width', async (ctx) => {
    needChromium(ctx);
    const b = await buildBundle(verifiedSite(), { key: testKey(), now: new Date('2026-11-26T14:10:00Z') });
    const r = await render(summaryOf(b.bytes), 'summary-narrow', [900, 560, 420]);
    expect(r.breaks.length).toBe(24); // eight values at three widths
    const all = r.breaks.flatMap((v) => v.breaks.map((x) => ({ width: v.width, x })));
    expect(all.length).toBeGreaterThan(0); // narrow widths do wrap the URLs...
    for (const { width, x } of all) expect(x, `break at ${width}px`).toMatch(/[/.?&=]\|/); // ...only after a separator
    // the scope never splits inside UserProfile.ReadWrite
    for (const v of r.breaks.filter((x) => x.text.endsWith('UserProfile.ReadWrite'))) expect(v.breaks.join()).not.toMatch(/UserProfile\.Read[A-Za-z]*\|[A-Za-z]/);
  }, 60_000);

  it('an INCOMPLETE bundle says so in a banner at the top', async (ctx) => {
    needChromium(ctx);
    // server check first (/sso-meta passes), then a verify that fails two steps: the /sso-meta evidence stays,
    // marked with its own run and time
    const site = verifiedSite('Fabrikam DC');
    const last = site.history.at(-1)!;
    const checked = applyRun(site, {
      ...last,
      kind: 'audit',
      at: '2026-11-27T09:15:00.000Z',
      steps: last.steps.map((s) => (s.id === 'server.sso-meta' ? { ...s, status: 'pass', found: 'ice-dc1.contoso.com and ice-dc2.contoso.com publish the eight values.', fix: '' } : s)),
    });
    const failing = applyRun(checked, {
      ...last,
      at: '2026-11-27T09:40:00.000Z',
      steps: last.steps.map((s) =>
        s.id === 'auth.spa-redirects'
          ? { ...s, status: 'fail', found: 'https://ice-dc2.contoso.com/sso is not a redirect URI of the single-page application.', fix: 'Add it under Authentication › Single-page application, or run `apply --site FILE`.' }
          : s.id === 'token.upn-claim'
            ? { ...s, status: 'fail', found: 'The access token carries no upn claim.', fix: 'Add the optional claim upn to the access token (Token configuration).' }
            : s,
      ),
    });
    const b = await buildBundle(failing, { key: testKey(), allowIncomplete: true, createdBy: 'megan.bowen', now: new Date('2026-11-27T09:45:00Z') });
    const r = await render(summaryOf(b.bytes), 'summary-incomplete');
    expect(r.text).toMatch(/server\.sso-meta · server check 2026-11-27 09:15 UTC/);
    expect(r.text.trimStart().startsWith('INCOMPLETE · 2 steps failed when this bundle was made: auth.spa-redirects, token.upn-claim.')).toBe(true);
    expect(r.requests).toHaveLength(1);
  }, 60_000);
});
