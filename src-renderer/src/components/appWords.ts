// A failure in the app's own words where main's message is phrased for the command line (it names a command or
// a flag). Chosen by the failure's code, never by reading its message.
import type { ErrorCode } from '../../../src-main/shared/ipc-contract';

const APP_WORDS: Partial<Record<ErrorCode, string>> = {
  'site.no-run': 'Nothing has been read from the tenant for this site yet, so the eight values are not known: Verify first (or Apply).',
};

export function inAppWords(failure: { code: ErrorCode; message: string }): string {
  return APP_WORDS[failure.code] ?? failure.message;
}
