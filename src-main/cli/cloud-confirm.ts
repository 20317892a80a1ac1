// The CLI's side of cloud trust (src-main/auth/cloud-trust.ts): a custom cloud named by a site file is signed in
// to only after a confirmation naming its hosts: a yes at a terminal, or --trust-cloud. Remembered per machine.
import { createInterface } from 'node:readline/promises';
import { CloudTrustStore, cloudTrust, describeCloudHosts, microsoftCloudName } from '../auth/cloud-trust';
import { defaultConfigDir } from '../bundle/keys';
import type { Cloud } from '../core/types';
import { safeLine } from '../lib/terminal-text';
import { UsageError } from './errors';
import type { CliIO } from './io';

export function cloudTrustStore(io: CliIO): CloudTrustStore {
  return new CloudTrustStore(defaultConfigDir(io.env));
}

/** Asks a yes/no question on the terminal (stderr + stdin); null when there is no terminal to ask at. */
export async function askAtTerminal(io: CliIO, question: string): Promise<boolean | null> {
  if (io.ask) return io.ask(question);
  if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const a = await rl.question(question);
    return /^\s*y(es)?\s*$/i.test(a);
  } finally {
    rl.close();
  }
}

/** One line for the sign-in: where it goes. */
export function signInLine(cloud: Cloud, tenant: string): string {
  const ms = microsoftCloudName(cloud);
  return `Signing in to tenant ${safeLine(tenant)}: ${describeCloudHosts(cloud)}${ms ? ` (Microsoft ${ms === 'global' ? 'global' : ms === 'usgov' ? 'US Gov' : 'China'} cloud)` : ' (not a Microsoft cloud)'}.\n`;
}

/**
 * Stops before any request to a cloud that came from a site file, is not Microsoft's, and was neither created
 * nor confirmed on this machine, unless the user confirms now (terminal) or passed --trust-cloud.
 */
export async function confirmCloud(io: CliIO, cloud: Cloud, opts: { fromFile: boolean; trustFlag: boolean; siteName?: string }): Promise<void> {
  const store = cloudTrustStore(io);
  const d = await cloudTrust(cloud, opts.fromFile, store);
  if (d.trusted) return;
  const where = describeCloudHosts(cloud);
  const site = opts.siteName ? `The site "${safeLine(opts.siteName)}"` : 'The site file';
  if (opts.trustFlag) {
    await store.trust(cloud, 'confirmed');
    io.stderr.write(`Trusting this cloud on this machine (--trust-cloud): ${where}. Remembered in ${store.file}.\n`);
    return;
  }
  const question =
    `${site} was not created on this machine and names a cloud that is not Microsoft's (global, US Gov, China):\n` +
    `  ${where}\n` +
    'Signing in sends your credentials and the tokens to those hosts. Trust them on this machine and sign in? [y/N] ';
  const yes = await askAtTerminal(io, question);
  if (yes === true) {
    await store.trust(cloud, 'confirmed');
    io.stderr.write(`Trusted on this machine (remembered in ${store.file}).\n`);
    return;
  }
  throw new UsageError(
    `${site} names a cloud that is not Microsoft's (${where}) and was not created on this machine: nothing was sent. ` +
      (yes === false ? 'You declined; ' : '') +
      'If you trust those hosts, run again at a terminal and answer yes, or add --trust-cloud (remembered on this machine).',
  );
}
