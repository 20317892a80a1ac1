// Accessibility check for every screen and dialog of the UI tests: axe-core (Deque's engine, the one browser
// dev tools and Lighthouse use) injected into the page. No critical or serious result may come from our own markup;
// results caused by Fluent UI's internals are listed below with the reason, and only those are let through.
// shot() in harness.ts runs it before every screenshot, so each screen a test looks at is checked.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;
const RESULTS_DIR = path.resolve(import.meta.dirname, '../../test-results');

interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * Serious results that come from Fluent UI v9's own internals, not from markup we write. Each entry names the rule,
 * how to recognise the element, and why it is not ours to fix.
 */
export const FLUENT_INTERNALS: ReadonlyArray<{ rule: string; match: (n: AxeNode) => boolean; reason: string }> = [
  {
    rule: 'aria-hidden-focus',
    match: (n) => /data-tabster-dummy/.test(n.html),
    reason:
      "Tabster's focus-trap sentinels (<i tabindex=0 aria-hidden data-tabster-dummy>) that Fluent's Dialog and focus " +
      'groups insert to keep Tab inside the surface; a screen reader never reaches them (they move focus on at once).',
  },
];

export interface AxeSummary {
  name: string;
  own: Array<{ rule: string; impact: string; target: string; html: string; help: string }>;
  allowed: Array<{ rule: string; target: string; reason: string }>;
}
const summaries: AxeSummary[] = [];

/** Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now; fails on critical/serious results of our own. */
export async function axeCheck(page: Page, name: string): Promise<AxeSummary> {
  // page.evaluate runs through the DevTools protocol: the app's CSP (script-src 'self') does not apply to it.
  // Let CSS transitions settle (a button fading to its enabled colour is measured mid-way otherwise); endless
  // animations (spinners) are left running.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  // A closing Fluent dialog leaves aria-hidden on the app root for a moment (Tabster lifts it after the exit
  // motion); give it up to 2 s. One that stays while no dialog is open is reported below like any other.
  await page
    .waitForFunction(() => !document.querySelector('#root[aria-hidden="true"]') || !!document.querySelector('[role="dialog"], [role="alertdialog"]'), undefined, { timeout: 2000 })
    .catch(() => undefined);
  const injected = await page.evaluate('typeof window.axe === "object"');
  if (!injected) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<Omit<AxeViolation, 'nodes'> & { nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }> }> }> } }).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })) }));
  });
  const summary: AxeSummary = { name, own: [], allowed: [] };
  for (const v of violations) {
    if (v.impact !== 'critical' && v.impact !== 'serious') continue;
    for (const n of v.nodes) {
      const known = FLUENT_INTERNALS.find((k) => k.rule === v.id && k.match(n));
      if (known) summary.allowed.push({ rule: v.id, target: n.target.join(' '), reason: known.reason });
      else summary.own.push({ rule: v.id, impact: v.impact, target: n.target.join(' '), html: n.html.slice(0, 200), help: `${v.help}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}` });
    }
  }
  summaries.push(summary);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `axe-${name.replace(/[^\w.-]+/g, '-')}.json`), JSON.stringify(summary, null, 2));
  expect(summary.own, `axe-core: critical/serious results on "${name}"`).toEqual([]);
  return summary;
}

/** Every check this test file ran (for a closing line). */
export function axeSummaries(): readonly AxeSummary[] {
  return summaries;
}
