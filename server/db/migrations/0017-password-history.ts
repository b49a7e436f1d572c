import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Hashes of the passwords a user replaced (server/auth/password-history.ts), so a new password
 * cannot be one of the last five; the current one stays in users.password_hash.
 */
export function passwordHistoryMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await t
        .withSerialId(db.schema.createTable('password_history'))
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('replaced_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('password_history_user_idx')
        .on('password_history')
        .columns(['user_id', 'replaced_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('password_history').execute();
    },
  };
}
