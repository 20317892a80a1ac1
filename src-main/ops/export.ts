// Export a site's signed bundle, for both front ends: refused (saying why) before a key is made or a passphrase
// asked for, then written to a folder or drive, read back and verified.
import { runForBundle } from '../bundle/build';
import { exportBundle, type ExportResult } from '../bundle/export';
import type { SigningKey } from '../bundle/keys';
import type { LoadedSite } from './site';

export interface ExportSiteOptions {
  /** The signing key, got only once the site is known to be exportable (it may create a key or ask for a passphrase). */
  key(): Promise<SigningKey>;
  createdBy?: string;
  force?: boolean;
}

export async function exportSiteBundle(site: LoadedSite, out: string, opts: ExportSiteOptions): Promise<ExportResult & { key: SigningKey }> {
  runForBundle(site.doc);
  const key = await opts.key();
  const r = await exportBundle(site.doc, out, { key, ...(opts.createdBy ? { createdBy: opts.createdBy } : {}), ...(opts.force ? { force: true } : {}) });
  return { ...r, key };
}
