import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProblemError } from '../../shared/api/problem.ts';
import { localScreenshotSchema } from '../../shared/ipc/screenshots.ts';
import type { AccessTokens } from '../../src-main/screenshots/access-tokens.ts';
import { unavailableScreenCapture } from '../../src-main/screenshots/capture.ts';
import { imageFilesAt } from '../../src-main/screenshots/image-files.ts';
import { openScreenshotLibrary, type StoredShot } from '../../src-main/screenshots/library.ts';
import {
  createScreenshotHost,
  screenshotDirFor,
  type ScreenshotHost,
} from '../../src-main/screenshots/screenshot-host.ts';
import { createTrackerHost } from '../../src-main/tracker/tracker-host.ts';
import { FakeClock, FakeIdle, minute } from '../support/tracker-fakes.ts';

/**
 * The retention of uploaded screenshots' files: the real host and service on an injected
 * clock, the real index and image files in a temp folder, uploads to a small real HTTP blob
 * store that speaks the server's HEAD/PUT protocol.
 */
const nine = Date.UTC(2026, 2, 2, 9, 0);
const hour = 60 * minute;
const day = 24 * hour;
const userId = 'u-retention';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const servers: Server[] = [];
const hosts: ScreenshotHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** Stores what it is sent; `down` makes every request fail as an unreachable store would. */
async function blobStore() {
  const state = { url: '', blobs: new Map<string, Buffer>(), puts: 0, down: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.down) return void res.writeHead(503).end();
      const hash = (req.url ?? '').replace('/api/v1/blobs/', '');
      if (req.method === 'HEAD') return void res.writeHead(state.blobs.has(hash) ? 200 : 404).end();
      const body = Buffer.concat(chunks);
      if (sha256(body) !== hash) return void res.writeHead(422).end();
      state.puts += 1;
      state.blobs.set(hash, body);
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

const tokens: AccessTokens = {
  get: () => Promise.resolve('token'),
  seed: () => undefined,
  invalidate: () => undefined,
};

async function setup(options: { down?: boolean } = {}) {
  const store = await blobStore();
  store.down = options.down ?? false;
  const dataDir = mkdtempSync(join(tmpdir(), 'megilance-retention-'));
  const dir = screenshotDirFor(dataDir, 'test', userId);
  mkdirSync(dir, { recursive: true });
  const clock = new FakeClock(nine + hour);
  const files = imageFilesAt(join(dir, 'images'));
  const pathOf = (hash: string) => join(dir, 'images', hash.slice(0, 2), hash);

  /** Records written before the app starts, as an earlier run would have left them. */
  async function seed(
    shots: { n: number; takenAt: number; state: StoredShot['state']; thumbnail?: string }[],
  ) {
    const library = openScreenshotLibrary(dir);
    const made: StoredShot[] = [];
    for (const { n, takenAt, state, thumbnail } of shots) {
      const image = Buffer.from(`full image ${n}`);
      const thumb = Buffer.from(thumbnail ?? `thumbnail ${n}`);
      const ref = (bytes: Buffer, width: number) => ({
        hash: sha256(bytes),
        size: bytes.length,
        width,
        height: width / 2,
        mimeType: 'image/webp' as const,
      });
      await files.put(image);
      await files.put(thumb);
      const shot: StoredShot = {
        id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        contractId: 'c1',
        entryId: '11111111-1111-4111-8111-111111111111',
        slot: takenAt,
        takenAt,
        screen: 0,
        activity: null,
        image: ref(image, 1280),
        thumbnail: ref(thumb, 320),
        blurred: false,
        state,
        shareAt: state === 'shared' ? takenAt + 10 * minute : takenAt + 90 * day,
      };
      library.add(shot);
      made.push(shot);
    }
    library.close();
    return made;
  }

  function open(retentionMs?: number): ScreenshotHost {
    const tracker = createTrackerHost({
      dataDir,
      profile: 'test',
      clock,
      idle: new FakeIdle(clock).inputDuring(0, Infinity),
    });
    const host = createScreenshotHost({
      dataDir,
      profile: 'test',
      clock,
      capture: unavailableScreenCapture,
      tracker,
      serverUrl: store.url,
      tokens,
      upload: { baseDelayMs: 50, maxDelayMs: 100 },
      ...(retentionMs === undefined ? {} : { retentionMs }),
    });
    host.open(userId);
    hosts.push(host);
    return host;
  }

  /** Moves the clock (its hourly checks run on the way) and lets the work they start end. */
  async function pass(host: ScreenshotHost, ms: number): Promise<void> {
    clock.advance(ms);
    await host.current()?.settled();
  }

  return { store, clock, seed, open, pass, pathOf };
}

async function uploadsDone(host: ScreenshotHost): Promise<void> {
  const end = Date.now() + 5_000;
  while (host.uploads().queued > 0) {
    if (Date.now() > end) throw new Error('timed out waiting for uploads');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await host.current()?.settled();
}

const present = (pathOf: (hash: string) => string, shot: StoredShot) => [
  existsSync(pathOf(shot.image.hash)),
  existsSync(pathOf(shot.thumbnail.hash)),
];

describe('screenshots: retention of uploaded files', () => {
  it('removes an uploaded screenshot’s files 30 days after it was taken, not before', async () => {
    const { store, seed, open, pass, pathOf } = await setup();
    const [shot] = await seed([{ n: 1, takenAt: nine, state: 'shared' }]);
    if (!shot) throw new Error('seeded nothing');
    const host = open();
    await uploadsDone(host);
    expect(store.blobs.has(shot.image.hash) && store.blobs.has(shot.thumbnail.hash)).toBe(true);

    await pass(host, 29 * day + 22 * hour); // 30 days after 09:00 minus one hour
    expect(present(pathOf, shot)).toEqual([true, true]);
    expect((await host.image(shot.image.hash)).dataUrl).toMatch(/^data:image\/webp;base64,/);

    await pass(host, hour);
    expect(present(pathOf, shot)).toEqual([false, false]);
    // Still listed, still uploaded: the diary shows it from the server.
    const [listed] = host.list(nine, nine + day);
    expect(listed && localScreenshotSchema.parse(listed)).toMatchObject({
      id: shot.id,
      state: 'shared',
      uploaded: true,
    });
    for (const hash of [shot.image.hash, shot.thumbnail.hash]) {
      const refused = await host.image(hash).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ProblemError);
      const problem = refused instanceof ProblemError ? refused.problem : null;
      expect(problem).toMatchObject({ status: 404, title: 'Only on the server now' });
      expect(problem?.detail).toMatch(/no longer kept on this computer.*the server has it/);
    }
    // An image this user never had is still plainly not found.
    const unknown = await host.image('f'.repeat(64)).catch((error: unknown) => error);
    expect(unknown instanceof ProblemError && unknown.problem.title).toBe('Not found');
  });

  it('keeps what the server does not have yet and what is still private', async () => {
    const { store, seed, open, pass, pathOf } = await setup({ down: true });
    const [waiting, private_] = await seed([
      { n: 1, takenAt: nine, state: 'shared' },
      { n: 2, takenAt: nine, state: 'pending' },
    ]);
    if (!waiting || !private_) throw new Error('seeded nothing');
    const host = open();
    await pass(host, 40 * day);
    expect(present(pathOf, waiting)).toEqual([true, true]);
    expect(present(pathOf, private_)).toEqual([true, true]);
    expect(host.uploads().queued).toBe(1);

    // The server comes back: the next retry uploads it, the next hourly check lets it go.
    store.down = false;
    await uploadsDone(host);
    expect(present(pathOf, waiting)).toEqual([true, true]);
    await pass(host, hour);
    expect(present(pathOf, waiting)).toEqual([false, false]);
    expect(present(pathOf, private_)).toEqual([true, true]);
    expect(store.blobs.has(private_.image.hash)).toBe(false);
  });

  it('keeps a file another record still needs here, and honours a configured period', async () => {
    const { seed, open, pass, pathOf } = await setup();
    // Two screenshots whose thumbnails are the same bytes (a locked screen, say), 3 days apart.
    const [old, recent] = await seed([
      { n: 1, takenAt: nine, state: 'shared', thumbnail: 'same' },
      { n: 2, takenAt: nine + 3 * day, state: 'shared', thumbnail: 'same' },
    ]);
    if (!old || !recent) throw new Error('seeded nothing');
    const host = open(7 * day);
    await uploadsDone(host);
    await pass(host, 7 * day);
    expect(present(pathOf, old)).toEqual([false, true]);
    expect(present(pathOf, recent)).toEqual([true, true]);
    // The shared thumbnail is still read for the record that keeps it.
    expect((await host.image(old.thumbnail.hash)).dataUrl).toMatch(/^data:image\/webp/);

    await pass(host, 3 * day);
    expect(present(pathOf, recent)).toEqual([false, false]);
  });

  it('remembers what was pruned across a restart and finishes an interrupted removal', async () => {
    const { store, seed, open, pass, pathOf, clock } = await setup();
    const [shot] = await seed([{ n: 1, takenAt: nine, state: 'shared' }]);
    if (!shot) throw new Error('seeded nothing');
    let host = open();
    await uploadsDone(host);
    await pass(host, 31 * day);
    expect(present(pathOf, shot)).toEqual([false, false]);
    await host.close();
    const puts = store.puts;

    // As if the app stopped between recording the pruning and removing the files.
    const files = imageFilesAt(join(pathOf(shot.image.hash), '..', '..'));
    await files.put(Buffer.from('full image 1'));
    expect(existsSync(pathOf(shot.image.hash))).toBe(true);

    clock.advance(minute);
    host = open();
    await host.current()?.settled();
    expect(present(pathOf, shot)).toEqual([false, false]);
    expect(host.list(nine, nine + day)).toMatchObject([{ id: shot.id, uploaded: true }]);
    expect(host.uploads().queued).toBe(0);
    const refused = await host.image(shot.image.hash).catch((error: unknown) => error);
    expect(refused instanceof ProblemError && refused.problem.title).toBe('Only on the server now');
    expect(store.puts).toBe(puts);
  });
});
