// Where the CLI logs the detail of an internal error: <config folder>/logs/cli.log (ICE_SSO_CONFIG_DIR overrides).
import path from 'node:path';
import { defaultConfigDir } from '../bundle/keys';
import { fileLog, type ErrorLog } from '../lib/log';

export function cliLog(env: Record<string, string | undefined>): ErrorLog {
  return fileLog(path.join(defaultConfigDir(env), 'logs', 'cli.log'));
}
