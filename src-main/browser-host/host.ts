/**
 * The browser host: serves the built renderer to an ordinary browser (where there is no
 * Electron binary, and for the Playwright suite) and offers the same `window.megilance`
 * contract over HTTP, answered by the same handler map Electron's IPC uses.
 *
 * ## The bridge endpoint
 *
 *     POST /__megilance/ipc/<channel>          e.g. /__megilance/ipc/session.signIn
 *     Host: <the host's own address>           127.0.0.1:<port> (or localhost:<port>)
 *     Origin: <the host's own origin>          optional; if sent, it must be ours
 *     X-MegiLance-Bridge: 1                    required
 *     Content-Type: application/json           required when there is a body
 *
 *     <JSON of the channel's input>            JSON has no `undefined`: an empty body or
 *                                              `null` means "no input" (app.info, …)
 *
 * - A call that reaches its handler answers `200`, `application/json`, with the handler's
 *   `IpcResult`: `{"ok":true,"value":…}` or `{"ok":false,"problem":{…}}`. Invalid input is
 *   such a result too: `problem.status` 422, `problem.type` urn:megilance:problem:validation,
 *   `problem.errors` = [{ pointer: '/email', detail }] (RFC 6901 pointers into the input).
 * - A call refused before any handler runs answers with an RFC 9457 `application/problem+json`
 *   body and its status: 403 wrong Host, foreign Origin or missing X-MegiLance-Bridge (and to
 *   every CORS preflight), 404 unknown channel, 405 not POST, 400 malformed JSON, 413 body over
 *   1 MiB, 415 body that is not JSON. A client should turn such a body into
 *   `{ ok: false, problem: body }`.
 *
 * ## Why the bridge is safe from other web pages
 *
 * Any page the user visits can send requests to 127.0.0.1. The custom header makes every
 * cross-origin call a CORS preflight, which this host never grants (no Access-Control-* header
 * is ever sent), so a foreign page cannot even deliver the request. DNS rebinding (a foreign
 * name re-pointed at 127.0.0.1, making the call "same-origin") is stopped by accepting only our
 * own address in the Host header. The Origin check is the belt to those braces. The host
 * binds to loopback only: the bridge signs people in and must never face the network.
 */
import { createReadStream } from 'node:fs';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { problemContentType, problemTypes, type Problem } from '../../shared/api/problem.ts';
import { bridgeHeader, bridgePathPrefix } from '../../shared/ipc/bridge.ts';
import { ipcChannels, type IpcChannel } from '../../shared/ipc/channels.ts';
import { rendererSecurityHeaders } from '../content-security-policy.ts';
import type { IpcHandlers } from '../ipc/handlers.ts';
import { silentLog, type Log } from '../log.ts';
import { resolveStaticFile } from '../static/static-files.ts';

const maxBodyBytes = 1024 * 1024;

export interface BrowserHostOptions {
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** A loopback address; anything else is refused. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  handlers: IpcHandlers;
  /** The sync server the renderer talks to (CSP connect-src); defaults to app.info's. */
  serverUrl?: string;
  log?: Log;
}

export interface BrowserHost {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { rendererDir, handlers } = options;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? silentLog;
  if (!isLoopback(host)) {
    throw new Error(`The browser host binds to loopback only (127.0.0.1, ::1), not ${host}`);
  }
  const serverUrl = options.serverUrl ?? (await serverUrlFromAppInfo(handlers));
  const securityHeaders = rendererSecurityHeaders(serverUrl);

