// Renders summary.html (as extracted from a real bundle) in Debian's Chromium: screenshot for the eye
// (test-results/summary.png), and the printed page count on A4 and Letter must be exactly one.
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

async function render(html: string, name: string): Promise<{ a4: number; letter: number; requests: string[]; height: number }> {
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
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 703, height: 971 }); // A4 width, Letter height, less the @page margins
    await page.screenshot({ path: path.join(OUT, `${name}-print.png`), fullPage: true });
    const a4 = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const letter = await page.pdf({ format: 'Letter', printBackground: true, preferCSSPageSize: true });
    await fsp.writeFile(path.join(OUT, `${name}.pdf`), a4);
    return { a4: pdfPageCount(a4), letter: pdfPageCount(letter), requests, height };
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

  it('still prints on one page with the longest texts a run can carry (failures with fixes, long site name)', async (ctx) => {
    needChromium(ctx);
    const site = verifiedSite('Fabrikam Regional Emergency Operations Center – North Campus (DC1/DC2)');
    const last = site.history.at(-1)!;
    const long = (s: StepResult): StepResult =>
      s.id === 'overview.values' ? s : { ...s, status: 'warn', found: `${s.found} ${'x'.repeat(200)}`, fix: 'Open the portal blade and change the setting as the guide says. '.repeat(4) };
    const worse = applyRun(site, { ...last, steps: last.steps.map(long) });
    const b = await buildBundle(worse, { key: testKey() });
    const r = await render(summaryOf(b.bytes), 'summary-long');
    expect(r.a4).toBe(1);
    expect(r.letter).toBe(1);
  }, 60_000);
});
