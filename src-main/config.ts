import packageJson from '../package.json' with { type: 'json' };

export interface DesktopConfig {
  /** The sync server's base URL, without a trailing slash (`http://127.0.0.1:4780`). */
  serverUrl: string;
  /** Separates the sign-ins of several people (or test runs) sharing one OS account. */
  profile: string;
  version: string;
}

export const defaultServerUrl = 'http://127.0.0.1:4780';

/** Desktop settings from the environment; a bad value stops the start with a clear message. */
export function loadDesktopConfig(env: NodeJS.ProcessEnv = process.env): DesktopConfig {
  return {
    serverUrl: normalizeServerUrl(env.MEGILANCE_SERVER_URL || defaultServerUrl),
    profile: validateProfile(env.MEGILANCE_PROFILE || 'default'),
    version: packageJson.version,
  };
}

export function normalizeServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`MEGILANCE_SERVER_URL is not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`MEGILANCE_SERVER_URL must be http(s): ${raw}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`MEGILANCE_SERVER_URL must not carry credentials, a query or a fragment`);
  }
  // One spelling per server: the keychain account name is derived from it.
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function validateProfile(profile: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(profile)) {
    throw new Error(`MEGILANCE_PROFILE must be 1-64 letters, digits, "-" or "_": ${profile}`);
  }
  return profile;
}