  // Filled in once listening: the port is only known then.
  let allowedHosts = new Set<string>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`browser host: ${req.method} ${req.url} failed`, error);
      if (res.headersSent) res.destroy();
      else sendProblem(res, 500, problemTypes.internal, 'Internal error', 'The host failed.');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);

    // DNS rebinding: a foreign name that resolves to us still carries that name in Host.
    const hostHeader = req.headers.host ?? '';
    if (!allowedHosts.has(hostHeader.toLowerCase())) {
      log.warn(`browser host: refused a request for Host "${hostHeader}"`);
      return sendProblem(res, 403, problemTypes.forbidden, 'Forbidden', 'Unknown Host header.');
    }
    // Raw path, not URL-normalised, so `..` reaches the traversal guard instead of vanishing.
    const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    if (path.startsWith('/__megilance/')) return bridge(req, res, path, hostHeader);
    return serveStatic(req, res, path);
  }

  async function bridge(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    hostHeader: string,
  ) {
    const origin = req.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${hostHeader.toLowerCase()}`) {
      log.warn(`browser host: refused a bridge call from origin ${origin}`);
      return sendProblem(res, 403, problemTypes.forbidden, 'Forbidden', 'Foreign origin.');
    }
    if (req.method === 'OPTIONS') {
      // A preflight means a cross-origin caller: never granted, no Access-Control-* headers.
      return sendProblem(res, 403, problemTypes.forbidden, 'Forbidden', 'No cross-origin calls.');
    }
    if (req.headers[bridgeHeader] !== '1') {
      return sendProblem(
        res,
        403,
        problemTypes.forbidden,
        'Forbidden',
        'Bridge calls must carry "X-MegiLance-Bridge: 1".',
      );
    }
    const channel = path.slice(bridgePathPrefix.length);
    if (!path.startsWith(bridgePathPrefix) || !isChannel(channel)) {
      return sendProblem(res, 404, problemTypes.notFound, 'Not found', `No channel ${path}.`);
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendProblem(res, 405, 'about:blank', 'Method Not Allowed', 'Use POST.');
    }

    const body = await readBody(req);
    if (body === 'too-large') {
      res.setHeader('Connection', 'close'); // the rest of the body is left unread
      return sendProblem(
        res,
        413,
        problemTypes.payloadTooLarge,
        'Payload too large',
        `The body exceeds ${maxBodyBytes} bytes.`,
      );
    }
    let input: unknown = undefined;
    if (body.length > 0) {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') {
        return sendProblem(
          res,
          415,
          problemTypes.unsupportedMediaType,
          'Unsupported media type',
          'Send the input as application/json.',
        );
      }
      try {
        input = JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return sendProblem(
          res,
          400,
          problemTypes.malformedJson,
          'Malformed JSON',
          'The body is not JSON.',
        );
      }
      input ??= undefined; // JSON cannot spell `undefined`; null stands for "no input"
    }

    const result = await handlers[channel](input);
    send(res, 200, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(result));
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendProblem(res, 405, 'about:blank', 'Method Not Allowed', 'Use GET or HEAD.');
    }
    const found = await resolveStaticFile(rendererDir, path);
    switch (found.kind) {
      case 'bad-request':
        return sendProblem(res, 400, 'about:blank', 'Bad Request', 'Malformed path.');
      case 'forbidden':
        log.warn(`browser host: refused the path ${path}`);
        return sendProblem(res, 403, problemTypes.forbidden, 'Forbidden', 'Path refused.');
      case 'not-found':
        return sendProblem(res, 404, problemTypes.notFound, 'Not found', `No file ${path}.`);
      case 'file': {
        res.writeHead(200, {
          'Content-Type': found.contentType,
          'Cache-Control': found.cacheControl,
        });
        if (req.method === 'HEAD') return void res.end();
        await pipeFile(found.path, res);
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  allowedHosts = new Set([authority, `localhost:${port}`]);
  const url = `http://${authority}`;
  log.info(`browser host: serving ${rendererDir} at ${url}`);

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

function isChannel(value: string): value is IpcChannel {
  return (ipcChannels as readonly string[]).includes(value);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

async function serverUrlFromAppInfo(handlers: IpcHandlers): Promise<string> {
  const info = await handlers['app.info'](undefined);
  if (!info.ok) throw new Error(`app.info failed: ${info.problem.detail ?? info.problem.title}`);
  return info.value.serverUrl;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function pipeFile(path: string, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(path);
    stream.once('error', reject);
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: string) {
  res.writeHead(status, {
    ...headers,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendProblem(
  res: ServerResponse,
  status: number,
  type: string,
  title: string,
  detail: string,
): void {
  const problem: Problem = { type, title, status, detail };
  send(res, status, { 'Content-Type': problemContentType }, JSON.stringify(problem));
}
