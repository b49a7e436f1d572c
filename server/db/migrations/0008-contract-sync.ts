import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';

/**
 * Contracts and milestones become synced documents of both parties' devices. They stay
 * marketplace tables (the proposals and contracts services write them); what opts them in is
 * a `seq` column (the pull checkpoint: the sync counter value of each row's last change), the
 * indexes the pulls walk, and one `sync_counters` row per collection. No tombstone column:
 * contracts end, they are never deleted.
 *
 * Existing rows are numbered in the order they were made (contracts by creation; milestones by
 * their contract's creation, then position), and each counter starts at its table's highest
 * number, so a device's first pull walks them all and the next server write continues after.
 */
const tables = ['contracts', 'milestones'] as const;

export function contractSyncMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Added nullable (SQLite cannot add a NOT NULL column without a default, and a default
      // would let a write forget its sequence), filled, then made required.
      for (const table of tables) {
        await db.schema.alterTable(table).addColumn('seq', 'bigint').execute();
      }
      await sql`
        update contracts set seq = numbered.n
        from (
          select id, row_number() over (order by created_at, id) as n from contracts
        ) as numbered
        where numbered.id = contracts.id`.execute(db);
      await sql`
        update milestones set seq = numbered.n
        from (
          select m.id, row_number() over (order by c.created_at, c.id, m.position) as n
          from milestones m join contracts c on c.id = m.contract_id
        ) as numbered
        where numbered.id = milestones.id`.execute(db);
      for (const table of tables) {
        await requireSeq(db, dialect, table);
        await sql`
          insert into sync_counters (collection, seq)
          select ${sql.lit(table)}, coalesce(max(seq), 0) from ${sql.table(table)}`.execute(db);
      }

      // A party's changes after a checkpoint: each party column with the sequence.
      for (const party of ['client_id', 'freelancer_id']) {
        await db.schema
          .createIndex(`contracts_${party}_seq_idx`)
          .on('contracts')
          .columns([party, 'seq'])
          .execute();
      }
      await db.schema
        .createIndex('milestones_contract_seq_idx')
        .on('milestones')
        .columns(['contract_id', 'seq'])
        .execute();
      await db.schema.createIndex('milestones_seq_idx').on('milestones').column('seq').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const index of [
        'milestones_seq_idx',
        'milestones_contract_seq_idx',
        'contracts_freelancer_id_seq_idx',
        'contracts_client_id_seq_idx',
      ]) {
        await db.schema.dropIndex(index).execute();
      }
      for (const table of tables) {
        await sql`delete from sync_counters where collection = ${sql.lit(table)}`.execute(db);
        if (dialect === 'sqlite') {
          for (const event of ['insert', 'update']) {
            await sql`drop trigger ${sql.raw(`${table}_seq_${event}_check`)}`.execute(db);
          }
        }
        await db.schema.alterTable(table).dropColumn('seq').execute();
      }
    },
  };
}

/**
 * NOT NULL on PostgreSQL. SQLite cannot add that constraint to an existing column, so two
 * triggers refuse a row without a sequence there: on both databases a synced row that was
 * never numbered fails loudly instead of never reaching a device.
 */
async function requireSeq(db: Kysely<unknown>, dialect: DialectName, table: string) {
  if (dialect === 'postgres') {
    await sql`alter table ${sql.table(table)} alter column seq set not null`.execute(db);
    return;
  }
  for (const event of ['insert', 'update']) {
    await sql`
      create trigger ${sql.raw(`${table}_seq_${event}_check`)}
      before ${sql.raw(event)} on ${sql.table(table)}
      when new.seq is null
      begin
        select raise(abort, ${sql.lit(`NOT NULL constraint failed: ${table}.seq`)});
      end`.execute(db);
  }
}
