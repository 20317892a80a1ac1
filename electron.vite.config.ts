import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The first screen (Sites) is a lazy chunk; without help the browser learns of it only once the shell has run.
 * This adds <link rel="modulepreload"> for it and the chunks it imports, so they download while the shell starts.
 */
function preloadFirstScreen(entry = 'src-renderer/src/features/sites/SitesScreen.tsx'): Plugin {
  return {
    name: 'ice-preload-first-screen',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle ?? {};
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const first = chunks.find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(entry));
        if (!first) return html;
        const files = new Set<string>();
        const visit = (name: string) => {
          if (files.has(name)) return;
          files.add(name);
          const c = chunks.find((x) => x.fileName === name);
          c?.imports.forEach(visit);
        };
        visit(first.fileName);
        const already = new Set([...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]));
        return [...files].filter((f) => !already.has(f)).map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const }));
      },
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
      // The sandboxed preload can require only 'electron': the contract's request schemas (zod/mini) are bundled in.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        // A sandboxed renderer can only load a CommonJS preload.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      // Minified, and split: the shell (React, Fluent's core, navigation) first, each feature screen its own chunk
      // loaded on first use (src-renderer/src/app/screens.ts). `npm run bench` measures the start-up.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
    plugins: [react(), preloadFirstScreen()],
  },
});
