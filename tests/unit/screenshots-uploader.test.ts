import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionAccessTokens } from '../../src-main/screenshots/access-tokens.ts';
import { imageFilesAt } from '../../src-main/screenshots/image-files.ts';
import { openScreenshotLibrary, type StoredShot } from '../../src-main/screenshots/library.ts';
import { createUploader, type Uploader } from '../../src-main/screenshots/uploader.ts';

/**
 * The uploader against a small real HTTP server speaking the blob protocol (HEAD / PUT by
 * sha256), scripted to refuse tokens, damage uploads or fail, with the refreshes counted.
 */
const nine = Date.UTC(2026, 2, 2, 9, 0);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let servers: Server[] = [];
let uploaders: Uploader[] = [];
afterEach(async () => {
  for (const uploader of uploaders) await uploader.stop();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  servers = [];
  uploaders = [];
});

interface BlobServer {
  url: string;
  blobs: Map<string, Buffer>;
  log: string[];
  /** Answers to the next requests, in order, instead of the protocol's own (0: the protocol's). */
  script: number[];
}

async function blobServer(validToken: () => string): Promise<BlobServer> {
  const state: BlobServer = { url: '', blobs: new Map(), log: [], script: [] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hash = (req.url ?? '').replace('/api/v1/blobs/', '');
      state.log.push(`${req.method} ${hash.slice(0, 6)} ${req.headers.authorization ?? ''}`);
      const scripted = state.script.shift();
      if (scripted !== undefined && scripted !== 0) return void res.writeHead(scripted).end();
      if (req.headers.authorization !== `Bearer ${validToken()}`)
        return void res.writeHead(401).end();
      if (req.method === 'HEAD') return void res.writeHead(state.blobs.has(hash) ? 200 : 404).end();
      const body = Buffer.concat(chunks);
      if (sha256(body) !== hash) return void res.writeHead(422).end();
      const created = !state.blobs.has(hash);
      state.blobs.set(hash, body);
      res.writeHead(created ? 201 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

async function setup(options: { token?: () => string } = {}) {
  let issued = 0;
  const token = options.token ?? (() => `token-${issued}`);
  const server = await blobServer(token);
  const dir = mkdtempSync(join(tmpdir(), 'megilance-uploads-'));
  const files = imageFilesAt(join(dir, 'images'));
  const library = openScreenshotLibrary(dir);
  const tokens = sessionAccessTokens({
    refresh: () => {
      issued += 1;
      return Promise.resolve({ accessToken: `token-${issued}`, expiresIn: 900 });
    },
  });
  let clock = nine;
  const uploader = createUploader({
    serverUrl: server.url,
    tokens,
    files,
    library,
    // Waits long enough that polling every 10 ms sees each one, even on a busy machine.
    baseDelayMs: 100,
    maxDelayMs: 400,
    random: () => 1, // the top of each backoff window
    now: () => clock,
  });
  uploaders.push(uploader);
  const share = async (n: number, thumbnailBytes?: Buffer): Promise<StoredShot> => {
    const image = Buffer.from(`image ${n}`);
    const thumbnail = thumbnailBytes ?? Buffer.from(`thumbnail ${n}`);
    const ref = (bytes: Buffer) => ({
      hash: sha256(bytes),
      size: bytes.length,
      width: 10,
      height: 10,
      mimeType: 'image/webp' as const,
    });
    await files.put(image);
    await files.put(thumbnail);
    const shot: StoredShot = {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      contractId: 'c1',
      entryId: '11111111-1111-4111-8111-111111111111',
      slot: nine,
      takenAt: nine + n,
      screen: 0,
      activity: null,
      image: ref(image),
      thumbnail: ref(thumbnail),
      blurred: false,
      state: 'shared',
      shareAt: nine,
    };
    library.add(shot);
    return shot;
  };
  const tick = (ms: number) => {
    clock += ms;
  };
  return { server, files, library, uploader, share, tick, refreshes: () => issued };
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('screenshots: uploader', () => {
  it('asks before sending, sends each hash once (two records sharing a thumbnail too), with one token', async () => {
    const { server, library, uploader, share, refreshes } = await setup();
    const sameThumbnail = Buffer.from('a blank screen looks the same twice');
    await share(1, sameThumbnail);
    await share(2, sameThumbnail);
    server.blobs.set(sha256(Buffer.from('image 2')), Buffer.from('image 2')); // already there
    uploader.kick();
    await until(() => uploader.status().queued === 0);
    const methods = server.log.map((line) => line.split(' ')[0]);
    expect(methods).toEqual(['HEAD', 'PUT', 'HEAD', 'PUT', 'HEAD']);
    expect(server.blobs.size).toBe(3);
    expect(refreshes()).toBe(1);
    expect(library.uploadQueue()).toEqual([]);
    expect(uploader.status()).toEqual({ queued: 0, lastError: null, nextAttemptAt: null });
    // Nothing left: kicking again sends nothing.
    uploader.kick();
    await uploader.settled();
    expect(server.log).toHaveLength(5);
  });

  it('refreshes a refused token once and goes on with the new one', async () => {
    let valid = 'token-2';
    const { server, uploader, share, refreshes } = await setup({ token: () => valid });
    await share(1);
    uploader.kick();
    await until(() => uploader.status().queued === 0);
    expect(refreshes()).toBe(2);
    expect(server.log[0]).toMatch(/^HEAD \w+ Bearer token-1$/);
    expect(server.log.slice(1).every((line) => line.endsWith('Bearer token-2'))).toBe(true);
    valid = 'never';
  });

  it('backs off exponentially up to its cap on failures, reports them, and recovers', async () => {
    const { server, uploader, share, tick } = await setup();
    await share(1);
    // Four HEADs fail; then the PUT arrives damaged (the server's 422).
    server.script.push(503, 503, 503, 503, 0, 422);
    const failures: { delay: number; error: string | null }[] = [];
    let last: number | null = null;
    uploader.kick();
    await until(() => {
      const { nextAttemptAt, lastError } = uploader.status();
      if (nextAttemptAt !== null && nextAttemptAt !== last) {
        // The uploader's clock stands still between failures; move it so each is told apart.
        failures.push({ delay: nextAttemptAt - nine - failures.length, error: lastError });
        last = nextAttemptAt;
        tick(1);
      }
      return failures.length === 5;
    });
    expect(failures.map((f) => f.delay)).toEqual([100, 200, 400, 400, 400]);
    expect(failures.slice(0, 4).every((f) => /HTTP 503/.test(f.error ?? ''))).toBe(true);
    expect(failures[4]?.error).toMatch(/damaged on the way/);
    await until(() => uploader.status().queued === 0);
    expect(uploader.status().lastError).toBeNull();
    expect(server.blobs.size).toBe(2);
  });

  it('reports a screenshot whose file is gone instead of retrying it, and sends the others', async () => {
    const { server, files, uploader, share } = await setup();
    const lost = await share(1);
    await share(2);
    await files.remove(lost.image.hash);
    uploader.kick();
    await until(() => server.blobs.size === 2);
    await uploader.settled();
    expect(uploader.status()).toMatchObject({ queued: 1, nextAttemptAt: null });
    expect(uploader.status().lastError).toMatch(/missing or damaged/);
  });
});
