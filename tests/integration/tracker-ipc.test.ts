import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../shared/api/problem.ts';
import type { IpcResult } from '../../shared/ipc/contract.ts';
import type { TrackerSegmentView, TrackerStatusView } from '../../shared/ipc/tracker.ts';
import type { IpcHandlers } from '../../src-main/ipc/handlers.ts';
import { createMemoryKeychain } from '../../src-main/keychain/keychain.ts';
import { silentLog } from '../../src-main/log.ts';
import { createMainServices } from '../../src-main/services.ts';
import { journalPathFor } from '../../src-main/tracker/tracker-host.ts';
import { FakeClock, FakeIdle, minute } from '../support/tracker-fakes.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The tracker through the real IPC handler map (the one Electron and the browser host share),
 * with the real session service against the real server, an injected clock and a temp data dir.
 */

const profile = 'tracker-ipc';
const password = 'correct horse battery staple';
// Monday 2026-03-02 09:00 UTC: a whole week ahead, segment boundaries at :00, :10, …
const monday9 = Date.UTC(2026, 2, 2, 9, 0, 0);
let counter = 0;

let server: TestServer;
let dataDir: string;
beforeAll(async () => {
  server = await startTestServer();
  dataDir = await mkdtemp(join(tmpdir(), 'megilance-tracker-ipc-'));
});
afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function desktop(options: { withIdle: boolean }) {
  const clock = new FakeClock(monday9);
  const idle = new FakeIdle(clock).inputDuring(0, 24 * 60 * minute);
  const services = await createMainServices({
    config: { serverUrl: server.baseUrl, profile, version: '0.0.0-test' },
    host: 'browser',
    log: silentLog,
    keychain: createMemoryKeychain(),
    deviceName: 'Tracker IPC test',
    dataDir,
    clock,
    ...(options.withIdle ? { idle } : {}),
  });
  return { clock, handlers: services.handlers, tracker: services.tracker };
}

function value<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`IPC refused: ${JSON.stringify(result.problem)}`);
  return result.value;
}

async function signUp(handlers: IpcHandlers, label: string) {
  const email = `${label}-${Date.now()}-${(counter += 1)}@example.com`;
  const signed = value(
    await handlers['session.signUp']({ email, password, name: label, role: 'freelancer' }),
  );
  return { email, id: signed.user.id };
}

const status = async (handlers: IpcHandlers): Promise<TrackerStatusView> =>
  value(await handlers['tracker.status'](undefined));
const segments = async (handlers: IpcHandlers): Promise<TrackerSegmentView[]> =>
  value(await handlers['tracker.segments']({ from: monday9, to: monday9 + 24 * 60 * minute }));

