// CLI entry point: `npm run --silent cli -- <command> ...` (tsx src-main/cli/index.ts).
import { main } from './main';
import { processIO } from './io';

main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${String(e)}\n`);
    process.exitCode = 3;
  },
);
