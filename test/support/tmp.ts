// Temp folders for tests (under the OS temp dir, prefixed ice-<what>-).
import { mkdtempSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export function tmpDir(what: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `ice-${what}-`));
}

export function tmpDirSync(what: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `ice-${what}-`));
}
