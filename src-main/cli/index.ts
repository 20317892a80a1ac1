// CLI entry point: `ice-sso <command> ...` once built (out/cli/ice-sso.mjs, scripts/build-cli.mjs), and
// `npm run --silent cli -- <command> ...` in a checkout (scripts/cli.mjs runs the same build).
import { main } from './main';
import { processIO } from './io';

// `npm run cli` starts us in the package folder; file arguments are meant relative to where the
// engineer typed the command, which npm passes as INIT_CWD (only trusted for our own `cli` script:
// other npm scripts' children inherit INIT_CWD too).
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${String(e)}\n`);
    process.exitCode = 3;
  },
);
