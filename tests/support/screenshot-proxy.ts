import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP reverse proxy in front of the test server that counts what passes and can be
 * taken down and brought back on the same port, so a client sees the server vanish
 * (connection refused) and return, exactly as after a network cut.
 */
export interface CountingProxy {
  url: string;
  /** `METHOD /path` of every request that reached the server, in order. */
  readonly requests: readonly string[];
  count(method: string, pathPrefix: string): number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const requests: string[] = [];
  let port = 0;
  let server: Server | null = null;

  const listen = async () => {
    if (server) return;
    const created = createServer((req, res) => {
      const path = req.url ?? '/';
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          requests.push(`${req.method} ${path.split('?')[0]}`);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => resolve());
    });
    port = (created.address() as AddressInfo).port;
    server = created;
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (!running) return;
    const closed = new Promise((resolve) => running.close(resolve));
    running.closeAllConnections();
    await closed;
  };

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (method, pathPrefix) =>
      requests.filter((line) => line.startsWith(`${method} ${pathPrefix}`)).length,
    down: stop,
    up: listen,
    close: stop,
  };
}
