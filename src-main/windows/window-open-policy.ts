/**
 * What happens to a window a page asks for (`window.open`, `target=_blank`). Plain Node (no
 * Electron import) so the rule can be unit tested.
 *
 * - `allow-child`: a `blob:` URL made by our own UI (its origin is the app's), such as an
 *   invoice PDF fetched with the bearer token. The system browser cannot read this window's
 *   blobs, so it opens in a sandboxed child window of the app instead.
 * - `external`: a plain http(s) link, handed to the system browser (checklist #15).
 * - `deny`: anything else (other schemes, blobs of another origin, unparsable URLs).
 */
export type WindowOpenDecision = 'allow-child' | 'external' | 'deny';

export function windowOpenPolicy(raw: string, appOrigin: string): WindowOpenDecision {
  const url = parseUrl(raw);
  const app = parseUrl(appOrigin);
  if (url === null || app === null) return 'deny';
  if (url.protocol === 'blob:') {
    // A blob URL's origin is the URL after `blob:`. Node gives custom schemes an opaque
    // origin ("null"), so scheme and host are compared rather than `origin`.
    const inner = parseUrl(url.pathname);
    const own =
      inner !== null &&
      inner.protocol === app.protocol &&
      inner.host === app.host &&
      inner.username === '' &&
      inner.password === '';
    return own ? 'allow-child' : 'deny';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'deny';
  return url.hostname !== '' && url.username === '' && url.password === '' ? 'external' : 'deny';
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
