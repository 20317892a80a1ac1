// CLI entry point: `ice-sso <command> ...` once built (out/cli/ice-sso.mjs, scripts/build-cli.mjs), and
// `npm run --silent cli -- <command> ...` in a checkout (scripts/cli.mjs runs the same build).
import { main, reportFailure } from './main';
import { processIO } from './io';
import { quietOnClosedPipe } from './safe-io';

// `npm run cli` starts us in the package folder; file arguments are meant relative to where the
// engineer typed the command, which npm passes as INIT_CWD (only trusted for our own `cli` script:
// other npm scripts' children inherit INIT_CWD too).
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// `sites list | head -1`: the reader went away; end quietly with the command's exit code so far.
quietOnClosedPipe(process.stdout, () => process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0));

const io = processIO();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // main() reports every failure itself; this is the last resort (still: a code, never a stack).
    process.exitCode = reportFailure(e, io);
  },
);
