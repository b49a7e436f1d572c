import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The app's data folder when the host does not name one (the browser host, scripts, tests):
 * `MEGILANCE_DATA_DIR`, else the platform's per-user data folder, the same place Electron's
 * `userData` would be. Tests set `XDG_DATA_HOME` (or MEGILANCE_DATA_DIR) to a temp folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MEGILANCE_DATA_DIR) return env.MEGILANCE_DATA_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'MegiLance');
  if (process.platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', 'MegiLance');
  }
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'MegiLance');
}
