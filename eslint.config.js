import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// ---- layering (issue 12): imports only point down, and lint proves it ----
//   shared/   types and constants both processes compile: imports only shared/ and core/types
//   core/     pure logic: imports nothing of ours outside core/
//   lib/      small utilities: imports only lib/ and shared/
//   auth/ graph/ sites/ bundle/ server/   the engine: never ops/, cli/, app/, electron/
//   ops/      the operations both front ends run: never cli/, app/, electron/
//   cli/      the CLI adapter: never app/ or electron/      app/   the IPC adapter: never cli/ or electron/
//   electron/ the Electron glue: never cli/
//   src-renderer/   reaches main only through src-main/shared/
// The 'electron' package is banned everywhere in src-main but electron/ (the core runs on plain Node).
const ELECTRON_PACKAGE = { name: 'electron', message: 'The core runs on plain Node: keep Electron in src-main/electron/.' };
const up = (folders) => folders.flatMap((f) => [`../${f}`, `../${f}/*`, `../../${f}`, `../../${f}/*`]);
const layer = (files, groups) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [ELECTRON_PACKAGE],
        patterns: groups.map(([group, message]) => ({ group, message })),
      },
    ],
  },
});
const ENGINE = ['auth', 'graph', 'sites', 'bundle', 'server'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src-main/**/*.ts'], []),
  layer(['src-main/shared/**/*.ts'], [[[...up(['lib', 'ops', 'cli', 'app', 'electron', ...ENGINE]), '../core/*', '!../core/types'], 'shared/ compiles for the renderer too: import only shared/ and core/types.']]),
  layer(['src-main/core/**/*.ts'], [[['../*'], 'core/ is pure: it imports nothing of ours outside core/.']]),
  layer(['src-main/lib/**/*.ts'], [[['../*', '!../lib', '!../lib/*', '!../shared', '!../shared/*'], 'lib/ holds utilities: import only lib/ and shared/.']]),
  layer(
    ENGINE.map((f) => `src-main/${f}/**/*.ts`),
    [[up(['ops', 'cli', 'app', 'electron']), 'The engine (auth, graph, sites, bundle, server) is below the operations and the front ends: never import ops/, cli/, app/ or electron/.']],
  ),
  layer(['src-main/ops/**/*.ts'], [[up(['cli', 'app', 'electron']), 'ops/ is front-end neutral: never import cli/, app/ or electron/.']]),
  layer(['src-main/cli/**/*.ts'], [[up(['app', 'electron']), 'The CLI and the app never import each other: share code through ops/.']]),
  layer(['src-main/app/**/*.ts'], [[up(['cli', 'electron']), 'The app services never import the CLI (share code through ops/) nor the Electron glue.']]),
  {
    files: ['src-main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: up(['cli']), message: 'The Electron glue never imports the CLI.' }] }] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer has no Electron: it calls window.iceApi (src-renderer/src/api.ts).' }],
          patterns: [{ group: ['**/src-main/**', '!**/src-main/shared', '!**/src-main/shared/**'], message: 'The renderer reaches the main process only through src-main/shared/ (the IPC contract, error codes, catalog).' }],
        },
      ],
    },
  },
);
