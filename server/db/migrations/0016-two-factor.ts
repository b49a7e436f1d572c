import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Two-factor authentication (server/auth/two-factor/):
 * - one TOTP enrolment per user: the secret encrypted at rest, pending until a confirming code,
 *   and the last time step used, so each code works once;
 * - the backup codes, only as hashes, each spent once;
 * - sign-in challenges between the password and the second step, only as hashes, with a try
 *   count so guessing codes kills the challenge.
 */
export function twoFactorMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('two_factor')
        .addColumn('user_id', t.id, (c) => c.primaryKey().references('users.id'))
        /** AES-256-GCM of the base32 secret: `iv.tag.ciphertext`, base64url each. */
        .addColumn('secret_encrypted', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(t.inList('status', ['pending', 'active'])),
        )
        /** The newest TOTP time step accepted (fits 32 bits until the year 4000); older is refused. */
        .addColumn('last_used_step', 'integer')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('enabled_at', t.instant)
        .execute();

      await db.schema
        .createTable('two_factor_backup_codes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('used_at', t.instant)
        .addUniqueConstraint('two_factor_backup_codes_hash_key', ['user_id', 'code_hash'])
        .execute();

      await db.schema
        .createTable('two_factor_challenges')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('device_name', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) =>
          c
            .notNull()
            .defaultTo(0)
            .check(sql`attempts >= 0`),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant, (c) => c.notNull())
        /** Set when the challenge is spent: signed in, or out of tries. */
        .addColumn('ended_at', t.instant)
        .execute();
      await db.schema
        .createIndex('two_factor_challenges_user_idx')
        .on('two_factor_challenges')
        .columns(['user_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('two_factor_challenges').execute();
      await db.schema.dropTable('two_factor_backup_codes').execute();
      await db.schema.dropTable('two_factor').execute();
    },
  };
}
