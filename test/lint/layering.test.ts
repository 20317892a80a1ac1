// The layering of src-main (issue 12) is enforced by eslint's no-restricted-imports per folder
// (eslint.config.js): here each rule is shown to refuse an import across its line, to allow the ones along
// it. That the tree as it is has no violation is the `lint` step of `npm test` (eslint . --max-warnings=0).
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths';

const eslint = new ESLint({ cwd: ROOT });

/** The no-restricted-imports messages for `code` as if it were the file `file`. */
async function restricted(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath: path.join(ROOT, file) });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const REFUSED: Array<[string, string, RegExp]> = [
  ['src-main/core/probe.ts', "import { AppError } from '../lib/errors';", /core\/ is pure/],
  ['src-main/core/probe.ts', "import { loadSite } from '../sites/store';", /core\/ is pure/],
  ['src-main/shared/probe.ts', "import { audit } from '../core/audit';", /shared\/ compiles for the renderer/],
  ['src-main/shared/probe.ts', "import { AppError } from '../lib/errors';", /shared\/ compiles for the renderer/],
  ['src-main/lib/probe.ts', "import { audit } from '../core/audit';", /lib\/ holds utilities/],
  ['src-main/graph/probe.ts', "import { openSite } from '../ops/site';", /engine .* never import ops/],
  ['src-main/sites/probe.ts', "import { main } from '../cli/main';", /engine .* never import/],
  ['src-main/bundle/probe.ts', "import { dispatch } from '../app/dispatch';", /engine .* never import/],
  ['src-main/ops/probe.ts', "import { main } from '../cli/main';", /ops\/ is front-end neutral/],
  ['src-main/ops/probe.ts', "import { dispatch } from '../app/dispatch';", /ops\/ is front-end neutral/],
  ['src-main/cli/probe.ts', "import { createAppServices } from '../app/services';", /CLI and the app never import each other/],
  ['src-main/cli/commands/probe.ts', "import { dispatch } from '../../app/dispatch';", /CLI and the app never import each other/],
  ['src-main/app/probe.ts', "import { main } from '../cli/main';", /never import the CLI/],
  ['src-main/electron/probe.ts', "import { main } from '../cli/main';", /Electron glue never imports the CLI/],
  ['src-main/app/probe.ts', "import { app } from 'electron';", /keep Electron in src-main\/electron/],
  ['src-main/ops/probe.ts', "import { app } from 'electron';", /keep Electron in src-main\/electron/],
  ['src-renderer/src/probe.ts', "import { audit } from '../../src-main/core/audit';", /only through src-main\/shared/],
  ['src-renderer/src/probe.ts', "import type { StepStatus } from '../../src-main/core/types';", /only through src-main\/shared/],
  ['src-renderer/src/probe.ts', "import { dispatch } from '../../src-main/app/dispatch';", /only through src-main\/shared/],
];

const ALLOWED: Array<[string, string]> = [
  ['src-main/core/probe.ts', "import { audit } from './audit';"],
  ['src-main/shared/probe.ts', "import type { StepId } from '../core/types';"],
  ['src-main/lib/probe.ts', "import type { ErrorCode } from '../shared/errors';"],
  ['src-main/graph/probe.ts', "import { SignInError } from '../auth/errors';"],
  ['src-main/ops/probe.ts', "import { verify } from '../graph/engine';"],
  ['src-main/cli/probe.ts', "import { openSite } from '../ops/site';"],
  ['src-main/app/probe.ts', "import { openSite } from '../ops/site';"],
  ['src-main/electron/probe.ts', "import { dispatch } from '../app/dispatch';"],
  ['src-renderer/src/probe.ts', "import type { Result } from '../../src-main/shared/ipc-contract';"],
  ['src-renderer/src/probe.ts', "import { needsSignIn } from '../../src-main/shared/errors';"],
];

describe('layering (eslint no-restricted-imports per folder)', () => {
  it.each(REFUSED)('%s: refuses %s', async (file, code, message) => {
    const m = await restricted(file, code);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(message);
  });
  it.each(ALLOWED)('%s: allows %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
