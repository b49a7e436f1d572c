import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { IpcResult } from '../../shared/ipc/contract.ts';
import {
  localScreenshotSchema,
  screenshotDeletedSchema,
  type LocalScreenshot,
} from '../../shared/ipc/screenshots.ts';
import { slotMs } from '../../shared/time/slots.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import type { IpcHandlers } from '../../src-main/ipc/handlers.ts';
import { createMemoryKeychain, type Keychain } from '../../src-main/keychain/keychain.ts';
import { silentLog } from '../../src-main/log.ts';
import { screenshotDirFor } from '../../src-main/screenshots/screenshot-host.ts';
import { createMainServices, type MainServices } from '../../src-main/services.ts';
import { startTestDesktop, type TestDesktop } from '../support/screenshot-desktop.ts';
import { startCountingProxy, type CountingProxy } from '../support/screenshot-proxy.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { FakeClock, FakeIdle, minute, second } from '../support/tracker-fakes.ts';

/**
 * The whole screenshot pipeline through the IPC handler map: the real tracker on an injected
 * clock, real captures of a real X server (Xvfb, two screens) where installed, sharp, the
 * files and index in a temp data folder, and uploads to the real server's blob endpoints
 * through a real proxy that goes down and comes back.
 */
const profile = 'screenshot-pipeline';
const password = 'correct horse battery staple';
const nine = Date.UTC(2026, 2, 2, 9, 0); // Monday 2 March 2026
const screens = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
];

let server: TestServer;
let proxy: CountingProxy;
let desktop: TestDesktop;
let dataDir: string;
const timings: number[] = [];

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startCountingProxy(server.baseUrl);
  desktop = await startTestDesktop(screens);
  await desktop.paint(0, 1);
  await desktop.paint(1, 2);
  dataDir = await mkdtemp(join(tmpdir(), 'megilance-screenshots-'));
});
afterAll(async () => {
  if (timings.length > 0) {
    const mean = timings.reduce((a, b) => a + b, 0) / timings.length;
    console.info(
      `screenshots (${desktop.kind}): capture + encode ${Math.round(mean)} ms per screen (mean of ${timings.length} captures; ${timings.map(Math.round).join(', ')})`,
    );
  }
  await desktop?.close();
  await proxy?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function value<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`IPC refused: ${JSON.stringify(result.problem)}`);
  return result.value;
}

async function desktopApp(clock: FakeClock, keychain: Keychain, capture = true) {
  const services = await createMainServices({
    config: { serverUrl: proxy.url, profile, version: '0.0.0-test' },
    host: 'browser',
    log: silentLog,
    keychain,
    deviceName: 'Screenshot pipeline test',
    dataDir,
    clock,
    idle: new FakeIdle(clock).inputDuring(0, Infinity),
    ...(capture ? { capture: desktop.capture } : {}),
    screenshots: {
      // Moments at the middle of what is left of each slot, every time.
      random: () => 0.5,
      upload: { baseDelayMs: 100, maxDelayMs: 400 },
      onCaptured: (_shots, msPerScreen) => timings.push(msPerScreen),
    },
  });
  return services;
}

/** Moves the fake clock in heartbeat steps, letting each capture and upload finish. */
async function run(clock: FakeClock, services: MainServices, ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 5 * second) {
    clock.advance(Math.min(5 * second, ms - done));
    await services.screenshots.current()?.settled();
  }
}

