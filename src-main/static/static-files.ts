import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/** How the built renderer is served, shared by the `app://` protocol and the browser host. */

export type StaticLookup =
  | { kind: 'file'; path: string; contentType: string; cacheControl: string }
  | { kind: 'bad-request' }
  | { kind: 'forbidden' }
  | { kind: 'not-found' };

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path (still percent-encoded, as it came off the wire) to a file under `rootDir`.
 * Refuses anything that could step outside the root: `..` segments (also when encoded as
 * `%2e%2e` or hidden behind `%2f`), backslashes, NUL bytes, and symlinks that lead out.
 * A path that names no file and has no extension is a client-side route: index.html answers.
 */
export async function resolveStaticFile(rootDir: string, rawPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request' };
  }
  if (!decoded.startsWith('/')) return { kind: 'bad-request' };
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { kind: 'forbidden' };

  const root = resolve(rootDir);
  const candidate = join(root, ...segments);
  if (candidate !== root && !candidate.startsWith(root + sep)) return { kind: 'forbidden' };

  const file = await fileAt(root, candidate === root ? join(root, 'index.html') : candidate);
  if (file.kind === 'outside') return { kind: 'forbidden' };
  if (file.kind === 'file') return describe(file.path, segments[0] === 'assets');

  const last = segments.at(-1) ?? '';
  if (extname(last) !== '' || segments[0] === 'assets') return { kind: 'not-found' };
  const index = await fileAt(root, join(root, 'index.html'));
  return index.kind === 'file' ? describe(index.path, false) : { kind: 'not-found' };
}

type FileAt = { kind: 'file'; path: string } | { kind: 'none' } | { kind: 'outside' };

/** The real path of a regular file inside `root`; symlinks leading out are `outside`. */
async function fileAt(root: string, path: string): Promise<FileAt> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
    if (!realFile.startsWith(realRoot + sep)) return { kind: 'outside' };
    return (await stat(realFile)).isFile() ? { kind: 'file', path: realFile } : { kind: 'none' };
  } catch {
    return { kind: 'none' };
  }
}

function describe(path: string, hashedAsset: boolean): StaticLookup {
  return {
    kind: 'file',
    path,
    contentType: contentTypeFor(path),
    // Vite fingerprints everything under assets/; index.html must be revalidated to pick them up.
    cacheControl: hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}
