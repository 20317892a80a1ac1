// Export a site's signed bundle, for both front ends: refused (saying why) before a key is made or a passphrase
// asked for (no values: bundle.refused; failing steps without the explicit choice: bundle.incomplete), then written
// to a folder or drive, read back and verified.
import { assertReady, runForBundle } from '../bundle/build';
import { exportBundle, type ExportResult } from '../bundle/export';
import type { SigningKey } from '../bundle/keys';
import type { LoadedSite } from './site';

export interface ExportSiteOptions {
  /** The signing key, got only once the site is known to be exportable (it may create a key or ask for a passphrase). */
  key(): Promise<SigningKey>;
  createdBy?: string;
  /** Replace an existing bundle of the same name. */
  force?: boolean;
  /** Export although steps fail (the bundle then says INCOMPLETE). */
  allowIncomplete?: boolean;
}

/** Throws BundleRefused (bundle.refused / bundle.incomplete) when the site cannot be exported as asked. */
export function checkExportable(site: LoadedSite, allowIncomplete: boolean): void {
  runForBundle(site.doc);
  assertReady(site.doc, allowIncomplete);
}

export async function exportSiteBundle(site: LoadedSite, out: string, opts: ExportSiteOptions): Promise<ExportResult & { key: SigningKey }> {
  checkExportable(site, !!opts.allowIncomplete);
  const key = await opts.key();
  const r = await exportBundle(site.doc, out, {
    key,
    ...(opts.createdBy ? { createdBy: opts.createdBy } : {}),
    ...(opts.force ? { force: true } : {}),
    ...(opts.allowIncomplete ? { allowIncomplete: true } : {}),
  });
  return { ...r, key };
}
