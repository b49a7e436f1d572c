import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { appHost, appScheme } from './app-origin.ts';
import { rendererSecurityHeaders } from './content-security-policy.ts';
import { resolveStaticFile } from './static/static-files.ts';

/**
 * Electron security checklist #18 "Avoid usage of the file:// protocol and prefer usage of
 * custom protocols". Must run before `app` is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: appScheme,
      // standard: relative URLs and storage (IndexedDB) work; secure: a secure context.
      // Deliberately NOT bypassCSP (our CSP must apply) and NOT corsEnabled (that would let
      // other origins read app:// responses without any Access-Control-Allow-Origin check).
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer on `app://megilance/`, with SPA fallback and our CSP. */
export function serveAppProtocol(options: { rendererDir: string; serverUrl: string }): void {
  const securityHeaders = rendererSecurityHeaders(options.serverUrl);
  const answer = (status: number, body: string | null, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { ...securityHeaders, ...headers } });

  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== appHost) return answer(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return answer(405, 'Method not allowed', { Allow: 'GET, HEAD' });
    }
    const found = await resolveStaticFile(options.rendererDir, url.pathname);
    switch (found.kind) {
      case 'bad-request':
        return answer(400, 'Bad request');
      case 'forbidden':
        return answer(403, 'Forbidden');
      case 'not-found':
        return answer(404, 'Not found');
      case 'file': {
        const headers = { 'Content-Type': found.contentType, 'Cache-Control': found.cacheControl };
        if (request.method === 'HEAD') return answer(200, null, headers);
        return new Response(await readFile(found.path), {
          status: 200,
          headers: { ...securityHeaders, ...headers },
        });
      }
    }
  });
}
