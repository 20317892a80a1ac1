// Where MSAL's token cache lives. A small interface so the desktop app can plug in an encrypted store
// (Electron safeStorage) while the CLI and tests keep it in memory. The serialized cache holds refresh
// tokens: implementations must never log it, print it or write it anywhere unencrypted and shared.
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

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
