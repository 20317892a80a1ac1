// The CLI keeps its sign-in between commands, as Azure CLI and CLI for Microsoft 365 do: MSAL's token cache in
// the config folder (ICE_SSO_CONFIG_DIR overrides), readable by this user only (0600 in a 0700 folder), plus a small
// index of which account signed in to which tenant with which client (no token in it). `--no-cache` keeps nothing.
import { readFile } from 'node:fs/promises';
import { FileTokenCacheStore, MemoryTokenCacheStore, tokenCacheFile, type TokenCacheStore } from '../auth/cache';
import { defaultConfigDir } from '../bundle/keys';
import { writeFileAtomic } from '../lib/atomic-file';

export interface CliSignInStore {
  cache: TokenCacheStore;
  /** The account that last signed in for this key (homeAccountId), if any. */
  account(key: string): Promise<string | undefined>;
  remember(key: string, homeAccountId: string): Promise<void>;
  forget(key?: string): Promise<void>;
  /** Where it is kept (null: memory only). */
  folder: string | null;
}

/** The index key: login host, tenant (as typed, lower case) and client id. */
export function signInKey(loginUrl: string, tenant: string, clientId: string): string {
  return `${new URL(loginUrl).host}|${tenant.trim().toLowerCase()}|${clientId.toLowerCase()}`;
}

function indexFile(dir: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/signins.json`;
}

async function readIndex(dir: string): Promise<Record<string, string>> {
  try {
    const v = JSON.parse(await readFile(indexFile(dir), 'utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

async function writeIndex(dir: string, index: Record<string, string>): Promise<void> {
  await writeFileAtomic(indexFile(dir), `${JSON.stringify(index, null, 2)}\n`, { mode: 0o600, mkdir: { mode: 0o700 } });
}

/** The store for a CLI run: the config folder's cache, or memory only with `noCache`. */
export function cliSignInStore(opts: { noCache: boolean; env?: Record<string, string | undefined> }): CliSignInStore {
  if (opts.noCache) {
    const index = new Map<string, string>();
    return {
      cache: new MemoryTokenCacheStore(),
      folder: null,
      account: async (k) => index.get(k),
      remember: async (k, v) => void index.set(k, v),
      forget: async (k) => void (k ? index.delete(k) : index.clear()),
    };
  }
  // The same config folder as the signing key and trusted clouds.
  const dir = defaultConfigDir(opts.env ?? process.env);
  return {
    cache: new FileTokenCacheStore(tokenCacheFile(dir)),
    folder: dir,
    account: async (k) => (await readIndex(dir))[k],
    async remember(k, v) {
      const index = await readIndex(dir);
      if (index[k] === v) return;
      index[k] = v;
      await writeIndex(dir, index);
    },
    async forget(k) {
      if (!k) {
        const { rm } = await import('node:fs/promises');
        await rm(indexFile(dir), { force: true });
        return;
      }
      const index = await readIndex(dir);
      if (!(k in index)) return;
      delete index[k];
      await writeIndex(dir, index);
    },
  };
}
