// Clouds from files are not trusted silently. A site file made elsewhere can name any login and Graph host: the
// assistant would then sign in there (and show whatever device code that host relays). The Microsoft clouds
// (global, US Gov, China) are trusted; any other authority from a site this machine did not create needs the
// user's explicit confirmation naming its hosts before the first sign-in. The confirmation is remembered on this
// machine (a small file in the config folder), never in the site file, so a file cannot vouch for itself.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { CLOUDS } from '../core/clouds';
import type { Cloud } from '../core/types';
import { writeFileAtomic } from '../lib/atomic-file';
import { AppError } from '../lib/errors';
import { parseJsonWithinLimits, readFileWithinLimit } from '../lib/input-limits';

export interface CloudHosts {
  /** The sign-in (authority) host, e.g. login.microsoftonline.com. */
  login: string;
  /** The Microsoft Graph host the token is sent to, e.g. graph.microsoft.com. */
  graph: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

export function cloudHosts(cloud: Pick<Cloud, 'loginUrl' | 'graphUrl'>): CloudHosts {
  return { login: hostOf(cloud.loginUrl), graph: hostOf(cloud.graphUrl) };
}

/** The name of the Microsoft cloud whose login AND Graph hosts these are (https), else null. */
export function microsoftCloudName(cloud: Pick<Cloud, 'loginUrl' | 'graphUrl'>): 'global' | 'usgov' | 'china' | null {
  const h = cloudHosts(cloud);
  const https = /^https:\/\//i.test(cloud.loginUrl) && /^https:\/\//i.test(cloud.graphUrl);
  for (const [name, c] of Object.entries(CLOUDS) as Array<['global' | 'usgov' | 'china', Cloud]>) {
    const m = cloudHosts(c);
    if (https && m.login === h.login && m.graph === h.graph) return name;
  }
  return null;
}

/** "login host X, Microsoft Graph host Y": how the hosts are named to the user everywhere. */
export function describeCloudHosts(cloud: Pick<Cloud, 'loginUrl' | 'graphUrl'>): string {
  const h = cloudHosts(cloud);
  return `sign-in host ${h.login}, Microsoft Graph host ${h.graph}`;
}

/** Sign-in was stopped before any request: the cloud came from a file and the user has not confirmed it. */
export class CloudNotTrustedError extends AppError {
  override name = 'CloudNotTrustedError';
  constructor(
    readonly hosts: CloudHosts,
    message: string,
  ) {
    super('cloud.untrusted', message);
  }
}

const storeSchema = z.object({
  format: z.literal('ice-sso-trusted-clouds'),
  clouds: z.array(z.object({ login: z.string(), graph: z.string(), at: z.string(), how: z.enum(['confirmed', 'created']) })).max(1000),
});
type StoreDoc = z.infer<typeof storeSchema>;

/** The clouds this machine trusts beyond Microsoft's: `<config folder>/trusted-clouds.json`. */
export class CloudTrustStore {
  readonly file: string;
  constructor(dir: string) {
    this.file = path.join(dir, 'trusted-clouds.json');
  }

  private async read(): Promise<StoreDoc> {
    try {
      const text = (await readFileWithinLimit(this.file)).toString('utf8');
      const r = storeSchema.safeParse(parseJsonWithinLimits(text, this.file));
      if (r.success) return r.data;
    } catch {
      /* missing or damaged: nothing is trusted (a damaged file never widens trust) */
    }
    return { format: 'ice-sso-trusted-clouds', clouds: [] };
  }

  async isTrusted(cloud: Pick<Cloud, 'loginUrl' | 'graphUrl'>): Promise<boolean> {
    if (microsoftCloudName(cloud)) return true;
    const h = cloudHosts(cloud);
    return (await this.read()).clouds.some((c) => c.login === h.login && c.graph === h.graph);
  }

  /** Remembers the cloud's hosts (no-op for Microsoft clouds and clouds already trusted). */
  async trust(cloud: Pick<Cloud, 'loginUrl' | 'graphUrl'>, how: 'confirmed' | 'created'): Promise<void> {
    if (await this.isTrusted(cloud)) return;
    const doc = await this.read();
    doc.clouds.push({ ...cloudHosts(cloud), at: new Date().toISOString(), how });
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(doc, null, 2)}\n`);
  }
}

export interface CloudTrustDecision {
  /** True when sign-in may go ahead. */
  trusted: boolean;
  /** Why: a Microsoft cloud, typed by the user now, remembered on this machine, or needing confirmation. */
  reason: 'microsoft' | 'typed' | 'remembered' | 'needs-confirmation';
  hosts: CloudHosts;
}

/**
 * Whether sign-in may reach this cloud. `fromFile`: the cloud came from a site file (not typed by the user in
 * this command or this machine's Setup). A Microsoft cloud, a typed cloud, or a remembered one: yes.
 */
export async function cloudTrust(cloud: Pick<Cloud, 'loginUrl' | 'graphUrl'>, fromFile: boolean, store: CloudTrustStore): Promise<CloudTrustDecision> {
  const hosts = cloudHosts(cloud);
  if (microsoftCloudName(cloud)) return { trusted: true, reason: 'microsoft', hosts };
  if (!fromFile) return { trusted: true, reason: 'typed', hosts };
  if (await store.isTrusted(cloud)) return { trusted: true, reason: 'remembered', hosts };
  return { trusted: false, reason: 'needs-confirmation', hosts };
}
