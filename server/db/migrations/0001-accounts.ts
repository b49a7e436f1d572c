import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

export function accountsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) =>
          c.notNull().check(t.inList('role', ['client', 'freelancer', 'admin'])),
        )
        .addColumn('headline', 'text')
        .addColumn('bio', 'text')
        .addColumn('country', 'text')
        .addColumn('timezone', 'text')
        .addColumn('hourly_rate_minor', t.money)
        .addColumn('hourly_rate_currency', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('device_name', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text')
        .addColumn('ip_address', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('last_seen_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant, (c) => c.notNull())
        .addColumn('revoked_at', t.instant)
        .addColumn('revoked_reason', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('session_id', t.id, (c) =>
          c.notNull().references('sessions.id').onDelete('cascade'),
        )
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant, (c) => c.notNull())
        .addColumn('used_at', t.instant)
        .execute();
      await db.schema
        .createIndex('refresh_tokens_session_idx')
        .on('refresh_tokens')
        .column('session_id')
        .execute();

      await t
        .withSerialId(db.schema.createTable('audit_log'))
        .addColumn('user_id', t.id)
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('session_id', t.id)
        .addColumn('ip_address', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('request_id', 'text')
        .addColumn('details', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_log_user_idx')
        .on('audit_log')
        .columns(['user_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('server_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['server_secrets', 'audit_log', 'refresh_tokens', 'sessions', 'users']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
