import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { RxStorage } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalScreenshot } from '../../shared/ipc/screenshots.ts';
import type { TrackerSegmentView } from '../../shared/ipc/tracker.ts';
import { trackedEntryId, weekApprovalId } from '../../shared/time/stable-ids.ts';
import { handOff, type HandOffDeps } from '../../src-renderer/features/time/hand-off-run.ts';
import { approvalDocument } from '../../src-renderer/features/time/review-model.ts';
import { createUserDatabase, type MegilanceDatabase } from '../../src-renderer/sync/database.ts';
import { clientId, freelancerId, hourlyContract } from '../support/hourly-contract.ts';

/**
 * The hand-off against a real RxDB database (memory storage) and a desktop host answering
 * with fixed slots and screenshots: what it writes, and that running it again writes nothing.
 */
const me = freelancerId;
const client = clientId;
const contract = hourlyContract;
const t0 = Date.parse('2026-11-20T09:00:00.000Z');
const from = t0 - 86_400_000;
const to = t0 + 86_400_000;

const slot = (index: number, billedMs: number): TrackerSegmentView => {
  const start = t0 + index * 600_000;
  return {
    id: `${contract.id}@${new Date(start).toISOString()}`,
    contractId: contract.id,
    start,
    end: start + 600_000,
    memo: 'Owls',
    billedMs,
    idlePendingMs: 0,
    idleDiscardedMs: 0,
    trackedMinutes: Math.ceil(billedMs / 60_000),
    activeMinutes: null,
    activity: null,
    removed: false,
  };
};

const shot = (id: string, state: LocalScreenshot['state']): LocalScreenshot => ({
  id,
  contractId: contract.id,
  entryId: trackedEntryId(contract.id, me, '2026-11-20'),
  slot: t0,
  takenAt: t0 + 60_000,
  screen: 0,
  activity: null,
  image: { hash: 'a'.repeat(64), size: 100, width: 1280, height: 800, mimeType: 'image/webp' },
  thumbnail: { hash: 'b'.repeat(64), size: 10, width: 320, height: 200, mimeType: 'image/webp' },
  blurred: false,
  state,
  shareAt: t0 + 660_000,
  uploaded: false,
});

/** A desktop host whose tracker and screenshot store answer with what the test holds. */
function hostWith(state: { slots: TrackerSegmentView[]; shots: LocalScreenshot[] }) {
  const host: HandOffDeps['host'] = {
    tracker: { segments: () => Promise.resolve({ ok: true, value: state.slots }) },
    screenshots: { list: () => Promise.resolve({ ok: true, value: state.shots }) },
  };
  return host;
}

const opened: MegilanceDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

async function freelancerDatabase(name: string) {
  const db = await createUserDatabase({
    userId: me,
    namespace: name,
    storage: getRxStorageMemory() as RxStorage<unknown, unknown>,
    multiInstance: false,
    collections: ['contracts', 'timeEntries', 'screenshots', 'timeReviews'],
  });
  opened.push(db);
  await db.contracts.insert(contract);
  return db;
}

describe('running the hand-off against the device database', () => {
  it('writes the day’s entry once, grows it, and writes nothing when nothing changed', async () => {
    const db = await freelancerDatabase('grow');
    const state = { slots: [slot(0, 600_000), slot(1, 120_000)], shots: [] };
    const deps: HandOffDeps = { db, me, host: hostWith(state), now: () => t0 + 720_000 };
    await handOff(deps, from, to);
    const id = trackedEntryId(contract.id, me, '2026-11-20');
    const first = await db.timeEntries.findOne(id).exec();
    expect(first?.billedMs).toBe(720_000);
    expect(first?.amount).toEqual({ amountMinor: 900, currency: 'EUR' });

    // A restart hands the same journal over: the stored revision does not move.
    await handOff(deps, from, to);
    expect((await db.timeEntries.findOne(id).exec())?.revision).toBe(first?.revision);

    state.slots = [slot(0, 600_000), slot(1, 600_000)];
    await handOff(deps, from, to);
    const grown = await db.timeEntries.findOne(id).exec();
    expect(grown?.billedMs).toBe(1_200_000);
    expect(grown?.segments).toHaveLength(2);
    expect(await db.timeEntries.count().exec()).toBe(1);
  });

  it('records shared screenshots only, and never brings back one deleted here', async () => {
    const db = await freelancerDatabase('shots');
    const shared = shot('6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01', 'shared');
    const pending = shot('6a1c1f0e-6a44-4c1e-9d55-0a4b7c2d9e02', 'pending');
    const state = { slots: [slot(0, 600_000)], shots: [shared, pending] };
    const deps: HandOffDeps = { db, me, host: hostWith(state), now: () => t0 + 720_000 };
    await handOff(deps, from, to);
    expect((await db.screenshots.find().exec()).map((doc) => doc.id)).toEqual([shared.id]);

    await (await db.screenshots.findOne(shared.id).exec())?.remove();
    // The host still lists it (its file not yet gone): the tombstone keeps it deleted.
    await handOff(deps, from, to);
    expect(await db.screenshots.count().exec()).toBe(0);
  });

  it('leaves an approved week alone: its time is final on the server', async () => {
    const db = await freelancerDatabase('approved');
    await db.timeReviews.insert(
      approvalDocument({
        contractId: contract.id,
        week: '2026-11-16',
        reviewerId: client,
        now: '2026-11-23T08:00:00.000Z',
      }),
    );
    expect((await db.timeReviews.find().exec())[0]?.id).toBe(
      weekApprovalId(contract.id, '2026-11-16'),
    );
    const deps: HandOffDeps = {
      db,
      me,
      host: hostWith({ slots: [slot(0, 600_000)], shots: [] }),
    };
    await handOff(deps, from, to);
    expect(await db.timeEntries.count().exec()).toBe(0);
  });
});
