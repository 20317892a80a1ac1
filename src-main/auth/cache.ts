// Where MSAL's token cache lives. A small interface so the desktop app can plug in an encrypted store
// (Electron safeStorage) while the CLI and tests keep it in memory. The serialized cache holds refresh
// tokens: implementations must never log it, print it or write it anywhere unencrypted and shared.
import { readFile, rm } from 'node:fs/promises';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { writeFileAtomic } from '../lib/atomic-file';

export interface TokenCacheStore {
  /** The serialized MSAL cache saved last, or null when nothing was saved. */
  load(): Promise<string | null>;
  save(data: string): Promise<void>;
  clear(): Promise<void>;
}

/** The default store: the cache lives only as long as this process. */
export class MemoryTokenCacheStore implements TokenCacheStore {
  private data: string | null = null;
  async load(): Promise<string | null> {
    return this.data;
  }
  async save(data: string): Promise<void> {
    this.data = data;
  }
  async clear(): Promise<void> {
    this.data = null;
  }
}

/** Adapts a TokenCacheStore to MSAL's ICachePlugin (load before each access, save after a change). */
export function cachePlugin(store: TokenCacheStore): ICachePlugin {
  return {
    async beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
      const data = await store.load();
      if (data !== null) ctx.tokenCache.deserialize(data);
    },
    async afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
      if (ctx.cacheHasChanged) await store.save(ctx.tokenCache.serialize());
    },
  };
}

/**
 * The CLI's store: MSAL's serialized cache in one file readable by this user only (0600 in a 0700 folder),
 * replaced atomically, as Azure CLI and CLI for Microsoft 365 keep theirs. It holds refresh tokens: never
 * printed or logged. `clear()` deletes the file.
 */
export class FileTokenCacheStore implements TokenCacheStore {
  constructor(readonly file: string) {}
  async load(): Promise<string | null> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
  async save(data: string): Promise<void> {
    await writeFileAtomic(this.file, data, { mode: 0o600, mkdir: { mode: 0o700 } });
  }
  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

/** The token cache file in a config folder. */
export function tokenCacheFile(configDir: string): string {
  return `${configDir.replace(/[\\/]+$/, '')}/msal-token-cache.json`;
}
