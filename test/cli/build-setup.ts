// vitest global setup: the child-process CLI tests run the built command (out/cli/ice-sso.mjs, the package's
// bin), so build it when it is missing or older than its sources (`npm test` has just built it; `--quick` may not have).
import { ensureCliBuilt } from '../../scripts/build-cli.mjs';

export default async function setup(): Promise<void> {
  await ensureCliBuilt();
}
