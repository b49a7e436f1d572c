import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Proposals on projects, and the contracts (with milestones) that accepting one creates.
 * Money is integer minor units beside one ISO currency; a due date is `YYYY-MM-DD` text.
 * Uniqueness carries the rules that must hold under concurrency: one proposal per freelancer
 * and project, at most one contract per project and per proposal.
 */
export function proposalsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('proposals')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
        .addColumn('freelancer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('cover_letter_html', 'text', (c) => c.notNull())
        .addColumn('bid_type', 'text', (c) =>
          c.notNull().check(t.inList('bid_type', ['fixed', 'hourly'])),
        )
        .addColumn('amount_minor', t.money)
        .addColumn('rate_minor', t.money)
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('duration_days', 'integer', (c) => c.notNull())
        // JSON text: [{ title, amountMinor, dueDate }] in the bid's currency, or null.
        .addColumn('milestone_plan', 'text')
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              t.inList('status', ['pending', 'shortlisted', 'rejected', 'withdrawn', 'accepted']),
            ),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('proposals_project_freelancer_key', ['project_id', 'freelancer_id'])
        .addCheckConstraint(
          'proposals_bid_check',
          sql`(bid_type = 'fixed' and amount_minor is not null and rate_minor is null)
            or (bid_type = 'hourly' and rate_minor is not null and amount_minor is null)`,
        )
        .execute();
      await db.schema
        .createIndex('proposals_project_idx')
        .on('proposals')
        .columns(['project_id', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('proposals_freelancer_idx')
        .on('proposals')
        .columns(['freelancer_id', 'created_at', 'id'])
        .execute();

      await db.schema
        .createTable('contracts')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('project_id', t.id, (c) => c.notNull().unique().references('projects.id'))
        .addColumn('proposal_id', t.id, (c) => c.notNull().unique().references('proposals.id'))
        .addColumn('client_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('freelancer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('type', 'text', (c) => c.notNull().check(t.inList('type', ['fixed', 'hourly'])))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('rate_minor', t.money)
        .addColumn('weekly_hour_limit', 'integer')
        .addColumn('manual_time_allowed', 'integer', (c) =>
          c.notNull().check(sql`manual_time_allowed in (0, 1)`),
        )
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['active', 'paused', 'ended'])),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      for (const party of ['client_id', 'freelancer_id']) {
        await db.schema
          .createIndex(`contracts_${party}_idx`)
          .on('contracts')
          .columns([party, 'created_at', 'id'])
          .execute();
      }

      await db.schema
        .createTable('milestones')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('contract_id', t.id, (c) =>
          c.notNull().references('contracts.id').onDelete('cascade'),
        )
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('amount_minor', t.money, (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text')
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(
              t.inList('status', [
                'pending',
                'funded',
                'submitted',
                'approved',
                'released',
                'disputed',
              ]),
            ),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('milestones_contract_position_key', ['contract_id', 'position'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['milestones', 'contracts', 'proposals']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
