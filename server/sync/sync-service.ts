import { problemTypes, type FieldError } from '../../shared/api/problem.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import { sameDocument } from '../../shared/sync/merge.ts';
import type { Checkpoint, SyncCollection } from '../../shared/sync/protocol.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import type { AuthContext } from '../http/route.ts';
import { contractsSpec } from './collections/contracts.ts';
import { conversationsSpec } from './collections/conversations.ts';
import { escrowsSpec } from './collections/escrows.ts';
import { invoicesSpec } from './collections/invoices.ts';
import { messagesSpec } from './collections/messages.ts';
import { milestonesSpec } from './collections/milestones.ts';
import { notificationsSpec } from './collections/notifications.ts';
import { screenshotsSpec } from './collections/screenshots.ts';
import { settingsSpec } from './collections/settings.ts';
import { timeEntriesSpec } from './collections/time-entries.ts';
import { timeReviewsSpec } from './collections/time-reviews.ts';
import { workLogsSpec } from './collections/work-logs.ts';
import type { SyncSpec } from './spec.ts';
import type { SyncedWrites } from './synced-writes.ts';

export type { CommittedChange } from './synced-writes.ts';

export const syncSpecs: { [C in SyncCollection]: SyncSpec<C> } = {
  settings: settingsSpec,
  conversations: conversationsSpec,
  messages: messagesSpec,
  notifications: notificationsSpec,
  contracts: contractsSpec,
  milestones: milestonesSpec,
  timeEntries: timeEntriesSpec,
  screenshots: screenshotsSpec,
  workLogs: workLogsSpec,
  timeReviews: timeReviewsSpec,
  escrows: escrowsSpec,
  invoices: invoicesSpec,
};

export interface PushRow<C extends SyncCollection> {
  newDocumentState: WireDocument<C>;
  assumedMasterState?: WireDocument<C> | null | undefined;
}

/**
 * The generic half of sync: checkpoints, conflict detection, authorisation dispatch and the
 * one transaction per push. A rejected push writes nothing, so the device keeps its copy and
 * hears exactly which field of which row was refused.
 */
export class SyncService {
  private readonly db: Db;
  private readonly writes: SyncedWrites;

  constructor(db: Db, writes: SyncedWrites) {
    this.db = db;
    this.writes = writes;
  }

  async pull<C extends SyncCollection>(
    collection: C,
    user: AuthContext,
    checkpoint: Checkpoint | undefined,
    limit: number,
  ): Promise<{ documents: WireDocument<C>[]; checkpoint: Checkpoint | null }> {
    const spec = syncSpecs[collection] as SyncSpec<C>;
    const rows = await spec.pull(this.db.kysely, user.userId, checkpoint?.seq ?? 0, limit);
    const last = rows.at(-1);
    return {
      documents: rows.map((row) => row.document),
      checkpoint: last ? { seq: last.seq } : (checkpoint ?? null),
    };
  }

  async push<C extends SyncCollection>(
    collection: C,
    user: AuthContext,
    rows: PushRow<C>[],
  ): Promise<WireDocument<C>[]> {
    const spec = syncSpecs[collection] as SyncSpec<C>;
    rejectRepeatedIds(rows);
    return this.writes.transaction(async (context) => {
      const { trx } = context;
      await context.lock(collection);
      const conflicts: WireDocument<C>[] = [];
      const writes: Array<{ incoming: WireDocument<C>; existing: WireDocument<C> | null }> = [];
      const errors: FieldError[] = [];
      let pending: string | null = null;

      for (const [index, row] of rows.entries()) {
        const at = `/${index}/newDocumentState`;
        const incoming = row.newDocumentState;
        const existing = await spec.find(trx, incoming.id);
        if (existing && !(await spec.canSee(trx, user.userId, existing))) {
          // Answered like any other refusal: the id reveals nothing about the document.
          errors.push({ pointer: `${at}/id`, detail: 'is the id of a document you cannot change' });
          continue;
        }
        if (existing && !sameDocument(existing, row.assumedMasterState ?? null)) {
          conflicts.push(existing);
          continue;
        }
        const verdict = await spec.authorize(trx, user, incoming, existing);
        if (verdict.allowed) writes.push({ incoming, existing });
        else if ('pending' in verdict) pending ??= verdict.pending;
        else
          errors.push(
            ...verdict.errors.map((e) => ({ pointer: at + e.pointer, detail: e.detail })),
          );
      }

      if (errors.length > 0) {
        throw new HttpProblem(
          403,
          problemTypes.forbidden,
          'Change refused',
          `The server refused ${errors.length} change${errors.length === 1 ? '' : 's'} in this push; nothing was written.`,
          { errors },
        );
      }
      if (pending) {
        throw new HttpProblem(
          409,
          problemTypes.syncPending,
          'Waiting for a related change',
          `A document in this push depends on another one: ${pending}. Retry shortly; nothing was written.`,
        );
      }
      if (writes.length > 0) {
        let seq = await context.allocate(collection, writes.length);
        for (const { incoming, existing } of writes) {
          await spec.write(context, incoming, existing, seq);
          context.touched(collection, seq, await spec.audience(trx, incoming));
          seq += 1;
        }
      }
      return conflicts;
    });
  }
}

function rejectRepeatedIds(rows: Array<{ newDocumentState: { id: string } }>) {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  rows.forEach((row, index) => {
    if (seen.has(row.newDocumentState.id)) {
      errors.push({
        pointer: `/${index}/newDocumentState/id`,
        detail: 'appears twice in this push',
      });
    }
    seen.add(row.newDocumentState.id);
  });
  if (errors.length > 0) {
    throw new HttpProblem(
      422,
      problemTypes.validation,
      'Invalid input',
      'A push may carry each document once.',
      { errors },
    );
  }
}
