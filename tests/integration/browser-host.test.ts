import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import { startBrowserHost, type BrowserHost } from '../../src-main/browser-host/host.ts';
import { createMemoryKeychain } from '../../src-main/keychain/keychain.ts';
import { createMainServices } from '../../src-main/services.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The browser host over real HTTP, with the real handler map and session service behind it
 * and the real server behind those. Raw `node:http` requests, because fetch would normalise
 * `..` away and will not let us forge Host the way a DNS-rebinding page effectively does.
 */

const secret = 'TOP-SECRET-OUTSIDE-THE-RENDERER';
let workDir: string;
let rendererDir: string;
let server: TestServer;
let host: BrowserHost;
let port: number;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'megilance-host-'));
  rendererDir = join(workDir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>MegiLance</title><div id="root">INDEX-MARKER</div>',
  );
  await writeFile(join(rendererDir, 'assets', 'index-Bq3x9.js'), 'console.log("app");');
  await writeFile(join(rendererDir, 'assets', 'index-Zz81a.css'), 'body{margin:0}');
  await writeFile(join(rendererDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await mkdir(join(workDir, 'outside'));
  await writeFile(join(workDir, 'outside', 'secret.txt'), secret);
  await writeFile(join(workDir, 'secret.txt'), secret);
  await symlink(join(workDir, 'outside'), join(rendererDir, 'link-out'));

  server = await startTestServer();
  const { handlers } = await createMainServices({
    config: { serverUrl: server.baseUrl, profile: 'host-test', version: '0.0.0-test' },
    host: 'browser',
    log: { info: () => {}, warn: () => {}, error: () => {} },
    keychain: createMemoryKeychain(),
    deviceName: 'Browser host test',
    // Signing in opens the user's tracker journal: keep it out of the real data folder.
    dataDir: join(workDir, 'data'),
  });
  host = await startBrowserHost({ rendererDir, handlers });
  port = Number(new URL(host.url).port);
});

afterAll(async () => {
  await host?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => unknown;
}

/** One raw HTTP request: the path goes on the wire exactly as written. */
function raw(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bridgeHeaders = (extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/json',
  'X-MegiLance-Bridge': '1',
  Origin: host.url,
  ...extra,
});

const ipc = (channel: string, body?: unknown, headers: Record<string, string> = bridgeHeaders()) =>
  raw('POST', `/__megilance/ipc/${channel}`, {
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const uniqueEmail = (label: string) =>
  `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describe('browser host: static files', () => {
  it('serves index.html at / with a CSP and the other security headers', async () => {
    const answer = await raw('GET', '/');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.text).toContain('INDEX-MARKER');
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${server.baseUrl} ws://127.0.0.1:`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['cache-control']).toBe('no-cache');
  });

  it('serves assets with their content types, fingerprinted ones cached for good', async () => {
    const js = await raw('GET', '/assets/index-Bq3x9.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.text).toBe('console.log("app");');

    const css = await raw('GET', '/assets/index-Zz81a.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await raw('GET', '/favicon.svg?v=2');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
  });

  it('answers client-side routes with index.html (SPA fallback)', async () => {
    for (const path of ['/projects/42', '/settings/profile?tab=2', '/signin']) {
      const answer = await raw('GET', path);
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).toContain('INDEX-MARKER');
    }
  });

  it('does not pass index.html off as a missing file', async () => {
    expect((await raw('GET', '/assets/missing-123.js')).status).toBe(404);
    expect((await raw('GET', '/missing.png')).status).toBe(404);
  });

  it('refuses path traversal, however it is spelled', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../outside/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/outside/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/index.html%00.js',
      '/link-out/secret.txt', // a symlink that leads out of the root
    ];
    for (const path of attempts) {
      const answer = await raw('GET', path);
      expect(answer.status, path).toBe(403);
      expect(answer.text, path).not.toContain(secret);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await raw('HEAD', '/');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const post = await raw('POST', '/');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});

