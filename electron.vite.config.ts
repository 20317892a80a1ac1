import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import griffel from '@griffel/vite-plugin';
import type { Plugin } from 'vite';
import { CHANNELS, EVENTS, EVENT_CHANNEL, INVOKE_CHANNEL } from './src-main/shared/ipc-contract';

/**
 * The preload needs only the contract's names (its allow-lists and the two IPC channel names), not its request
 * schemas: the contract module, as the preload imports it, is these names, taken from the contract itself at build
 * time. The preload's bundle drops zod (~10 KB gzip that the window would run before the page's first script).
 * A preload that imports anything else from the contract fails the build (missing export).
 */
function contractNamesForPreload(): Plugin {
  const contract = resolve(__dirname, 'src-main/shared/ipc-contract.ts');
  const id = '\0ice-ipc-contract-names';
  return {
    name: 'ice-preload-contract-names',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !source.includes('ipc-contract')) return null;
      const r = await this.resolve(source, importer, { skipSelf: true });
      return r?.id === contract ? id : null;
    },
    load(loading) {
      if (loading !== id) return null;
      const names = { CHANNELS, EVENTS, EVENT_CHANNEL, INVOKE_CHANNEL };
      return Object.entries(names)
        .map(([k, v]) => `export const ${k} = ${Array.isArray(v) ? `Object.freeze(${JSON.stringify(v)})` : JSON.stringify(v)};`)
        .join('\n');
    },
  };
}

// main and preload are Node/Electron bundles; the renderer is a plain React app.
// The core under src-main/ never imports 'electron' and is shared with the CLI.
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      // The sandboxed preload can require only 'electron': what it uses is bundled in, minified (it runs before the page).
      externalizeDeps: { exclude: ['zod'] },
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        // A sandboxed renderer can only load a CommonJS preload.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
    plugins: [contractNamesForPreload()],
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      // Minified, and split: the shell (React, Fluent's core, navigation) first, each feature screen its own chunk
      // loaded on first use (src-renderer/src/app/screens.ts). `npm run bench` measures the start-up.
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
        // Everything the first screen needs in one file (the shell, React, Fluent's part of it): one request instead of
        // ten, while main is also answering the preload's start-up requests.
        output: { codeSplitting: { groups: [{ name: 'startup', tags: ['$initial'] }] } },
      },
    },
    plugins: [react(), griffel({ include: [/src-renderer\/src\/.*\.tsx?$/] })],
  },
});
