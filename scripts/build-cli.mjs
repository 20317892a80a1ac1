#!/usr/bin/env node
// Builds the CLI (the `ice-sso` command) into out/cli/: src-main/cli/index.ts and everything it imports,
// dependencies included (MSAL, the Graph client, jose, zod), as ES modules split per command by esbuild.
// Each command is loaded with import() from the registry, so `help`, `audit`, `plan`, `sites` never parse
// MSAL or the Graph client, and `bundle` parses jose but not MSAL. No TypeScript is compiled at start.
//   node scripts/build-cli.mjs             build (what `npm ci`/`npm pack` run through `prepare`, and `npm test`)
//   node scripts/build-cli.mjs --if-stale  build only when a source file is newer than the last build
// Also importable: `ensureCliBuilt()` (the test setup, the bench and `npm run cli` use it).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'out', 'cli');
/** The command's entry: package.json "bin" points here. */
export const CLI_ENTRY = join(OUT_DIR, 'ice-sso.mjs');
/** What the last build read (file -> mtime) and its chunk graph; kept outside out/cli so it is not packed. */
export const BUILD_INFO = join(ROOT, 'out', 'cli-build.json');

const SHEBANG = '#!/usr/bin/env node\n';
// zod compiles a parser with new Function() the first time each object schema parses: a gain for a long-running
// process, a cost (about 6 ms of CPU for `bundle verify`) for a command that parses a few documents and exits. zod
// reads its global config from globalThis.__zod_globalConfig (shared by every copy of zod), so the entry sets
// `jitless` before any schema exists. Same results, no code generation.
const ENTRY_PRELUDE = 'globalThis.__zod_globalConfig ??= {}; globalThis.__zod_globalConfig.jitless ??= true;\n';
// Some dependencies (MSAL's jsonwebtoken, the Graph client) are CommonJS and require() Node's modules:
// give each ES-module chunk a real `require`.
const BANNER = "import { createRequire as __iceCreateRequire } from 'node:module'; const require = __iceCreateRequire(import.meta.url);";

/**
 * zod exports every locale of its error messages (`z.locales`, ~260 KB of the ~460 KB it adds to a command, each
 * parsed at start); the CLI speaks English, which zod configures by default, and never calls `z.locales` or
 * `z.config`. So the locale index resolves to English only: `audit` and `bundle verify` parse 40% less code.
 */
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};\n`,
      resolveDir: dirname(args.path),
    }));
  },
};

/** The inputs of the last build, if any, and whether one of them (or this script, or the lock file) changed since. */
export function cliBuildIsStale() {
  if (!existsSync(CLI_ENTRY) || !existsSync(BUILD_INFO)) return true;
  let info;
  try {
    info = JSON.parse(readFileSync(BUILD_INFO, 'utf8'));
  } catch {
    return true;
  }
  const files = [...Object.keys(info.inputs ?? {}), 'scripts/build-cli.mjs', 'package-lock.json'];
  for (const f of files) {
    try {
      if (statSync(join(ROOT, f)).mtimeMs >= info.startedAt) return true;
    } catch {
      return true; // an input was deleted or renamed
    }
  }
  for (const chunk of info.outputs ?? []) if (!existsSync(join(ROOT, chunk))) return true;
  return false;
}

/**
 * Builds out/cli. New chunks are written first, then the entry is renamed into place, then chunks no longer used
 * are removed: a CLI started meanwhile runs the old or the new build. `clean` empties out/cli first (prepare, npm test).
 */
export async function buildCli({ clean = true, quiet = false } = {}) {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { 'ice-sso': 'src-main/cli/index.ts' },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    // Smaller files parse faster; names are kept readable enough for error messages (classes set `name` themselves).
    minify: true,
    legalComments: 'none',
    banner: { js: BANNER },
    plugins: [englishOnlyZod],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  if (clean) rmSync(OUT_DIR, { recursive: true, force: true });
  const entryFile = resolve(CLI_ENTRY);
  let entryText;
  for (const f of result.outputFiles) {
    if (resolve(f.path) === entryFile) {
      entryText = SHEBANG + ENTRY_PRELUDE + f.text;
      continue;
    }
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
  }
  if (entryText === undefined) throw new Error('esbuild produced no out/cli/ice-sso.mjs');
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = `${CLI_ENTRY}.${process.pid}.tmp`;
  writeFileSync(tmp, entryText, { mode: 0o755 });
  renameSync(tmp, CLI_ENTRY);
  const written = new Set(result.outputFiles.map((f) => resolve(f.path)));
  const chunkDir = join(OUT_DIR, 'chunks');
  if (existsSync(chunkDir)) for (const f of readdirSync(chunkDir)) if (!written.has(resolve(chunkDir, f))) rmSync(join(chunkDir, f), { force: true });

  const inputs = {};
  for (const f of Object.keys(result.metafile.inputs)) if (!f.startsWith('<')) inputs[f] = 1;
  const outputs = {};
  for (const [file, o] of Object.entries(result.metafile.outputs)) {
    outputs[relative(ROOT, resolve(ROOT, file))] = {
      bytes: o.bytes,
      ...(o.entryPoint ? { entryPoint: o.entryPoint } : {}),
      imports: o.imports.filter((i) => !i.external).map((i) => ({ path: relative(ROOT, resolve(ROOT, i.path)), kind: i.kind })),
      inputs: Object.keys(o.inputs),
    };
  }
  writeFileSync(BUILD_INFO, `${JSON.stringify({ startedAt, inputs, outputs: Object.keys(outputs), chunks: outputs }, null, 1)}\n`);
  if (!quiet) {
    const total = Object.values(outputs).reduce((n, o) => n + o.bytes, 0);
    process.stdout.write(`CLI built: ${relative(ROOT, CLI_ENTRY)} and ${Object.keys(outputs).length - 1} chunks, ${(total / 1024).toFixed(0)} KiB, in ${Date.now() - startedAt} ms\n`);
  }
  return result;
}

/** Builds out/cli when it is missing or older than its sources (tests, bench, `npm run cli`). */
export async function ensureCliBuilt({ quiet = true } = {}) {
  if (cliBuildIsStale()) await buildCli({ clean: false, quiet });
  return CLI_ENTRY;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (process.argv.includes('--if-stale')) await ensureCliBuilt({ quiet: false });
    else await buildCli();
  } catch (e) {
    process.stderr.write(`CLI build failed: ${e?.message ?? e}\n`);
    process.exit(1);
  }
}