describe('browser host: the IPC bridge', () => {
  it('answers app.info with the handler result', async () => {
    const answer = await ipc('app.info');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.json()).toEqual({
      ok: true,
      value: {
        host: 'browser',
        version: '0.0.0-test',
        platform: process.platform,
        serverUrl: server.baseUrl,
        keychain: 'memory',
      },
    });
  });

  it('takes a JSON null body (what the renderer sends for no input) as no input', async () => {
    const answer = await ipc('app.info', null);
    expect(answer.json()).toMatchObject({ ok: true, value: { host: 'browser' } });
  });

  it('accepts a call without Origin and via localhost', async () => {
    const headers = { 'Content-Type': 'application/json', 'X-MegiLance-Bridge': '1' };
    expect((await ipc('app.info', undefined, headers)).json()).toMatchObject({ ok: true });
    const viaLocalhost = await ipc('app.info', undefined, {
      ...headers,
      Host: `localhost:${port}`,
      Origin: `http://localhost:${port}`,
    });
    expect(viaLocalhost.json()).toMatchObject({ ok: true });
  });

  it('signs up through the real session service, and no refresh token crosses', async () => {
    const email = uniqueEmail('bridge');
    const answer = await ipc('session.signUp', {
      email,
      password: 'correct horse battery staple',
      name: 'Bridge Person',
      role: 'client',
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ ok: true, value: { user: { email } } });
    expect(answer.text).not.toContain('refreshToken');
  });

  it('answers bad input with a 422 validation problem carrying JSON pointers', async () => {
    const answer = await ipc('session.signIn', { email: 'not-an-email', password: '' });
    expect(answer.status).toBe(200);
    const result = answer.json() as { ok: boolean; problem: Record<string, unknown> };
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ type: problemTypes.validation, status: 422 });
    expect(result.problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/email' }),
        expect.objectContaining({ pointer: '/password' }),
      ]),
    );
    const noInputWanted = await ipc('app.info', { unexpected: true });
    expect(noInputWanted.json()).toMatchObject({ ok: false, problem: { status: 422 } });
  });

  it('refuses a call without the X-MegiLance-Bridge header, before any handler runs', async () => {
    const email = uniqueEmail('no-header');
    const input = { email, password: 'correct horse battery staple', name: 'N H', role: 'client' };
    const answer = await ipc('session.signUp', input, {
      'Content-Type': 'application/json',
      Origin: host.url,
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.json()).toMatchObject({ type: problemTypes.forbidden, status: 403 });
    // The sign-up never happened: the same email is still free.
    expect((await ipc('session.signUp', input)).json()).toMatchObject({ ok: true });
  });

  it('refuses a call from a foreign Origin', async () => {
    const answer = await ipc(
      'app.info',
      undefined,
      bridgeHeaders({ Origin: 'https://evil.example' }),
    );
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ type: problemTypes.forbidden });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a foreign Host (DNS rebinding), for the bridge and for pages alike', async () => {
    const rebound = `evil.example:${port}`;
    const answer = await ipc(
      'app.info',
      undefined,
      bridgeHeaders({ Host: rebound, Origin: `http://${rebound}` }),
    );
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ type: problemTypes.forbidden });
    expect((await raw('GET', '/', { headers: { Host: rebound } })).status).toBe(403);
  });

  it('never grants a CORS preflight', async () => {
    const answer = await raw('OPTIONS', '/__megilance/ipc/app.info', {
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-megilance-bridge',
      },
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('answers transport errors as problem+json with their status', async () => {
    const unknown = await ipc('fs.readFile', {});
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toBe('application/problem+json');

    const malformed = await raw('POST', '/__megilance/ipc/session.signIn', {
      headers: bridgeHeaders(),
      body: '{"email":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ type: problemTypes.malformedJson });

    const notJson = await raw('POST', '/__megilance/ipc/session.signIn', {
      headers: bridgeHeaders({ 'Content-Type': 'text/plain' }),
      body: 'email=a',
    });
    expect(notJson.status).toBe(415);

    const wrongMethod = await raw('GET', '/__megilance/ipc/app.info', { headers: bridgeHeaders() });
    expect(wrongMethod.status).toBe(405);

    const tooLarge = await raw('POST', '/__megilance/ipc/session.signIn', {
      headers: bridgeHeaders(),
      body: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1_100_000) }),
    });
    expect(tooLarge.status).toBe(413);
  });

  it('will not bind to anything but loopback', async () => {
    const { handlers } = await createMainServices({
      config: { serverUrl: server.baseUrl, profile: 'x', version: '0' },
      host: 'browser',
      log: { info: () => {}, warn: () => {}, error: () => {} },
      keychain: createMemoryKeychain(),
    });
    await expect(startBrowserHost({ rendererDir, handlers, host: '0.0.0.0' })).rejects.toThrow(
      /loopback/,
    );
  });
});
