import type { MegilanceApi } from '../../../shared/ipc/contract.ts';
import type { ContractDocument } from '../../../shared/sync/documents.ts';
import { dayStart, weekOf } from '../../../shared/time/slots.ts';
import { weekApprovalId } from '../../../shared/time/stable-ids.ts';
import type { MegilanceDatabase } from '../../sync/database.ts';
import { groupForHandOff, handOffEntry, screenshotDocumentsToCreate } from './hand-off-model.ts';

/**
 * One hand-off, against the device database and the desktop host: the tracker's slots into
 * tracked time entries (written only where something changed), then the shared screenshots
 * into their records. Scheduling lives in hand-off.ts.
 */
export interface HandOffDeps {
  db: MegilanceDatabase;
  me: string;
  /** What a hand-off asks the desktop host: its tracker's slots and its screenshots. */
  host: {
    tracker: Pick<MegilanceApi['tracker'], 'segments'>;
    screenshots: Pick<MegilanceApi['screenshots'], 'list'>;
  };
  now?: () => number;
}

/** One hand-off of [from, to): time entries first, then the shared screenshots' records. */
export async function handOff(deps: HandOffDeps, from: number, to: number): Promise<void> {
  const now = deps.now ?? Date.now;
  const contracts = new Map<string, ContractDocument>(
    (await deps.db.contracts.find({ selector: { 'freelancer.id': deps.me } }).exec()).map((doc) => [
      doc.id,
      doc.toMutableJSON(),
    ]),
  );
  if (contracts.size === 0) return;

  // The server keeps an approved week's time as it was approved: nothing more to hand over.
  const approved = new Set(
    (await deps.db.timeReviews.find({ selector: { kind: 'approval' } }).exec()).map((r) => r.id),
  );
  const segments = await deps.host.tracker.segments({ from, to });
  if (segments.ok) {
    for (const group of groupForHandOff(segments.value, contracts, deps.me)) {
      if (approved.has(weekApprovalId(group.contract.id, weekOf(dayStart(group.day))))) continue;
      const input = { ...group, freelancerId: deps.me, now: new Date(now()).toISOString() };
      const stored = await deps.db.timeEntries.findOne(group.id).exec();
      if (!stored) {
        const created = handOffEntry(null, input);
        if (created) await deps.db.timeEntries.insert(created);
        continue;
      }
      if (!handOffEntry(stored.toMutableJSON(), input)) continue;
      // Re-applied to the latest copy: a pull may have changed it since it was read.
      await stored.incrementalModify((latest) => handOffEntry(latest, input) ?? latest);
    }
  }

  const shots = await deps.host.screenshots.list({ from, to });
  // A host without screenshots (or one still starting) has nothing to record.
  if (!shots.ok) return;
  const shared = shots.value.filter((shot) => shot.state === 'shared');
  if (shared.length === 0) return;
  // Deleted ones included: a screenshot deleted here must never come back.
  const known = await deps.db.screenshots.storageInstance.findDocumentsById(
    shared.map((shot) => shot.id),
    true,
  );
  const recorded = new Set(known.map((doc) => doc.id));
  const created = screenshotDocumentsToCreate(
    shared,
    recorded,
    contracts,
    deps.me,
    new Date(now()).toISOString(),
  );
  if (created.length > 0) await deps.db.screenshots.bulkInsert(created);
}
