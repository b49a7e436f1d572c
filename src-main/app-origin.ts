/**
 * Where the UI lives in Electron: a privileged custom scheme rather than file://, so the page
 * has a real origin (IndexedDB, a CSP, same-origin checks) and no access to the file system.
 * Plain Node (no Electron import) so the URL rules can be checked anywhere.
 */
export const appScheme = 'app';
export const appHost = 'megilance';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/`;

/** True for URLs of our own UI (`app://megilance/…`), and nothing else. */
export function isAppUrl(raw: string): boolean {
  const url = parseUrl(raw);
  // Node gives non-special schemes an opaque origin ("null"), so compare scheme and host.
  return url !== null && url.protocol === `${appScheme}:` && url.host === appHost;
}

/**
 * Electron security checklist #15 "Do not use shell.openExternal with untrusted content":
 * only plain http(s) links with a host and no embedded credentials leave the app.
 */
export function isSafeExternalUrl(raw: string): boolean {
  const url = parseUrl(raw);
  if (url === null) return false;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  return url.hostname !== '' && url.username === '' && url.password === '';
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
