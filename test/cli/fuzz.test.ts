// Issue 8: fast-check fuzzing of what the CLI reads from files: site files, bundle archives, application JSON.
// Whatever the bytes, the CLI answers with an exit code from the documented set (README: sites 0/2, bundle export
// 0/1/2, bundle verify 0/1/2/4 (4: intact but UNTRUSTED), audit 0/1/2), a message, and never a crash or a stack trace.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../src-main/bundle/zip';
import { serializeSite } from '../../src-main/sites/store';
import { fixture } from '../support/fixtures';
import { tmpDir, verifiedSite } from '../support/sites';
import { cliIn } from '../support/cli';

const STACK = /\n\s+at .+[(:]\d+|internal error|Maximum call stack/;

let dir: string;
let cfg: string;
function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return cliIn(dir, cfg, argv);
}

function expectClean(r: { code: number; out: string; err: string }, codes: number[], what: string): void {
  expect(codes, `${what}: exit ${r.code}; ${r.err.slice(0, 400)}`).toContain(r.code);
  expect(r.err, what).not.toMatch(STACK);
  expect(r.out, what).not.toMatch(STACK);
  if (r.code !== 0) expect(`${r.err}${r.out}`.trim().length, what).toBeGreaterThan(0);
}

/** Text edits: replace a slice with random text, cut, duplicate a slice, nest deep. */
const textMutation = (base: string) =>
  fc.oneof(
    fc.tuple(fc.nat(base.length), fc.nat(40), fc.string({ maxLength: 20, unit: 'binary' })).map(([at, n, s]) => base.slice(0, at) + s + base.slice(at + n)),
    fc.nat(base.length).map((at) => base.slice(0, at)),
    fc.tuple(fc.nat(base.length), fc.nat(base.length)).map(([a, b]) => base.slice(0, Math.max(a, b)) + base.slice(Math.min(a, b))),
    fc.integer({ min: 60, max: 3000 }).map((n) => base.replace('"settings":', `"settings":${'{"a":'.repeat(n)}{}${'}'.repeat(n)},"s2":`)),
    fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  );

beforeAll(async () => {
  dir = await tmpDir('fuzz');
  cfg = await tmpDir('fuzz-cfg');
});

describe('fuzzing (fast-check)', () => {
  it('site files: sites show / bundle export never crash', async () => {
    const base = JSON.stringify(verifiedSite('Fuzz'));
    const doc = JSON.parse(base) as Record<string, unknown>;
    const fieldEdits = fc
      .tuple(fc.constantFrom(...Object.keys(doc), 'extra', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 4 }))
      .map(([k, v]) => JSON.stringify({ ...doc, [k]: v }).replace('"extra"', JSON.stringify(k)));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(textMutation(base), fieldEdits), async (text) => {
        const f = `site-${n++}.json`;
        await fsp.writeFile(path.join(dir, f), text);
        expectClean(await cli(['sites', 'show', f]), [0, 2], `sites show ${JSON.stringify(text.slice(0, 200))}`);
        expectClean(await cli(['bundle', 'export', '--site', f, '--out', path.join(dir, `out-${n}.icesso`)]), [0, 1, 2], `bundle export ${JSON.stringify(text.slice(0, 200))}`);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('bundle archives: bundle verify never crashes', async () => {
    await fsp.writeFile(path.join(dir, 'valid.json'), serializeSite(verifiedSite('Fuzz Bundle')));
    expect((await cli(['bundle', 'export', '--site', 'valid.json', '--out', 'valid.icesso'])).code).toBe(0);
    const bytes = await fsp.readFile(path.join(dir, 'valid.icesso'));
    const entries = readZip(bytes);
    const byteEdits = fc.oneof(
      fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
        const b = Buffer.from(bytes);
        for (const [at, v] of flips) b[at] = v;
        return b;
      }),
      fc.nat(bytes.length).map((at) => bytes.subarray(0, at)),
      fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(a)])),
    );
    // Re-packed archives with edited entries (valid ZIPs, wrong content): deep JSON, junk, dropped or extra files.
    const repacks = fc
      .tuple(
        fc.subarray(entries.map((e) => e.name)),
        fc.constantFrom(...entries.map((e) => e.name)),
        fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)), fc.integer({ min: 60, max: 5000 }).map((d) => '['.repeat(d) + ']'.repeat(d)), fc.string({ unit: 'binary', maxLength: 200 })),
      )
      .map(([keep, edit, content]) =>
        writeZip(entries.filter((e) => keep.includes(e.name) || e.name === edit).map((e) => ({ name: e.name, data: e.name === edit ? Buffer.from(content) : e.data }))),
      );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(byteEdits, repacks), async (b) => {
        const f = `b-${n++}.icesso`;
        await fsp.writeFile(path.join(dir, f), b);
        expectClean(await cli(['bundle', 'verify', f]), [1, 2, 4], `bundle verify (${b.length} bytes)`);
        expectClean(await cli(['bundle', 'show', f, '--json']), [1, 2, 4], `bundle show (${b.length} bytes)`);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('application JSON: audit never crashes', async () => {
    const app = JSON.stringify(fixture('compliant-application.json'));
    const obj = JSON.parse(app) as Record<string, unknown>;
    const fieldEdits = fc.tuple(fc.constantFrom(...Object.keys(obj)), fc.jsonValue({ maxDepth: 4 })).map(([k, v]) => JSON.stringify({ ...obj, [k]: v }));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(textMutation(app), fieldEdits, fc.jsonValue({ maxDepth: 8 }).map((v) => JSON.stringify(v))), async (text) => {
        const f = `app-${n++}.json`;
        await fsp.writeFile(path.join(dir, f), text);
        expectClean(await cli(['audit', '--app', f, '--host', 'ice.contoso.com']), [0, 1, 2], `audit ${JSON.stringify(text.slice(0, 200))}`);
        expectClean(await cli(['plan', '--app', f, '--host', 'ice.contoso.com', '--json']), [0, 2], `plan ${JSON.stringify(text.slice(0, 200))}`);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