const list = async (handlers: IpcHandlers): Promise<LocalScreenshot[]> =>
  value(await handlers['screenshots.list']({ from: nine, to: nine + 24 * 60 * minute }));

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('screenshot pipeline', () => {
  it('captures, blurs, deletes (removing the time), shares and uploads each image once, across an outage and a restart', async () => {
    const keychain = createMemoryKeychain();
    const clock = new FakeClock(nine);
    let app = await desktopApp(clock, keychain);
    const handlers = () => app.handlers;

    // Before sign-in: nothing to see, and said so.
    const refused = await handlers()['screenshots.uploads'](undefined);
    expect(!refused.ok && refused.problem.type).toBe(problemTypes.unauthenticated);

    const email = `shots-${Date.now()}@example.com`;
    const user = value(
      await handlers()['session.signUp']({ email, password, name: 'Shots', role: 'freelancer' }),
    ).user;
    const status = value(
      await handlers()['tracker.start']({ contractId: 'c-shots', screenshotsPerSlot: 1 }),
    );
    expect(status.screenshotsAvailable).toBe(true);

    // Slot 09:00: one moment, both screens captured at it.
    await run(clock, app, 10 * minute);
    const first = await list(handlers());
    expect(first).toHaveLength(2);
    for (const shot of first) expect(localScreenshotSchema.parse(shot)).toEqual(shot);
    expect(first.map((s) => [s.screen, s.image.width, s.image.height, s.thumbnail.width])).toEqual([
      [0, 1280, 800, 320],
      [1, 1024, 768, 320],
    ]);
    const [shot0, shot1] = first as [LocalScreenshot, LocalScreenshot];
    expect(shot0).toMatchObject({
      contractId: 'c-shots',
      entryId: trackedEntryId('c-shots', user.id, '2026-03-02'),
      slot: nine,
      state: 'pending',
      blurred: false,
      uploaded: false,
      activity: 100,
    });
    expect(shot0.takenAt).toBeGreaterThan(nine);
    expect(shot0.shareAt - shot0.takenAt).toBe(10 * minute);
    // The thumbnail shows what the X server showed (a busy desktop, not a blank screen).
    const image = value(await handlers()['screenshots.image']({ hash: shot0.thumbnail.hash }));
    const bytes = Buffer.from(image.dataUrl.replace(/^data:image\/webp;base64,/, ''), 'base64');
    expect((await sharp(bytes).stats()).channels[0]?.stdev).toBeGreaterThan(20);
    const folder = screenshotDirFor(dataDir, profile, user.id);
    const fileOf = (hash: string) => join(folder, 'images', hash.slice(0, 2), hash);
    expect(existsSync(fileOf(shot0.image.hash))).toBe(true);

    // Blur the second screen while it is pending: new bytes, the old ones gone from disk.
    const blurred = value(await handlers()['screenshots.blur']({ id: shot1.id }));
    expect(blurred.blurred).toBe(true);
    expect(blurred.image.hash).not.toBe(shot1.image.hash);
    expect(existsSync(fileOf(shot1.image.hash))).toBe(false);
    expect(existsSync(fileOf(blurred.image.hash))).toBe(true);

    // The server goes away before slot 09:00's grace period ends (at about 09:15).
    await proxy.down();

    // Slot 09:10, new things on the screens; its first screen's screenshot is deleted.
    await desktop.paint(0, 3);
    await desktop.paint(1, 4);
    await run(clock, app, 10 * minute);
    const second = (await list(handlers())).filter((s) => s.slot === nine + slotMs);
    expect(second).toHaveLength(2);
    const doomed = second[0] as LocalScreenshot;
    const deleted = value(await handlers()['screenshots.delete']({ id: doomed.id }));
    expect(screenshotDeletedSchema.parse(deleted)).toEqual({
      id: doomed.id,
      contractId: 'c-shots',
      entryId: doomed.entryId,
      slot: nine + slotMs,
    });
    expect(existsSync(fileOf(doomed.image.hash))).toBe(false);
    const segments = value(
      await handlers()['tracker.segments']({ from: nine, to: nine + 60 * minute }),
    );
    expect(segments.map((s) => [s.start - nine, s.billedMs, s.removed])).toEqual([
      [0, 10 * minute, false],
      [10 * minute, 0, true],
    ]);
    // No more screenshots of a slot whose time is gone.
    expect(desktop.captures).toBe(2);

    // Slot 09:00's screenshots were shared meanwhile: queued, and failing.
    let uploads = value(await handlers()['screenshots.uploads'](undefined));
    expect(uploads.queued).toBe(2);
    // Retried with backoff: each failure announces its next attempt.
    const attempts = new Set<number>();
    await waitFor('two failed attempts', async () => {
      uploads = value(await handlers()['screenshots.uploads'](undefined));
      if (uploads.nextAttemptAt !== null) attempts.add(uploads.nextAttemptAt);
      return attempts.size >= 2;
    });
    expect(uploads.lastError).toMatch(/Could not reach/);
    expect((await list(handlers())).filter((s) => s.state === 'shared')).toHaveLength(2);
    // Shared now: too late to blur. Unknown ids and foreign hashes are not found.
    const late = await handlers()['screenshots.blur']({ id: shot0.id });
    expect(!late.ok && late.problem.status).toBe(409);
    const gone = await handlers()['screenshots.delete']({ id: doomed.id });
    expect(!gone.ok && gone.problem.status).toBe(404);
    const foreign = await handlers()['screenshots.image']({ hash: 'a'.repeat(64) });
    expect(!foreign.ok && foreign.problem.status).toBe(404);
    const malformed = await handlers()['screenshots.image']({ hash: '../index.jsonl' });
    expect(!malformed.ok && malformed.problem.status).toBe(422);

    // Back: the retry sends each image once and the queue empties.
    await proxy.up();
    await waitFor('the queue to empty', async () => {
      uploads = value(await handlers()['screenshots.uploads'](undefined));
      return uploads.queued === 0;
    });
    expect(uploads).toEqual({ queued: 0, lastError: null, nextAttemptAt: null });
    const sent = [
      shot0.image.hash,
      shot0.thumbnail.hash,
      blurred.image.hash,
      blurred.thumbnail.hash,
    ];
    for (const hash of sent) expect(proxy.count('PUT', `/api/v1/blobs/${hash}`)).toBe(1);
    // The unblurred original and the deleted screenshot never left the machine.
    for (const hash of [shot1.image.hash, doomed.image.hash, doomed.thumbnail.hash]) {
      expect(proxy.count('PUT', `/api/v1/blobs/${hash}`)).toBe(0);
      expect(proxy.count('HEAD', `/api/v1/blobs/${hash}`)).toBe(0);
    }
    // The server has exactly those bytes.
    const token = value(await handlers()['session.refresh'](undefined)).accessToken;
    const stored = await fetch(`${server.baseUrl}/api/v1/blobs/${blurred.image.hash}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(
      (await import('node:fs')).readFileSync(fileOf(blurred.image.hash)),
    );

    // Slot 09:10's remaining screenshot is shared while the server is down again, and the
    // app quits before it could be sent.
    await proxy.down();
    await run(clock, app, 10 * minute);
    expect(value(await handlers()['screenshots.uploads'](undefined)).queued).toBe(1);
    await app.screenshots.close();
    app.tracker.quit();

    // A new process: signed in again from the keychain, it continues the queue.
    await proxy.up();
    app = await desktopApp(clock, keychain);
    expect(value(await handlers()['session.restore'](undefined))?.user.id).toBe(user.id);
    await waitFor('the restarted queue to empty', async () => {
      uploads = value(await handlers()['screenshots.uploads'](undefined));
      return uploads.queued === 0;
    });
    const last = (await list(handlers())).find((s) => s.slot === nine + slotMs);
    expect(last).toMatchObject({ state: 'shared', uploaded: true });
    // Slot 09:20's pair (taken before the quit) is still in its grace period, here only.
    const all = await list(handlers());
    expect(all.filter((s) => s.state === 'shared').every((s) => s.uploaded)).toBe(true);
    expect(all.filter((s) => s.state === 'pending').map((s) => s.slot)).toEqual([
      nine + 2 * slotMs,
      nine + 2 * slotMs,
    ]);
    // Every image went up exactly once, the earlier ones not even asked about again.
    const puts = proxy.requests.filter((line) => line.startsWith('PUT /api/v1/blobs/'));
    expect(puts).toHaveLength(6);
    expect(new Set(puts).size).toBe(6);
    for (const hash of sent) expect(proxy.count('HEAD', `/api/v1/blobs/${hash}`)).toBe(1);
    // The deleted slot stays removed after the restart.
    const after = value(await handlers()['tracker.segments']({ from: nine, to: nine + hour() }));
    expect(after.find((s) => s.start === nine + slotMs)?.removed).toBe(true);
    await app.screenshots.close();
  });

  it('on a host that cannot capture, says so and takes none', async () => {
    await proxy.up();
    const clock = new FakeClock(nine + 24 * 60 * minute);
    const app = await desktopApp(clock, createMemoryKeychain(), false);
    value(
      await app.handlers['session.signUp']({
        email: `no-capture-${Date.now()}@example.com`,
        password,
        name: 'No capture',
        role: 'freelancer',
      }),
    );
    const started = value(
      await app.handlers['tracker.start']({ contractId: 'c-none', screenshotsPerSlot: 3 }),
    );
    expect(started.screenshotsAvailable).toBe(false);
    await run(clock, app, 20 * minute);
    const day = nine + 24 * 60 * minute;
    expect(value(await app.handlers['screenshots.list']({ from: day, to: day + hour() }))).toEqual(
      [],
    );
    expect(value(await app.handlers['screenshots.uploads'](undefined)).queued).toBe(0);
    app.tracker.quit();
    await app.screenshots.close();
  });
});

function hour(): number {
  return 60 * minute;
}
