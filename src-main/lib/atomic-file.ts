// Atomic file writes: the one way this code base replaces a user's file (saved sites, exported bundles,
// signing keys, the apply journal, encrypted secrets). Plain Node, no Electron.
//
// write temp (same directory) -> fsync(temp) -> [verify read-back] -> [copy old -> .bak] -> rename(temp, target) -> fsync(dir)
//
// A crash at any point leaves the target either the old version or the new one, never a mix.
// Every failure removes the temp file, so a full or read-only drive leaves nothing partial.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CodedError, ErrorInfo } from './errors';

/** The few file operations an atomic write needs; tests inject failing ones (ENOSPC, EROFS...). */
export interface AtomicFs {
  open(file: string, flags: string, mode?: number): Promise<AtomicHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  readFile(file: string): Promise<Buffer>;
  link(existing: string, created: string): Promise<void>;
}
export interface AtomicHandle {
  write(data: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export const realFs: AtomicFs = {
  open: (file, flags, mode) => fsp.open(file, flags, mode) as Promise<AtomicHandle>,
  rename: (a, b) => fsp.rename(a, b),
  unlink: (f) => fsp.unlink(f),
  copyFile: (a, b) => fsp.copyFile(a, b),
  readFile: (f) => fsp.readFile(f),
  link: (a, b) => fsp.link(a, b),
};

/** Env hook for crash tests: pause (forever) right after the temp file is fsynced, before the rename. */
export const PAUSE_ENV = 'ICE_SSO_TEST_PAUSE_BEFORE_RENAME';

export interface AtomicWriteOptions {
  fs?: AtomicFs;
  /** Keep the replaced version as `<file>.bak`. */
  backup?: boolean;
  /** Refuse when the target exists (no overwrite). */
  exclusive?: boolean;
  /** Check the temp file's bytes (read back) before it takes the final name; throw to abort. */
  verify?: (tempFile: string, bytes: Buffer) => Promise<void> | void;
  /** Permissions of the new file (default 0o644; secrets use 0o600). */
  mode?: number;
  /** Create the folder (and its parents) when missing, with this mode (e.g. 0o700 for private folders). */
  mkdir?: { mode?: number };
}

/** A write that failed with a reason a person can act on. `code` is the OS code (ENOSPC...) when there is one. */
export class WriteError extends Error implements CodedError {
  constructor(
    message: string,
    readonly file: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'WriteError';
  }

  errorInfo(): ErrorInfo {
    // The CLI replaces with --force; the app asks "Replace?" itself (it branches on the code).
    if (this.code === 'EEXIST') return { code: 'write.exists', message: this.message, todo: { cli: 'Add --force to replace it.', app: '' } };
    return { code: 'write.failed', message: this.message };
  }
}

export function describeFsError(err: unknown, file: string, action: string): WriteError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const dir = path.dirname(file);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new WriteError(`Cannot ${action} ${file}: the drive is full (${code}). Free some space on ${dir} or choose another folder; nothing was written.`, file, code);
    case 'EROFS':
      return new WriteError(`Cannot ${action} ${file}: the drive is read-only (EROFS). Unlock it (write-protect switch) or choose another folder; nothing was written.`, file, code);
    case 'EACCES':
    case 'EPERM':
      return new WriteError(`Cannot ${action} ${file}: permission denied (${code}) on ${dir}. Choose a folder you can write to; nothing was written.`, file, code);
    case 'ENOENT':
      return new WriteError(`Cannot ${action} ${file}: the folder ${dir} does not exist (ENOENT).`, file, code);
    case 'EEXIST':
      return new WriteError(`Cannot ${action} ${file}: a file with that name already exists; choose another name (nothing was overwritten).`, file, code);
    case 'EIO':
      return new WriteError(`Cannot ${action} ${file}: input/output error (EIO); the drive may have been removed. Nothing was written.`, file, code);
    default: {
      const msg = err instanceof Error ? err.message : String(err);
      return new WriteError(`Cannot ${action} ${file}: ${msg}`, file, code);
    }
  }
}

/** Why a file could not be read, in words (ENOENT -> "no such file"...). `folder` is said when it is a folder. */
export function readFailureReason(err: unknown, folder = 'it is a folder, not a file'): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return folder;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable. Not supported on every platform (Windows): best effort.
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(dir, 'r');
    await h.sync();
  } catch {
    /* EISDIR/EPERM on some platforms: the rename itself is still atomic */
  } finally {
    await h?.close().catch(() => undefined);
  }
}

/** Whether anything (file, folder, dangling link) has that name. */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}

export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${randomBytes(6).toString('hex')}`);
}

async function writeAll(fs: AtomicFs, file: string, data: Uint8Array, mode: number): Promise<void> {
  const h = await fs.open(file, 'wx', mode);
  try {
    let off = 0;
    while (off < data.length) {
      const { bytesWritten } = await h.write(data, off, data.length - off, off);
      if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
      off += bytesWritten;
    }
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Give `from` the name `to`, failing with EEXIST (never replacing) when `to` exists. link() refuses an
 * existing name even under a race; FAT/exFAT (most USB sticks) have no hard links, so there it falls back
 * to check-then-rename. Throws the raw OS error.
 */
export async function renameNoReplace(from: string, to: string, fs: AtomicFs = realFs): Promise<void> {
  try {
    await fs.link(from, to);
    await fs.unlink(from);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    if (await pathExists(to)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    await fs.rename(from, to);
  }
}

/**
 * Write `data` to `file` atomically. Throws WriteError with a clear reason; on any error the
 * temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string, opts: AtomicWriteOptions = {}): Promise<void> {
  const fs = opts.fs ?? realFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const dir = path.dirname(file);
  const tmp = tempNameFor(file);
  let tmpExists = false;
  try {
    if (opts.mkdir) await fsp.mkdir(dir, { recursive: true, ...(opts.mkdir.mode !== undefined ? { mode: opts.mkdir.mode } : {}) });
    if (opts.exclusive && (await pathExists(file))) {
      throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    }
    tmpExists = true;
    await writeAll(fs, tmp, bytes, opts.mode ?? 0o644);
    if (opts.verify) {
      const back = await fs.readFile(tmp);
      await opts.verify(tmp, back);
    }
    if (process.env[PAUSE_ENV] === '1') {
      process.stderr.write(`paused-before-rename ${tmp}\n`);
      await new Promise<void>(() => setInterval(() => undefined, 1 << 30));
    }
    if (opts.backup && (await pathExists(file))) {
      // Keep the previous version: copy to a temp, then rename over .bak (atomic too).
      const bakTmp = tempNameFor(file + '.bak');
      try {
        await fs.copyFile(file, bakTmp);
        const bh = await fs.open(bakTmp, 'r+');
        try {
          await bh.sync();
        } finally {
          await bh.close();
        }
        await fs.rename(bakTmp, file + '.bak');
      } catch (e) {
        await fs.unlink(bakTmp).catch(() => undefined);
        throw e;
      }
    }
    if (opts.exclusive) await renameNoReplace(tmp, file, fs);
    else await fs.rename(tmp, file);
    tmpExists = false;
    await fsyncDir(dir);
  } catch (e) {
    if (tmpExists) await fs.unlink(tmp).catch(() => undefined);
    if (e instanceof WriteError) throw e;
    throw describeFsError(e, file, 'write');
  }
}
