import type { Transaction } from 'kysely';
import type { SyncCollection } from '../../shared/sync/protocol.ts';
import type { Database } from '../db/schema.ts';

/**
 * One transaction's view of the sync counters. Taking a collection's counter row first
 * (a no-op update) serialises writers of that collection on PostgreSQL until commit, so
 * sequence order is commit order and a pull never skips a change committed late.
 * SQLite has one writer at a time anyway.
 */
export class SyncWriteContext {
  readonly trx: Transaction<Database>;
  private readonly changed = new Map<SyncCollection, { seq: number; audience: Set<string> }>();

  constructor(trx: Transaction<Database>) {
    this.trx = trx;
  }

  async lock(collection: SyncCollection): Promise<void> {
    await this.trx
      .updateTable('sync_counters')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('collection', '=', collection)
      .execute();
  }

  /** Reserves `count` consecutive sequence numbers and returns the first. */
  async allocate(collection: SyncCollection, count: number): Promise<number> {
    const row = await this.trx
      .updateTable('sync_counters')
      .set((eb) => ({ seq: eb('seq', '+', count) }))
      .where('collection', '=', collection)
      .returning('seq')
      .executeTakeFirstOrThrow();
    return row.seq - count + 1;
  }

  /**
   * A server-side write's sequence numbers: `count` consecutive ones (the first is returned),
   * and `audience` to be told once the transaction has committed. The write stores them on
   * its rows in this same transaction.
   */
  async stamp(collection: SyncCollection, audience: Iterable<string>, count = 1): Promise<number> {
    const first = await this.allocate(collection, count);
    this.touched(collection, first + count - 1, audience);
    return first;
  }

  /** Records who must be told about a change once the transaction has committed. */
  touched(collection: SyncCollection, seq: number, audience: Iterable<string>): void {
    const entry = this.changed.get(collection) ?? { seq, audience: new Set<string>() };
    entry.seq = Math.max(entry.seq, seq);
    for (const userId of audience) entry.audience.add(userId);
    this.changed.set(collection, entry);
  }

  changes(): Array<{ collection: SyncCollection; seq: number; audience: string[] }> {
    return [...this.changed].map(([collection, { seq, audience }]) => ({
      collection,
      seq,
      audience: [...audience],
    }));
  }
}