describe('tracker over IPC', () => {
  it('refuses every tracker call before sign-in', async () => {
    const { handlers } = await desktop({ withIdle: true });
    const answer = await handlers['tracker.status'](undefined);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.problem.type).toBe(problemTypes.unauthenticated);
    const start = await handlers['tracker.start']({ contractId: 'c-1' });
    expect(start.ok).toBe(false);
  });

  it('starts, runs, stops and cuts 10-minute segments; bad input is a 422 naming the field', async () => {
    const { clock, handlers } = await desktop({ withIdle: true });
    const user = await signUp(handlers, 'runner');

    const bad = await handlers['tracker.start']({ contractId: '', memo: 7 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problem.status).toBe(422);
      expect(bad.problem.errors?.map((error) => error.pointer).sort()).toEqual([
        '/contractId',
        '/memo',
      ]);
    }
    expect((await status(handlers)).running).toBeNull();

    const started = value(await handlers['tracker.start']({ contractId: 'c-1', memo: 'Design' }));
    expect(started.running).toMatchObject({ contractId: 'c-1', memo: 'Design', billedMs: 0 });
    expect(started.activityAvailable).toBe(true);

    const again = await handlers['tracker.start']({ contractId: 'c-1' });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.problem.status).toBe(409);

    clock.advance(12 * minute);
    expect((await status(handlers)).running?.billedMs).toBe(12 * minute);
    value(await handlers['tracker.setMemo']({ memo: 'Build' }));
    clock.advance(minute);
    const stopped = value(await handlers['tracker.stop'](undefined));
    expect(stopped.running).toBeNull();

    const slots = await segments(handlers);
    expect(slots.map((slot) => [slot.start - monday9, slot.billedMs, slot.activity])).toEqual([
      [0, 10 * minute, 100],
      [10 * minute, 3 * minute, 100],
    ]);
    expect(slots[1]?.memo).toBe('Build');
    expect(existsSync(journalPathFor(dataDir, profile, user.id))).toBe(true);

    const stopAgain = await handlers['tracker.stop'](undefined);
    expect(stopAgain.ok).toBe(false);
    if (!stopAgain.ok) expect(stopAgain.problem.detail).toBe('No timer is running.');
  });

  it("keeps each user's time in their own journal across sign-out and sign-in", async () => {
    const { clock, handlers } = await desktop({ withIdle: true });
    const alice = await signUp(handlers, 'alice');
    value(await handlers['tracker.start']({ contractId: 'alice-contract' }));
    clock.advance(5 * minute);
    value(await handlers['session.signOut'](undefined));
    const aliceJournal = journalPathFor(dataDir, profile, alice.id);
    const aliceSize = statSync(aliceJournal).size;

    // Nobody signed in: no tracker.
    expect((await handlers['tracker.status'](undefined)).ok).toBe(false);

    const bob = await signUp(handlers, 'bob');
    const bobStatus = await status(handlers);
    expect(bobStatus.running).toBeNull();
    expect(bobStatus.recovered).toEqual([]);
    value(await handlers['tracker.start']({ contractId: 'bob-contract' }));
    clock.advance(3 * minute);
    value(await handlers['tracker.stop'](undefined));
    expect((await segments(handlers)).map((slot) => slot.contractId)).toEqual(['bob-contract']);
    expect(statSync(aliceJournal).size).toBe(aliceSize);
    expect(existsSync(journalPathFor(dataDir, profile, bob.id))).toBe(true);

    // Alice again: her entry was left running at sign-out and is recovered at its last heartbeat.
    value(await handlers['session.signIn']({ email: alice.email, password }));
    const aliceStatus = await status(handlers);
    expect(aliceStatus.running).toBeNull();
    expect(aliceStatus.recovered).toEqual([
      expect.objectContaining({ contractId: 'alice-contract', billedMs: 5 * minute }),
    ]);
    expect((await segments(handlers)).map((slot) => slot.contractId)).toEqual(['alice-contract']);
  });

  it('stops a running timer when the app quits, and recovers nothing afterwards', async () => {
    const first = await desktop({ withIdle: true });
    const user = await signUp(first.handlers, 'quitter');
    value(await first.handlers['tracker.start']({ contractId: 'c-quit' }));
    first.clock.advance(7 * minute);
    first.tracker.quit();

    const second = await desktop({ withIdle: true });
    second.clock.advance(60 * minute);
    value(await second.handlers['session.signIn']({ email: user.email, password }));
    const after = await status(second.handlers);
    expect(after.running).toBeNull();
    expect(after.recovered).toEqual([]);
    expect((await segments(second.handlers)).map((slot) => slot.billedMs)).toEqual([7 * minute]);
  });

  it('says activity is unavailable where the host has no idle time, instead of inventing it', async () => {
    const { clock, handlers } = await desktop({ withIdle: false });
    await signUp(handlers, 'browser');
    const started = value(await handlers['tracker.start']({ contractId: 'c-2' }));
    expect(started.activityAvailable).toBe(false);
    clock.advance(4 * minute);
    value(await handlers['tracker.stop'](undefined));
    const slots = await segments(handlers);
    expect(slots).toHaveLength(1);
    expect(slots[0]).toMatchObject({ billedMs: 4 * minute, activity: null, activeMinutes: null });
  });

  it("stops at the contract's weekly hour limit and refuses to start past it", async () => {
    const { clock, handlers } = await desktop({ withIdle: true });
    await signUp(handlers, 'limited');
    const started = value(
      await handlers['tracker.start']({ contractId: 'c-limit', weeklyHourLimit: 1 }),
    );
    expect(started.running).not.toBeNull();
    clock.advance(50 * minute);
    // Within the last hour before the limit (the whole hour here): warned.
    expect((await status(handlers)).limitWarnings).toEqual([
      expect.objectContaining({ contractId: 'c-limit' }),
    ]);
    clock.advance(15 * minute);
    const after = await status(handlers);
    expect(after.running).toBeNull();
    expect(after.lastAutoStop).toMatchObject({ contractId: 'c-limit', reason: 'weekly-limit' });
    const total = (await segments(handlers)).reduce((sum, slot) => sum + slot.billedMs, 0);
    expect(total).toBe(60 * minute);

    const refused = await handlers['tracker.start']({ contractId: 'c-limit', weeklyHourLimit: 1 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.problem.status).toBe(409);
      expect(refused.problem.detail).toMatch(/weekly hour limit/);
    }
    const outOfRange = await handlers['tracker.start']({ contractId: 'c-x', weeklyHourLimit: 200 });
    expect(outOfRange.ok).toBe(false);
    if (!outOfRange.ok) expect(outOfRange.problem.errors?.[0]?.pointer).toBe('/weeklyHourLimit');
  });

  it('answers idle questions over IPC and validates the answer', async () => {
    const clock = new FakeClock(monday9);
    // Input for the first 3 minutes, then away for 10, then back.
    const idle = new FakeIdle(clock)
      .inputDuring(0, 3 * minute)
      .inputDuring(13 * minute, 60 * minute);
    const services = await createMainServices({
      config: { serverUrl: server.baseUrl, profile, version: '0.0.0-test' },
      host: 'browser',
      log: silentLog,
      keychain: createMemoryKeychain(),
      dataDir,
      clock,
      idle,
    });
    const { handlers } = services;
    await signUp(handlers, 'idler');
    value(await handlers['tracker.start']({ contractId: 'c-3' }));
    clock.advance(15 * minute);
    const asked = await status(handlers);
    expect(asked.questions).toHaveLength(1);
    const question = asked.questions[0];
    if (!question) throw new Error('no question');

    const bad = await handlers['tracker.answerIdle']({
      stretchId: question.stretchId,
      answer: { choice: 'reassign' },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problem.status).toBe(422);

    const unknown = await handlers['tracker.answerIdle']({
      stretchId: 'no-such-stretch',
      answer: { choice: 'keep' },
    });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.problem.status).toBe(409);

    const answered = value(
      await handlers['tracker.answerIdle']({
        stretchId: question.stretchId,
        answer: { choice: 'discard' },
      }),
    );
    expect(answered.questions).toEqual([]);
    expect(answered.running?.billedMs).toBe(15 * minute - question.ms);
    value(await handlers['tracker.stop'](undefined));
  });
});
