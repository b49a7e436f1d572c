import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Transactional email (server/email/) and the account tokens mailed to people.
 *
 * `email_jobs` is the durable outbox: a job is inserted in the transaction of the change that
 * causes it and delivered by the worker. `dedupe_key` is unique so the same cause never queues
 * two mails. `next_attempt_at` is when a queued job is due, and for a job being sent the end of
 * its lease: a worker that died mid-send leaves the job to be claimed again after it.
 *
 * `account_tokens` hold the sha256 of single-use links (email verification, password reset).
 *
 * `users.email_verified_at`: accounts created before this migration stay unverified (null):
 * nobody ever proved they own those addresses; they can ask for a verification mail.
 */
export function emailMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('email_jobs')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        /** JSON: the template's typed data. */
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['queued', 'sending', 'sent', 'dead'])),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().check(sql`attempts >= 0`))
        .addColumn('next_attempt_at', t.instant, (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('sent_at', t.instant)
        .execute();
      // The worker reads due jobs by status and time.
      await db.schema
        .createIndex('email_jobs_due_idx')
        .on('email_jobs')
        .columns(['status', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('account_tokens')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) =>
          c.notNull().check(t.inList('purpose', ['verify_email', 'password_reset'])),
        )
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant, (c) => c.notNull())
        .addColumn('used_at', t.instant)
        .execute();
      await db.schema
        .createIndex('account_tokens_user_idx')
        .on('account_tokens')
        .columns(['user_id', 'purpose'])
        .execute();

      await db.schema.alterTable('users').addColumn('email_verified_at', t.instant).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
      await db.schema.dropTable('account_tokens').execute();
      await db.schema.dropTable('email_jobs').execute();
    },
  };
}
