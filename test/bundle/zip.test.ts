// The bundle container is a plain ZIP that other tools open: Python's zipfile and Info-ZIP's unzip test it.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readZip, writeZip, ZipError } from '../../src-main/bundle/zip';
import { tmpDir } from '../support/sites';

const sample = () => [
  { name: 'summary.html', data: Buffer.from('<!doctype html><p>hello</p>') },
  { name: 'values.json', data: Buffer.from('{"a":1}\n') },
  { name: 'empty.txt', data: Buffer.alloc(0) },
];

describe('zip', () => {
  it('round-trips stored entries and refuses unsafe or duplicate names', () => {
    const z = writeZip(sample(), new Date('2026-11-26T14:10:00Z'));
    const back = readZip(z);
    expect(back.map((e) => [e.name, e.data.toString(), e.crcOk])).toEqual(sample().map((e) => [e.name, e.data.toString(), true]));
    for (const bad of ['../x', 'a/b', '.hidden', '', 'a\\b', 'x'.repeat(101)]) expect(() => writeZip([{ name: bad, data: Buffer.alloc(1) }])).toThrow(/invalid entry name/);
    expect(() => writeZip([...sample(), sample()[0]!])).toThrow(/duplicate entry/);
    expect(() => readZip(Buffer.from('PK\x03\x04 this is not the whole file'))).toThrow(ZipError);
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  it('opens in Python zipfile and Info-ZIP unzip (standard ZIP, stored)', async (ctx) => {
    if (!python) {
      console.warn('zip interop test skipped: python3 not found');
      ctx.skip('python3 not found');
      return;
    }
    const dir = await tmpDir('zip');
    const file = path.join(dir, 'x.icesso');
    await fsp.writeFile(file, writeZip(sample(), new Date('2026-11-26T14:10:00Z')));
    const py = spawnSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print([(i.filename,i.compress_type,i.file_size,i.date_time) for i in z.infolist()])', file], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(py.stdout.trim()).toBe("[('summary.html', 0, 27, (2026, 11, 26, 14, 10, 0)), ('values.json', 0, 8, (2026, 11, 26, 14, 10, 0)), ('empty.txt', 0, 0, (2026, 11, 26, 14, 10, 0))]");
    if (fs.existsSync('/usr/bin/unzip')) {
      const u = spawnSync('/usr/bin/unzip', ['-t', file], { encoding: 'utf8' });
      expect(u.status).toBe(0);
      expect(u.stdout).toMatch(/No errors detected/);
    }
  });
});
