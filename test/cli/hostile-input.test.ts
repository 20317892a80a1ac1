// Issue 8: hostile files at the CLI: limits (size, depth) refused at load with exit 2 and a message naming the
// file and the limit, never a stack trace; unknown top-level site fields survive a save; Windows-reserved and
// trailing-dot names get safe file names; a closed stdout pipe ends the CLI quietly.
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { slugFor } from '../../src-main/app/sites-service';
import { bundleFileName } from '../../src-main/bundle/build';
import { MAX_INPUT_BYTES } from '../../src-main/lib/input-limits';
import { serializeSite } from '../../src-main/sites/store';
import { tmpDir, verifiedSite } from '../support/sites';
import { CLI_ENTRY } from '../../scripts/build-cli.mjs';
import { ROOT } from '../support/paths';
import { cliIn } from '../support/cli';

const STACK = /\n\s+at .+[(:]\d+|RangeError|TypeError|SyntaxError: /;

/** The CLI in-process in `cwd`, its config folder inside it. */
function cli(cwd: string, argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  return cliIn(cwd, path.join(cwd, '.cfg'), argv, { stdin });
}

const deep = (n: number, inner = '{}') => '{"a":'.repeat(n) + inner + '}'.repeat(n);

describe('limits on every file the CLI reads', () => {
  it('a 5,000-deep site file: exit 2 naming the file and the limit (bundle export, sites show, verify --site, server-check)', async () => {
    const dir = await tmpDir('deep');
    // Built as text: the test itself must not recurse 5,000 deep.
    const text = JSON.stringify(verifiedSite()).replace('"settings":{', `"settings":{"x":${deep(5000)},`);
    expect(text).toContain('{"a":{"a":');
    await fsp.writeFile(path.join(dir, 'deep.json'), text);
    for (const argv of [
      ['bundle', 'export', '--site', 'deep.json', '--out', '.'],
      ['sites', 'show', 'deep.json'],
      ['verify', '--site', 'deep.json'],
      ['server-check', '--site', 'deep.json'],
    ]) {
      const r = await cli(dir, argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/deep\.json: the JSON nests more than 64 levels deep/);
      expect(r.err).not.toMatch(STACK);
    }
    expect(await fsp.readFile(path.join(dir, 'deep.json'), 'utf8')).toBe(text); // untouched
    const list = await cli(dir, ['sites', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ ok: false, error: expect.stringMatching(/nests more than 64/) })]);
  });

  it('a site file over 5 MB is refused from its size, without reading it', async () => {
    const dir = await tmpDir('big');
    const doc = JSON.parse(serializeSite(verifiedSite())) as Record<string, unknown>;
    await fsp.writeFile(path.join(dir, 'big.json'), JSON.stringify({ ...doc, pad: 'x'.repeat(MAX_INPUT_BYTES) }));
    const t0 = Date.now();
    const r = await cli(dir, ['bundle', 'export', '--site', 'big.json', '--out', '.']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/big\.json: 5,2\d\d,\d\d\d bytes, the limit of 5 MB \(5,242,880 bytes\)/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('application JSON (file or stdin) and bundles: the same limits, exit 2', async () => {
    const dir = await tmpDir('app-limits');
    await fsp.writeFile(path.join(dir, 'app.json'), deep(200, '{"appId":"x"}'));
    let r = await cli(dir, ['audit', '--app', 'app.json', '--host', 'ice.contoso.com']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--app app\.json: the JSON nests more than 64 levels/);
    r = await cli(dir, ['audit', '--app', '-', '--host', 'ice.contoso.com'], `[${' '.repeat(MAX_INPUT_BYTES)}]`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/standard input: .*the limit of 5 MB/);
    r = await cli(dir, ['plan', '--app', 'app.json', '--grants', 'app.json', '--host', 'ice.contoso.com']);
    expect(r.code).toBe(2);
    await fsp.writeFile(path.join(dir, 'big.icesso'), Buffer.alloc(MAX_INPUT_BYTES + 10));
    r = await cli(dir, ['bundle', 'verify', 'big.icesso']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/big\.icesso: .*the limit of 5 MB/);
    for (const x of [r.err, r.out]) expect(x).not.toMatch(STACK);
  });
});

describe('site files from a newer version', () => {
  it('unknown top-level fields survive a save (rename, a recorded run, import)', async () => {
    const dir = await tmpDir('future');
    const doc = JSON.parse(serializeSite(verifiedSite())) as Record<string, unknown>;
    const future = { version2Data: { keep: [1, 2, { deep: true }] }, notes: 'from a newer tool' };
    await fsp.writeFile(path.join(dir, 'site.json'), JSON.stringify({ ...doc, ...future }, null, 2));
    expect((await cli(dir, ['sites', 'rename', 'site.json', '--site-name', 'Renamed'])).code).toBe(0);
    const saved = JSON.parse(await fsp.readFile(path.join(dir, 'site.json'), 'utf8'));
    expect(saved).toMatchObject({ name: 'Renamed', ...future });
    const other = await tmpDir('future-import');
    expect((await cli(other, ['sites', 'import', path.join(dir, 'site.json')])).code).toBe(0);
    expect(JSON.parse(await fsp.readFile(path.join(other, 'site.json'), 'utf8'))).toMatchObject(future);
  });
});

describe('safe file names on every OS', () => {
  it('bundles, app sites and imports never get a reserved Windows name or a trailing dot/space', async () => {
    expect(bundleFileName('CON')).toBe('CON_.icesso');
    expect(bundleFileName('nul.')).toBe('nul_.icesso');
    expect(bundleFileName('Contoso HQ. ')).toBe('Contoso-HQ.icesso');
    expect(slugFor('NUL')).toBe('nul_');
    expect(slugFor('Com1')).toBe('com1_');
    const dir = await tmpDir('reserved');
    await fsp.writeFile(path.join(dir, 'site.json'), serializeSite(verifiedSite('AUX')));
    const r = await cli(dir, ['bundle', 'export', '--site', 'site.json', '--out', `${dir}${path.sep}`]);
    expect(r.code).toBe(0);
    expect(await fsp.readdir(dir)).toContain('AUX_.icesso');
    const src = await tmpDir('reserved-src');
    await fsp.writeFile(path.join(src, 'LPT1.json'), serializeSite(verifiedSite('Printer')));
    const to = await tmpDir('reserved-to');
    expect((await cli(to, ['sites', 'import', path.join(src, 'LPT1.json')])).code).toBe(0);
    expect((await fsp.readdir(to)).filter((f) => !f.startsWith('.'))).toEqual(['LPT1_.json']);
  });
});

describe('a closed stdout pipe', () => {
  it('`sites list | head -1`: the CLI ends quietly, no EPIPE stack trace', async () => {
    const dir = await tmpDir('epipe');
    const text = serializeSite(verifiedSite());
    await Promise.all(Array.from({ length: 60 }, (_, i) => fsp.writeFile(path.join(dir, `site-${String(i).padStart(3, '0')}.json`), text)));
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await new Promise<{ code: number | null; err: string }>((resolve, reject) => {
        const child = spawn('sh', ['-c', `"${process.execPath}" "${CLI_ENTRY}" sites list "${dir}" | head -1`], {
          cwd: ROOT,
          env: { ...process.env, ICE_SSO_CONFIG_DIR: path.join(dir, '.cfg') },
        });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.stdout.resume();
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, err }));
      });
      expect(r.err).not.toMatch(/EPIPE|Error|\n\s+at /);
      expect(r.code).toBe(0);
    }
  }, 60_000);
});
