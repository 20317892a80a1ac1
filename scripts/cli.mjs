#!/usr/bin/env node
// `npm run --silent cli -- <command> ...`: runs the built command (out/cli/ice-sso.mjs, what `ice-sso` runs once
// installed), rebuilding it first when a source changed since the last build (esbuild, about half a second, once).
// So a checkout runs what ships, at the installed command's speed, and never a stale build.
import { pathToFileURL } from 'node:url';
import { cliBuildIsStale, CLI_ENTRY } from './build-cli.mjs';

if (cliBuildIsStale()) {
  try {
    const { buildCli } = await import('./build-cli.mjs');
    await buildCli({ clean: false, quiet: true });
  } catch (e) {
    process.stderr.write(`error: could not build the CLI (${e?.message ?? e}). Run \`npm ci\` in the repository, then try again.\n`);
    process.exit(3);
  }
}
// The entry reads process.argv.slice(2): the same arguments it gets as `ice-sso ...`.
await import(pathToFileURL(CLI_ENTRY).href);
