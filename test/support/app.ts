// The app's services as main builds them, for tests that call them through dispatch: a temp sites/data folder,
// secrets in memory, dialogs answered from a queue the test fills (null when it is empty).
import path from 'node:path';
import { createAppServices, type AppServiceDeps } from '../../src-main/app/services';
import { memoryOnlyBox } from '../../src-main/app/secrets';

export interface TestServicesOptions {
  /** Answers for the open/save dialogs, taken in order (the array is read at each dialog, so a test may refill it). */
  answers?: Array<string | null>;
  emit?: AppServiceDeps['emit'];
  sitesDir?: string;
}

export function testAppServices(tmp: string, opts: TestServicesOptions = {}): ReturnType<typeof createAppServices> {
  const answers = opts.answers ?? [];
  return createAppServices({
    sitesDir: opts.sitesDir ?? path.join(tmp, 'sites'),
    dataDir: path.join(tmp, 'data'),
    secretBox: memoryOnlyBox,
    version: '1.2.3',
    platform: 'linux',
    emit: opts.emit ?? (() => undefined),
    dialogs: { openFile: async () => answers.shift() ?? null, saveFile: async () => answers.shift() ?? null },
    openExternal: async () => undefined,
    writeClipboard: () => undefined,
  });
}
