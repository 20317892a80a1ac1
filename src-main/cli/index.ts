// CLI entry point: `npm run --silent cli -- <command> ...` (tsx src-main/cli/index.ts).
import { main, reportFailure } from './main';
import { processIO } from './io';

// `npm run cli` starts us in the package folder; file arguments are meant relative to where the
// engineer typed the command, which npm passes as INIT_CWD (only trusted for our own `cli` script:
// other npm scripts' children inherit INIT_CWD too).
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

const io = processIO();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = reportFailure(e, io);
  },
);
