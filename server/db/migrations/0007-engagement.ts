import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * What people keep an eye on: favorite projects and freelancers, follows, saved searches;
 * the files a project's client attaches; and the indexes trending ranks by. Primary keys carry
 * the idempotency rules (one favorite, one follow per pair), so repeats and races add nothing.
 */
export function engagementMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('project_favorites')
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('project_id', t.id, (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('project_favorites_pk', ['user_id', 'project_id'])
        .execute();
      await db.schema
        .createIndex('project_favorites_list_idx')
        .on('project_favorites')
        .columns(['user_id', 'created_at', 'project_id'])
        .execute();

      await db.schema
        .createTable('freelancer_favorites')
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('freelancer_id', t.id, (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('freelancer_favorites_pk', ['user_id', 'freelancer_id'])
        .addCheckConstraint('freelancer_favorites_self_check', sql`user_id <> freelancer_id`)
        .execute();
      await db.schema
        .createIndex('freelancer_favorites_list_idx')
        .on('freelancer_favorites')
        .columns(['user_id', 'created_at', 'freelancer_id'])
        .execute();

      await db.schema
        .createTable('follows')
        .addColumn('follower_id', t.id, (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('followee_id', t.id, (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('follows_pk', ['follower_id', 'followee_id'])
        .addCheckConstraint('follows_self_check', sql`follower_id <> followee_id`)
        .execute();
      // Whom I follow is the primary key's prefix; who follows me needs its own index.
      await db.schema
        .createIndex('follows_following_idx')
        .on('follows')
        .columns(['follower_id', 'created_at', 'followee_id'])
        .execute();
      await db.schema
        .createIndex('follows_followers_idx')
        .on('follows')
        .columns(['followee_id', 'created_at', 'follower_id'])
        .execute();

      await db.schema
        .createTable('saved_searches')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        // JSON text: the validated search filters, without paging.
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        // The latest run, and the one before it: a run's later pages count "new" from the latter.
        .addColumn('last_run_at', t.instant, (c) => c.notNull())
        .addColumn('previous_run_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('saved_searches_user_idx')
        .on('saved_searches')
        .columns(['user_id', 'created_at', 'id'])
        .execute();
      // Names are unique per user regardless of case.
      await sql`create unique index saved_searches_name_key on saved_searches (user_id, lower(name))`.execute(
        db,
      );

      await db.schema
        .createTable('project_attachments')
        .addColumn('project_id', t.id, (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('blob_hash', 'text', (c) => c.notNull().references('blobs.hash'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('project_attachments_pk', ['project_id', 'blob_hash'])
        .addUniqueConstraint('project_attachments_position_key', ['project_id', 'position'])
        .execute();
      // The blob endpoint asks "does a project reference this hash?".
      await db.schema
        .createIndex('project_attachments_blob_idx')
        .on('project_attachments')
        .column('blob_hash')
        .execute();

      // Trending reads the last week's views and proposals.
      await db.schema
        .createIndex('project_views_recent_idx')
        .on('project_views')
        .columns(['first_viewed_at', 'project_id'])
        .execute();
      await db.schema
        .createIndex('proposals_recent_idx')
        .on('proposals')
        .columns(['created_at', 'project_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('proposals_recent_idx').execute();
      await db.schema.dropIndex('project_views_recent_idx').execute();
      for (const table of [
        'project_attachments',
        'saved_searches',
        'follows',
        'freelancer_favorites',
        'project_favorites',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
