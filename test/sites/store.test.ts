import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  createSite,
  deleteSite,
  duplicateSite,
  exportSite,
  importSite,
  listSites,
  listTrash,
  loadSite,
  renameSite,
  restoreSite,
  saveSite,
  SiteError,
} from '../../src-main/sites/store';
import { PAUSE_ENV, realFs, type AtomicFs } from '../../src-main/lib/atomic-file';
import { openSite, recordRun as recordOutcome } from '../../src-main/ops/site';
import { tmpDir, verifiedRun, verifiedSite, APP_ID, OBJECT_ID, TENANT } from '../support/sites';

const settings = { hosts: ['ice-dc1.contoso.com'] };

async function expectSiteError(p: Promise<unknown>, problem: string, text: RegExp): Promise<SiteError> {
  const e = await p.then(
    () => {
      throw new Error('expected a SiteError');
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SiteError);
  expect((e as SiteError).problem).toBe(problem);
  expect((e as SiteError).message).toMatch(text);
  return e as SiteError;
}

describe('saved sites', () => {
  it('creates, opens and saves a site; never overwrites on create; keeps the previous version as .bak', async () => {
    const dir = await tmpDir('sites');
    const file = path.join(dir, 'contoso.json');
    const created = await createSite(file, { name: 'Contoso HQ', settings, tenant: { domain: 'contoso.onmicrosoft.com' } });
    expect(created.schemaVersion).toBe(1);
    const { site } = await loadSite(file);
    expect(site).toEqual(created);
    await expectSiteError(createSite(file, { name: 'Other', settings }), 'exists', /already exists/);
    expect((await loadSite(file)).site.name).toBe('Contoso HQ');
    const first = await fsp.readFile(file, 'utf8');
    await saveSite(file, { ...site, name: 'Contoso Headquarters' });
    expect(await fsp.readFile(file + '.bak', 'utf8')).toBe(first);
    expect((await loadSite(file)).site.name).toBe('Contoso Headquarters');
    // nothing else left behind (no temp files)
    expect((await fsp.readdir(dir)).sort()).toEqual(['contoso.json', 'contoso.json.bak']);
  });

  it('refuses damaged and foreign files with the file and the problem, leaves them untouched, and still lists the others', async () => {
    const dir = await tmpDir('damaged');
    await createSite(path.join(dir, 'good.json'), { name: 'Good', settings });
    const good = await fsp.readFile(path.join(dir, 'good.json'), 'utf8');
    const cases: Record<string, [string, string, RegExp]> = {
      'cut.json': [good.slice(0, 120), 'not-json', /cut\.json: not JSON \(at offset \d+, line \d+, column \d+/],
      'empty.json': ['', 'empty', /empty\.json: the file is empty/],
      'graph-app.json': [JSON.stringify({ id: 'x', appId: 'y', displayName: 'An app' }), 'not-site', /graph-app\.json: not a site document/],
      'array.json': ['[1,2]', 'not-site', /not a site document/],
      'future.json': [good.replace('"schemaVersion": 1', '"schemaVersion": 7'), 'too-new', /future\.json: schema version 7 is newer than this tool reads \(up to 1\)/],
      'badfield.json': [good.replace(/"createdAt": "[^"]+"/, '"createdAt": "yesterday"'), 'invalid', /badfield\.json: invalid site document: field createdAt: /],
      'badhistory.json': [good.replace('"history": []', '"history": [{"kind":"verify"}]'), 'invalid', /field history\[0\]\.at/],
    };
    for (const [name, [text]] of Object.entries(cases)) await fsp.writeFile(path.join(dir, name), text);
    for (const [name, [text, problem, re]] of Object.entries(cases)) {
      await expectSiteError(loadSite(path.join(dir, name)), problem, re);
      expect(await fsp.readFile(path.join(dir, name), 'utf8')).toBe(text); // untouched
    }
    const list = await listSites(dir);
    expect(list).toHaveLength(Object.keys(cases).length + 1);
    const ok = list.filter((x) => x.ok);
    expect(ok.map((x) => path.basename(x.file))).toEqual(['good.json']);
    for (const x of list.filter((y) => !y.ok)) {
      if (x.ok) continue;
      expect(x.error).toContain(path.basename(x.file));
      expect(x.problem).toBe(cases[path.basename(x.file)]![1]);
    }
    // a damaged site can still be deleted to the trash and restored byte for byte
    const trashed = await deleteSite(path.join(dir, 'cut.json'));
    const back = await restoreSite(trashed);
    expect(await fsp.readFile(back, 'utf8')).toBe(cases['cut.json']![0]);
  });

  it('migrates the version 0 format forward; the file is rewritten only on save, the old one kept as .bak', async () => {
    const dir = await tmpDir('migrate');
    const file = path.join(dir, 'northwind.json');
    const v0 = await fsp.readFile(path.join(import.meta.dirname, 'fixtures/v0-site.json'), 'utf8');
    await fsp.writeFile(file, v0);
    const { site, migratedFrom } = await loadSite(file);
    expect(migratedFrom).toBe(0);
    expect(site.name).toBe('Northwind Traders DC');
    expect(site.tenant).toEqual({ id: '0b2c1d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e' });
    expect(site.app).toEqual({ objectId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', appId: '6f5e4d3c-2b1a-4c9d-8e7f-a0b1c2d3e4f5' });
    expect(site.history).toHaveLength(1);
    expect(site.lastResults['consent.admin-grant']).toMatchObject({ status: 'fail', at: '2026-10-02T08:15:00.000Z', kind: 'verify' });
    expect(site.createdAt).toBe('2026-10-02T08:15:00.000Z');
    expect(await fsp.readFile(file, 'utf8')).toBe(v0); // opening does not rewrite
    await saveSite(file, site);
    expect(JSON.parse(await fsp.readFile(file, 'utf8')).schemaVersion).toBe(1);
    expect(await fsp.readFile(file + '.bak', 'utf8')).toBe(v0);
    expect((await loadSite(file)).migratedFrom).toBeUndefined();
    // a broken v0 document names the problem
    await fsp.writeFile(file, JSON.stringify({ format: 'ice-sso-site', version: 0, settings: {} }));
    await expectSiteError(loadSite(file), 'invalid', /schema version 0 document is invalid: field site/);
  });

  it('a crash between the temp file fsync and the rename leaves the old version intact', async () => {
    const dir = await tmpDir('crash');
    const file = path.join(dir, 'site.json');
    await createSite(file, { name: 'Before', settings });
    const before = await fsp.readFile(file);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'save-child.ts'), file, 'After'], {
      env: { ...process.env, [PAUSE_ENV]: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child did not pause: ${err}`)), 20_000);
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('paused-before-rename')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`child exited early: ${err}`)));
    });
    const tmp = /paused-before-rename (.+)\n/.exec(err)![1]!;
    // the new version is fully on disk under the temp name...
    expect(JSON.parse(await fsp.readFile(tmp, 'utf8')).name).toBe('After');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // ...but the site file is the old one, byte for byte, and still opens
    expect((await fsp.readFile(file)).equals(before)).toBe(true);
    expect((await loadSite(file)).site.name).toBe('Before');
    const list = await listSites(dir);
    expect(list.map((x) => [path.basename(x.file), x.ok])).toEqual([['site.json', true]]);
    // and the next save works normally
    const { site } = await loadSite(file);
    await saveSite(file, { ...site, name: 'After' });
    expect((await loadSite(file)).site.name).toBe('After');
  }, 30_000);

  it('a full disk during save leaves the old version and no partial file', async () => {
    const dir = await tmpDir('full');
    const file = path.join(dir, 'site.json');
    await createSite(file, { name: 'Before', settings });
    const before = await fsp.readFile(file);
    const full: AtomicFs = {
      ...realFs,
      open: async (f, flags, mode) => {
        const h = await realFs.open(f, flags, mode);
        return {
          write: async (data, off, len, pos) => {
            await h.write(data, off, Math.min(len, 100), pos); // some bytes land, then the drive is full
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
          sync: () => h.sync(),
          close: () => h.close(),
        };
      },
    };
    const { site } = await loadSite(file);
    await expectSiteError(saveSite(file, { ...site, name: 'After' }, { fs: full }), 'write', /drive is full \(ENOSPC\)/);
    expect((await fsp.readFile(file)).equals(before)).toBe(true);
    expect(await fsp.readdir(dir)).toEqual(['site.json']);
  });

  it('renames, duplicates, deletes to .trash and restores, imports without overwriting, exports', async () => {
    const dir = await tmpDir('ops');
    const file = path.join(dir, 'a.json');
    await saveSite(file, verifiedSite('Alpha'), { exclusive: true });
    // rename in place, then to a new file
    await renameSite(file, 'Alpha Site');
    expect((await loadSite(file)).site.name).toBe('Alpha Site');
    const moved = await renameSite(file, 'Alpha Site', path.join(dir, 'alpha.json'));
    expect((await loadSite(moved)).site.history).toHaveLength(1);
    await expectSiteError(loadSite(file), 'unreadable', /no such file/);
    // duplicate: settings and tenant kept, state starts empty; never over an existing file
    const dup = await duplicateSite(moved, path.join(dir, 'beta.json'), 'Beta');
    expect(dup.settings).toEqual((await loadSite(moved)).site.settings);
    expect(dup.history).toEqual([]);
    expect(dup.app).toEqual({});
    await expectSiteError(duplicateSite(moved, path.join(dir, 'beta.json'), 'Beta'), 'exists', /already exists/);
    // delete goes to .trash, listing no longer shows it, restore brings it back
    const trashed = await deleteSite(path.join(dir, 'beta.json'));
    expect(path.dirname(trashed)).toBe(path.join(dir, '.trash'));
    expect((await listSites(dir)).map((x) => path.basename(x.file))).toEqual(['alpha.json']);
    const trash = await listTrash(dir);
    expect(trash.map((t) => t.originalName)).toContain('beta.json');
    const restored = await restoreSite(trash.find((t) => t.originalName === 'beta.json')!.trashFile);
    expect(restored).toBe(path.join(dir, 'beta.json'));
    expect((await loadSite(restored)).site.name).toBe('Beta');
    // import: validated, copied in under a free name
    const other = await tmpDir('import');
    const imp1 = await importSite(moved, other);
    const imp2 = await importSite(moved, other);
    expect(path.basename(imp1)).toBe('alpha.json');
    expect(path.basename(imp2)).toBe('alpha-2.json');
    const bad = path.join(dir, 'bad.json');
    await fsp.writeFile(bad, '{"format":"ice-sso-site","schemaVersion":1}');
    await expectSiteError(importSite(bad, other), 'invalid', /bad\.json: invalid site document/);
    expect((await fsp.readdir(other)).sort()).toEqual(['alpha-2.json', 'alpha.json']);
    // export: a validated copy, never over an existing file
    const out = path.join(other, 'exported.json');
    await exportSite(moved, out);
    expect((await loadSite(out)).site).toEqual((await loadSite(moved)).site);
    await expectSiteError(exportSite(moved, out), 'exists', /already exists/);
  });

  it('openSite gives verify/apply the settings and ids, and recordRun adds the run to the history', async () => {
    const dir = await tmpDir('run');
    const file = path.join(dir, 'site.json');
    const { run, settingsInput } = verifiedRun();
    await createSite(file, { name: 'Contoso', settings: settingsInput, tenant: { domain: 'contoso.onmicrosoft.com' } });
    const s = await openSite(file);
    expect(s.settingsInput).toEqual(settingsInput);
    expect(s.settings?.hosts).toEqual(['https://ice-dc1.contoso.com/sso', 'https://ice-dc2.contoso.com/sso']);
    expect(s.tenant).toBe('contoso.onmicrosoft.com');
    expect(s.hint).toEqual({});
    await recordOutcome(s, { ...run, kind: 'apply', app: { objectId: OBJECT_ID, appId: APP_ID, uniqueName: 'ice-sso-contoso' } });
    await recordOutcome(s, run);
    const { site } = await loadSite(file);
    expect(site.history.map((h) => h.kind)).toEqual(['apply', 'verify']);
    expect(site.tenant).toEqual({ id: TENANT, domain: 'contoso.onmicrosoft.com' });
    expect(site.app).toEqual({ objectId: OBJECT_ID, appId: APP_ID, uniqueName: 'ice-sso-contoso' });
    expect(site.lastResults['overview.values']).toMatchObject({ status: 'pass', kind: 'verify', at: run.at });
    expect((site.history[0] as { app?: object }).app).toEqual({ objectId: OBJECT_ID, appId: APP_ID });
    const again = await openSite(file);
    expect(again.tenant).toBe(TENANT);
    expect(again.hint).toEqual({ objectId: OBJECT_ID, appId: APP_ID, uniqueName: 'ice-sso-contoso' });
    expect(again.scopeId).toBeUndefined();
    await fsp.writeFile(file, '{"oops"');
    await expectSiteError(openSite(file), 'not-json', /site\.json: not JSON/);
  });

  it('openSite gives back the scope id an apply recorded, so a run resumed with --site alone keeps it', async () => {
    const dir = await tmpDir('run');
    const file = path.join(dir, 'site.json');
    const { run, settingsInput } = verifiedRun();
    await createSite(file, { name: 'Contoso', settings: settingsInput });
    const scopeId = '5f2d0c1e-7a3b-4c9d-8e6f-0a1b2c3d4e5f';
    await recordOutcome(await openSite(file), { ...run, kind: 'apply', app: { objectId: OBJECT_ID, appId: APP_ID, uniqueName: 'ice-sso-contoso' }, scopeId });
    const { site } = await loadSite(file);
    expect(site.app).toEqual({ objectId: OBJECT_ID, appId: APP_ID, uniqueName: 'ice-sso-contoso', scopeId });
    expect((site.history[0] as { app?: object }).app).toEqual({ objectId: OBJECT_ID, appId: APP_ID });
    const reopened = await openSite(file);
    expect(reopened.scopeId).toBe(scopeId);
    expect(reopened.hint).toEqual({ objectId: OBJECT_ID, appId: APP_ID, uniqueName: 'ice-sso-contoso' });
    // A later verify (no scope id in its run) keeps the recorded one.
    await recordOutcome(reopened, run);
    expect((await openSite(file)).scopeId).toBe(scopeId);
  });
});

describe('saved sites (property-based)', () => {
  it('whatever names and settings values, save then open gives back the same site', async () => {
    const fc = await import('fast-check');
    const { newSiteDocument } = await import('../../src-main/sites/store');
    const dir = await tmpDir('prop');
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown)),
        async (name, extra) => {
          const file = path.join(dir, `s${i++}.json`);
          const site = newSiteDocument({ name, settings: { hosts: ['ice.example.com'], ...extra } }, '2026-11-26T10:00:00.000Z');
          const saved = await saveSite(file, site, { now: '2026-11-26T10:00:00.000Z' });
          expect((await loadSite(file)).site).toEqual(saved);
          expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
