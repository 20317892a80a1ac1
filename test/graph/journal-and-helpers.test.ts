import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rounds } from '../../src-main/graph/engine';
import { JournalError, readJournal, writeJournal, type Journal } from '../../src-main/graph/journal';
import { deriveUniqueName, odataString } from '../../src-main/graph/read';
import type { PlannedWrite } from '../../src-main/core/types';
import { tmpDir } from '../support/tmp';

const j: Journal = {
  version: 1,
  tenantId: 't',
  uniqueName: 'ice-sso-x-12345678',
  scopeId: 's',
  app: { objectId: 'o', appId: 'a' },
  completed: ['create-app'],
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  finished: false,
};

describe('journal', () => {
  it('round-trips and leaves no temp file behind', async () => {
    const dir = await tmpDir('journal');
    const f = path.join(dir, 'run.json');
    expect(await readJournal(f)).toBeNull();
    await writeJournal(f, j);
    await writeJournal(f, { ...j, completed: ['create-app', 'set-app-id-fields'] });
    expect((await readJournal(f))!.completed).toEqual(['create-app', 'set-app-id-fields']);
    expect(await readdir(dir)).toEqual(['run.json']);
  });
  it('creates a missing folder, keeps the journal private, and a failed write is a JournalError that names the file', async () => {
    const dir = await tmpDir('journal');
    const f = path.join(dir, 'runs', 'today', 'run.json');
    await writeJournal(f, j);
    expect((await readJournal(f))!.scopeId).toBe('s');
    expect((await stat(f)).mode & 0o077).toBe(0);
    const blocked = path.join(dir, 'blocked.json');
    await mkdir(blocked);
    await writeFile(path.join(blocked, 'x'), 'x');
    const err = await writeJournal(blocked, j).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(JournalError);
    expect((err as Error).message).toMatch(/^Cannot write .*blocked\.json: .*run apply again to resume/);
    expect((await readdir(dir)).sort()).toEqual(['blocked.json', 'runs']);
  });
  it('refuses a damaged or foreign file and leaves it untouched', async () => {
    const dir = await tmpDir('journal');
    const f = path.join(dir, 'bad.json');
    await writeFile(f, '{"version":1,');
    await expect(readJournal(f)).rejects.toThrow(JournalError);
    await expect(readJournal(f)).rejects.toThrow(/not valid JSON.*left untouched/);
    expect(await readFile(f, 'utf8')).toBe('{"version":1,');
    await writeFile(f, '{"steps":[]}');
    await expect(readJournal(f)).rejects.toThrow(/not an ICE SSO Assistant apply journal/);
  });
});

describe('uniqueName', () => {
  it('is stable, slugged and per tenant', () => {
    const a = deriveUniqueName('Instant Connect Enterprise (Prod)', '72f988bf-86f1-41af-91ab-2d7cd011db47');
    expect(a).toMatch(/^ice-sso-instant-connect-enterprise-prod-[0-9a-f]{8}$/);
    expect(deriveUniqueName('Instant Connect Enterprise (Prod)', '72F988BF-86F1-41AF-91AB-2D7CD011DB47')).toBe(a);
    expect(deriveUniqueName('Instant Connect Enterprise (Prod)', 'other')).not.toBe(a);
    expect(deriveUniqueName('Ünïcödé  ', 't')).toMatch(/^ice-sso-unicode-/);
    expect(deriveUniqueName('!!!', 't')).toMatch(/^ice-sso-app-/);
    expect(deriveUniqueName('x'.repeat(200), 't').length).toBeLessThanOrEqual(8 + 40 + 9);
  });
  it('quotes OData strings', () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
  });
});

describe('rounds', () => {
  const w = (key: string, dependsOn: string[] = []): PlannedWrite => ({ key, method: 'PATCH', path: '/x', dependsOn, steps: [], summary: key });
  it('groups independent writes and orders dependent ones', () => {
    const r = rounds([w('create-app'), w('set-app-id-fields', ['create-app']), w('create-service-principal', ['create-app']), w('admin-consent', ['create-service-principal'])]);
    expect(r.map((x) => x.map((y) => y.key))).toEqual([['create-app'], ['set-app-id-fields', 'create-service-principal'], ['admin-consent']]);
  });
  it('ignores dependencies outside the plan and refuses cycles', () => {
    expect(rounds([w('a', ['gone'])]).length).toBe(1);
    expect(() => rounds([w('a', ['b']), w('b', ['a'])])).toThrow(/cycle/);
  });
});
