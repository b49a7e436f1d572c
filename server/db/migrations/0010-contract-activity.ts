import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * When each contract was not active: one row per stretch, opened when the contract leaves
 * `active` (paused or ended) and closed when the client resumes it. The time rules
 * (server/time/entry-rules.ts) need the moments, not only today's status: a freelancer who
 * tracked offline while the contract was active may sync after the client paused or ended
 * it, and that time must still land, while time worked inside a stretch must not, even once
 * the contract is active again.
 *
 * `kind` is the status that opened the stretch; a paused contract that ends keeps its open
 * stretch (it stopped being active at the pause). At most one stretch per contract is open.
 *
 * Contracts already paused or ended get an open stretch from their `updated_at`: their status
 * change was their last change (settings cannot change on an ended contract, and changing a
 * paused one's settings only moves that moment later, which refuses no time tracked before it).
 */
export function contractActivityMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await t
        .withSerialId(db.schema.createTable('contract_inactive_periods'))
        .addColumn('contract_id', t.id, (c) => c.notNull().references('contracts.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(t.inList('kind', ['paused', 'ended'])))
        .addColumn('started_at', t.instant, (c) => c.notNull())
        .addColumn('ended_at', t.instant)
        .execute();
      await db.schema
        .createIndex('contract_inactive_periods_contract_idx')
        .on('contract_inactive_periods')
        .columns(['contract_id', 'started_at'])
        .execute();
      // One open stretch per contract: a second pause without a resume is a bug, not history.
      await db.schema
        .createIndex('contract_inactive_periods_open_idx')
        .on('contract_inactive_periods')
        .column('contract_id')
        .unique()
        .where(sql.ref('ended_at'), 'is', null)
        .execute();
      await sql`
        insert into contract_inactive_periods (contract_id, kind, started_at, ended_at)
        select id, status, updated_at, null from contracts
        where status <> 'active'`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('contract_inactive_periods').execute();
    },
  };
}
