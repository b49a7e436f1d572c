import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MegilanceApi } from '../../shared/ipc/contract.ts';
import type { LocalScreenshot } from '../../shared/ipc/screenshots.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import { diaryScreenshots } from '../../src-renderer/features/time/diary-model.ts';
import { handOff, type HandOffDeps } from '../../src-renderer/features/time/hand-off-run.ts';
import { deleteScreenshot } from '../../src-renderer/features/time/screenshot-actions.ts';
import { createUserDatabase, type MegilanceDatabase } from '../../src-renderer/sync/database.ts';
import { freelancerId as me, hourlyContract as contract } from '../support/hourly-contract.ts';

/**
 * Deleting from a diary whose copy of the screenshot is out of date: the diary still showed it
 * private, but its grace period had ended and the hand-off had recorded it for the client. The
 * record must go too (with the slot's time), or the client keeps a screenshot the freelancer
 * deleted.
 */
const slot = Date.parse('2026-11-20T09:00:00.000Z');
const entryId = trackedEntryId(contract.id, me, '2026-11-20');
const shot: LocalScreenshot = {
  id: '7b2c1f0e-6a44-4c1e-9d55-0a4b7c2d9e01',
  contractId: contract.id,
  entryId,
  slot,
  takenAt: slot + 30_000,
  screen: 0,
  activity: null,
  image: { hash: 'c'.repeat(64), size: 100, width: 1280, height: 800, mimeType: 'image/webp' },
  thumbnail: { hash: 'd'.repeat(64), size: 10, width: 320, height: 200, mimeType: 'image/webp' },
  blurred: false,
  state: 'shared',
  shareAt: slot + 630_000,
  uploaded: false,
};

let db: MegilanceDatabase | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await db?.close();
});

describe('deleting a screenshot the diary still shows as private', () => {
  it('removes its record and its slot’s time once the hand-off has recorded it', async () => {
    db = await createUserDatabase({
      userId: me,
      namespace: 'stale-delete',
      storage: getRxStorageMemory() as RxStorage<unknown, unknown>,
      multiInstance: false,
      collections: ['contracts', 'timeEntries', 'screenshots', 'timeReviews'],
    });
    await db.contracts.insert(contract);
    const deleted: string[] = [];
    // What the hand-off asks the desktop host, and the delete the diary asks of it.
    const host: HandOffDeps['host'] & {
      screenshots: Pick<MegilanceApi['screenshots'], 'delete'>;
    } = {
      tracker: {
        segments: () =>
          Promise.resolve({
            ok: true,
            value: [
              {
                id: `${contract.id}@${new Date(slot).toISOString()}`,
                contractId: contract.id,
                start: slot,
                end: slot + 600_000,
                memo: 'Owls',
                billedMs: 600_000,
                idlePendingMs: 0,
                idleDiscardedMs: 0,
                trackedMinutes: 10,
                activeMinutes: null,
                activity: null,
                removed: false,
              },
            ],
          }),
      },
      screenshots: {
        list: () => Promise.resolve({ ok: true, value: [shot] }),
        delete: ({ id }) => {
          deleted.push(id);
          return Promise.resolve({
            ok: true,
            value: { id, contractId: contract.id, entryId, slot },
          });
        },
      },
    };
    vi.stubGlobal('window', { megilance: host });
    // The grace period ended and the hand-off recorded the screenshot and the slot's time.
    await handOff(
      { db, me, host, now: () => slot + 700_000 },
      slot - 86_400_000,
      slot + 86_400_000,
    );
    expect(await db.screenshots.findOne(shot.id).exec()).not.toBeNull();

    // The diary's copy is from before the grace period ended.
    const [shown] = diaryScreenshots([{ ...shot, state: 'pending' }], []);
    if (!shown) throw new Error('no diary screenshot');
    await deleteScreenshot(db, shown);

    expect(deleted).toEqual([shot.id]);
    expect(await db.screenshots.findOne(shot.id).exec()).toBeNull();
    const entry = await db.timeEntries.findOne(entryId).exec();
    expect(entry?.segments.map((segment) => segment.removed)).toEqual([true]);
    expect(entry?.billedMs).toBe(0);
  });
});
