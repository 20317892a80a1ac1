// Export a site's bundle to a folder or removable drive: write a temp file in the target folder,
// flush it, read it back and verify it, and only then give it its name. A full or read-only drive
// gives a clear error and leaves no partial file behind.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic, WriteError, type AtomicFs } from '../lib/atomic-file';
import { AppError } from '../lib/errors';
import type { SiteDocument } from '../sites/schema';
import { loadSite } from '../sites/store';
import { buildBundle, type BuiltBundle } from './build';
import type { SigningKey } from './keys';
import { verifyBundle, type VerifyReport } from './verify';

export interface ExportOptions {
  key: SigningKey;
  /** Replace an existing bundle of the same name. */
  force?: boolean;
  /** Export although steps fail: the bundle says INCOMPLETE (the CLI's --allow-incomplete, the app's explicit choice). */
  allowIncomplete?: boolean;
  fs?: AtomicFs;
  createdBy?: string;
  now?: Date;
}

export interface ExportResult {
  file: string;
  bundle: BuiltBundle;
  report: VerifyReport;
}

export class OutPathError extends AppError {
  override name = 'OutPathError';
  constructor(message: string) {
    super('usage', message);
  }
}

/**
 * Where the bundle goes: `<out>/<site>.icesso` when `out` is an existing folder or ends with a separator
 * (the folder is made), `out` itself when it names a .icesso file. Anything else is refused: a name that is
 * neither is most likely a folder that is not there (an unmounted USB drive).
 */
export async function resolveOutPath(out: string, fileName: string): Promise<string> {
  if (out.endsWith('/') || out.endsWith(path.sep)) {
    await fsp.mkdir(out, { recursive: true });
    return path.join(out, fileName);
  }
  try {
    if ((await fsp.stat(out)).isDirectory()) return path.join(out, fileName);
  } catch {
    /* not there yet: a file name */
  }
  if (!out.toLowerCase().endsWith('.icesso')) {
    throw new OutPathError(`${out}: no such folder. Give an existing folder (the bundle is written inside it as ${fileName}), a new folder ending in "/", or a file name ending in .icesso.`);
  }
  return out;
}

/** The export's pre-flight for a file that already exists: the CLI needs --force, the app asks "Replace?". */
export async function existingBundle(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Bundle a site (its file, or the document already loaded from it) into `out`. */
export async function exportBundle(from: string | SiteDocument, out: string, opts: ExportOptions): Promise<ExportResult> {
  const site = typeof from === 'string' ? (await loadSite(from)).site : from;
  const bundle = await buildBundle(site, {
    key: opts.key,
    allowIncomplete: opts.allowIncomplete ?? false,
    ...(opts.createdBy ? { createdBy: opts.createdBy } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const file = await resolveOutPath(out, bundle.fileName);
  let report: VerifyReport | undefined;
  await writeFileAtomic(file, bundle.bytes, {
    exclusive: !opts.force,
    ...(opts.fs ? { fs: opts.fs } : {}),
    verify: async (tmp, back) => {
      if (!back.equals(bundle.bytes)) throw new WriteError(`Cannot write ${file}: the copy read back from the drive differs from what was written (faulty drive?); nothing was kept.`, file, 'EIO');
      report = await verifyBundle(back, tmp, { publicKey: opts.key.publicKey });
      if (!report.valid) throw new WriteError(`Cannot write ${file}: the copy read back does not verify (${report.problems.map((p) => p.message).join('; ')}); nothing was kept.`, file);
    },
  });
  return { file, bundle, report: report! };
}
