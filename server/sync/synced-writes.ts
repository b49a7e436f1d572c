import type { SyncCollection } from '../../shared/sync/protocol.ts';
import type { Db } from '../db/database.ts';
import { SyncWriteContext } from './write-context.ts';

export interface CommittedChange {
  collection: SyncCollection;
  seq: number;
  audience: string[];
}

/**
 * Transactions that write synced documents, from a device's push or from the server itself
 * (accepting a proposal creates a contract, a status change moves it on). Inside, the write
 * stamps each changed row with sequence numbers from its `SyncWriteContext`; once the
 * transaction has committed, and only then, the users who can see the changes hear
 * `sync:changed` and their devices pull. A transaction that throws announces nothing.
 *
 *   await writes.transaction(async (sync) => {
 *     const seq = await sync.stamp('contracts', [clientId, freelancerId]);
 *     await sync.trx.updateTable('contracts').set({ status, seq }).where('id', '=', id).execute();
 *   });
 */
export class SyncedWrites {
  private readonly db: Db;
  private readonly announce: (changes: CommittedChange[]) => void;

  constructor(db: Db, announce: (changes: CommittedChange[]) => void) {
    this.db = db;
    this.announce = announce;
  }

  async transaction<T>(work: (sync: SyncWriteContext) => Promise<T>): Promise<T> {
    const { result, changes } = await this.db.kysely.transaction().execute(async (trx) => {
      const context = new SyncWriteContext(trx);
      const result = await work(context);
      return { result, changes: context.changes() };
    });
    if (changes.length > 0) this.announce(changes);
    return result;
  }
}
