import type { MegilanceDatabase } from '../../sync/engine.ts';
import { megilance, unwrap } from '../../platform/megilance.ts';
import type { DiaryScreenshot } from './diary-model.ts';
import { requestHandOff } from './hand-off-requests.ts';
import { withSlotRemoved } from './hand-off-model.ts';

/**
 * What the freelancer can do to a screenshot from the diary. Blurring is only possible while
 * it is private. Deleting takes the slot's time away: the main process removes the bytes and
 * marks the slot removed in the tracker; for a shared screenshot the record is tombstoned and
 * the slot marked removed in the synced time entry too, so the client sees the same.
 */
export async function blurScreenshot(shot: DiaryScreenshot): Promise<void> {
  unwrap(await megilance().screenshots.blur({ id: shot.id }));
}

export async function deleteScreenshot(
  db: MegilanceDatabase,
  shot: DiaryScreenshot,
): Promise<void> {
  if (shot.local) unwrap(await megilance().screenshots.delete({ id: shot.id }));
  // The diary's copy can be older than the grace period's end (it reloads every 15 s): one
  // shown as private may have been shared and recorded since, so a record found counts too.
  const recorded = await db.screenshots.findOne(shot.id).exec();
  if (shot.state === 'shared' || recorded) {
    if (recorded) await recorded.remove();
    const entry = await db.timeEntries.findOne(shot.entryId).exec();
    const slot = new Date(shot.slot).toISOString();
    const now = new Date().toISOString();
    if (entry && withSlotRemoved(entry.toMutableJSON(), slot, now)) {
      await entry.incrementalModify((latest) => withSlotRemoved(latest, slot, now) ?? latest);
    }
  }
  requestHandOff();
}
