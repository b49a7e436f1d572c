/**
 * The peer for the sync benchmark: express-pouchdb 4.2 over PouchDB 9 with its Node default
 * storage, LevelDB (leveldown) in files under POUCH_DIR, in a process of its own. Browsers
 * reach it cross-origin, so it answers CORS like CouchDB's `enable_cors` would. Prints
 * `{"url": …}` once it listens.
 */
import expressPouchDB from 'express-pouchdb';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import PouchDB from 'pouchdb';

const dir = process.env.POUCH_DIR;
const origin = process.env.ALLOWED_ORIGIN;
if (!dir || !origin) throw new Error('POUCH_DIR and ALLOWED_ORIGIN are required');
mkdirSync(dir, { recursive: true });

const LevelPouch = PouchDB.defaults({ prefix: `${dir}/` });
const pouchApp = expressPouchDB(LevelPouch, {
  mode: 'minimumForPouchDB',
  // Our server sends JSON uncompressed; on loopback gzip would only cost PouchDB time.
  overrideMode: { exclude: ['compression'] },
  inMemoryConfig: true,
  configPath: join(dir, 'config.json'),
  logPath: join(dir, 'log.txt'),
});

const server = createServer((request, response) => {
  if (request.headers.origin === origin) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Vary', 'Origin');
    response.setHeader(
      'Access-Control-Expose-Headers',
      'Content-Type, Cache-Control, ETag, Server, X-Couch-Request-ID, X-CouchDB-Body-Time',
    );
  }
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE, OPTIONS');
    response.setHeader(
      'Access-Control-Allow-Headers',
      'Accept, Authorization, Content-Type, Origin, Referer',
    );
    // The same preflight cache our server grants (cors maxAge 600).
    response.setHeader('Access-Control-Max-Age', '600');
    response.writeHead(204).end();
    return;
  }
  pouchApp(request, response);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
