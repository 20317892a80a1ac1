// Where the main process finds the preload bundle. No 'electron' import: unit-tested under plain Node.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The preload file name electron-vite writes (electron.vite.config.ts: preload output format cjs). */
export const PRELOAD_FILE = 'index.cjs';

/** The app cannot start: the message says what is missing and how to fix the build. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * The preload next to the built main process (`<out>/main/` -> `<out>/preload/index.cjs`). A sandboxed window
 * can only load a CommonJS preload, so there is no fallback: without it the app would open with no
 * window.iceApi at all. Throws StartupError when the file is missing.
 */
export function preloadPath(mainDir: string, exists: (file: string) => boolean = existsSync): string {
  const file = path.join(mainDir, '../preload', PRELOAD_FILE);
  if (exists(file)) return file;
  throw new StartupError(
    `The app's preload script ${file} is missing, so the window could not talk to the app. ` +
      'The build is incomplete: run `npx electron-vite build` (it writes out/preload/index.cjs), or reinstall the app.',
  );
}
