// Who runs this program, for "made by" / "checked by" lines.
import os from 'node:os';

/** The operating-system account name, or 'unknown' where the platform cannot say (no passwd entry). */
export function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
