// Export to a folder / removable drive: written, flushed, read back and verified before it gets its name;
// a full, read-only or failing drive gives a clear error and leaves nothing behind.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src-main/bundle/export';
import { verifyBundle } from '../../src-main/bundle/verify';
import { realFs, WriteError, type AtomicFs } from '../../src-main/lib/atomic-file';
import { saveSite } from '../../src-main/sites/store';
import { testKey, tmpDir, verifiedSite } from '../support/sites';
import type { SigningKey } from '../../src-main/bundle/keys';

let key: SigningKey;
let siteFile: string;

beforeAll(async () => {
  key = testKey();
  siteFile = path.join(await tmpDir('export-site'), 'contoso.json');
  await saveSite(siteFile, verifiedSite(), { exclusive: true });
});

async function rejection(p: Promise<unknown>): Promise<WriteError> {
  const e = await p.then(
    () => new Error('expected the export to fail'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WriteError);
  return e as WriteError;
}

describe('bundle export', () => {
  it('writes <site>.icesso into a folder, verified after reading it back, and never overwrites without force', async () => {
    const dir = await tmpDir('export');
    const r = await exportBundle(siteFile, dir, { key });
    expect(r.file).toBe(path.join(dir, 'Contoso-HQ.icesso'));
    expect(r.report.valid).toBe(true);
    expect(await fsp.readdir(dir)).toEqual(['Contoso-HQ.icesso']);
    const onDisk = await fsp.readFile(r.file);
    expect((await verifyBundle(onDisk, r.file, { publicKey: key.publicKey })).valid).toBe(true);
    const e = await rejection(exportBundle(siteFile, dir, { key }));
    expect(e.code).toBe('EEXIST');
    expect((await fsp.readFile(r.file)).equals(onDisk)).toBe(true);
    const again = await exportBundle(siteFile, r.file, { key, force: true, now: new Date('2027-01-01T00:00:00Z') });
    expect((await fsp.readFile(again.file)).equals(onDisk)).toBe(false);
    expect(await fsp.readdir(dir)).toEqual(['Contoso-HQ.icesso']);
  });

  const failing = (where: 'write' | 'open' | 'rename' | 'readback', code: string): AtomicFs => ({
    ...realFs,
    open: async (f, flags, mode) => {
      if (where === 'open') throw Object.assign(new Error(`${code}: open`), { code });
      const h = await realFs.open(f, flags, mode);
      return {
        write: async (data, off, len, pos) => {
          if (where !== 'write') return h.write(data, off, len, pos);
          await h.write(data, off, Math.min(len, 4096), pos);
          throw Object.assign(new Error(`${code}: write`), { code });
        },
        sync: () => h.sync(),
        close: () => h.close(),
      };
    },
    rename: async (a, b) => {
      if (where === 'rename') throw Object.assign(new Error(`${code}: rename`), { code });
      return realFs.rename(a, b);
    },
    link: async (a, b) => {
      if (where === 'rename') throw Object.assign(new Error(`${code}: link`), { code });
      return realFs.link(a, b);
    },
    readFile: async (f) => {
      const b = await realFs.readFile(f);
      if (where === 'readback') b[b.length >> 1]! ^= 0x10; // the drive returns other bytes than were written
      return b;
    },
  });

  it.each([
    ['write', 'ENOSPC', /drive is full \(ENOSPC\)/],
    ['write', 'EIO', /input\/output error \(EIO\)/],
    ['open', 'EACCES', /permission denied \(EACCES\)/],
    ['open', 'EROFS', /drive is read-only \(EROFS\)/],
    ['rename', 'EIO', /input\/output error/],
    ['readback', '', /read back from the drive differs/],
  ] as const)('a failing drive (%s %s) gives a clear error and leaves nothing behind', async (where, code, re) => {
    const dir = await tmpDir('export-fail');
    const e = await rejection(exportBundle(siteFile, dir, { key, fs: failing(where, code) }));
    expect(e.message).toMatch(re);
    expect(e.message).toContain(path.join(dir, 'Contoso-HQ.icesso'));
    expect(await fsp.readdir(dir)).toEqual([]);
  });

  describe('on a real small or read-only drive (tmpfs)', () => {
    const mounts: string[] = [];
    let why = '';
    const mount = async (opts: string): Promise<string | null> => {
      const dir = await tmpDir('tmpfs');
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'pipe' });
        mounts.push(dir);
        return dir;
      } catch (e) {
        why = `mount -t tmpfs is not permitted here (${String((e as { stderr?: Buffer }).stderr ?? e).trim()})`;
        return null;
      }
    };
    afterAll(() => {
      for (const m of mounts) execFileSync('umount', [m], { stdio: 'pipe' });
    });

    it('a full drive: ENOSPC, clear message, no partial file', async (ctx) => {
      const dir = await mount('size=16k,mode=0777');
      if (!dir) {
        console.warn(`tmpfs test skipped: ${why}`);
        ctx.skip(why);
        return;
      }
      await fsp.writeFile(path.join(dir, 'other.txt'), 'already on the stick');
      const e = await rejection(exportBundle(siteFile, dir, { key }));
      expect(e.code).toBe('ENOSPC');
      expect(e.message).toMatch(/the drive is full \(ENOSPC\)\. Free some space on .* or choose another folder; nothing was written\./);
      expect(await fsp.readdir(dir)).toEqual(['other.txt']);
    });

    it('a read-only drive: EROFS, clear message, nothing written', async (ctx) => {
      const dir = await mount('size=1m,ro');
      if (!dir) {
        console.warn(`tmpfs test skipped: ${why}`);
        ctx.skip(why);
        return;
      }
      const e = await rejection(exportBundle(siteFile, dir, { key }));
      expect(e.code).toBe('EROFS');
      expect(e.message).toMatch(/read-only/);
      expect(await fsp.readdir(dir)).toEqual([]);
    });

    it('a drive with room: the bundle lands whole and verifies', async (ctx) => {
      const dir = await mount('size=1m');
      if (!dir) {
        console.warn(`tmpfs test skipped: ${why}`);
        ctx.skip(why);
        return;
      }
      const r = await exportBundle(siteFile, dir, { key });
      expect((await verifyBundle(await fsp.readFile(r.file), r.file, { publicKey: key.publicKey })).valid).toBe(true);
      expect(await fsp.readdir(dir)).toEqual(['Contoso-HQ.icesso']);
    });
  });
});
