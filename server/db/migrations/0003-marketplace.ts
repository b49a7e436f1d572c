import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * The marketplace's taxonomy (a category tree, skills, tags) and projects. Budgets are money
 * (integer minor units + one ISO currency for both ends); a deadline is a calendar date as
 * `YYYY-MM-DD` text on both dialects; descriptions are stored already sanitised.
 */
export function marketplaceMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('categories')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('parent_id', t.id, (c) => c.references('categories.id'))
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('icon', 'text')
        .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('categories_parent_idx')
        .on('categories')
        .column('parent_id')
        .execute();

      for (const table of ['skills', 'tags']) {
        await db.schema
          .createTable(table)
          .addColumn('id', t.id, (c) => c.primaryKey())
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', t.instant, (c) => c.notNull())
          .execute();
      }

      await db.schema
        .createTable('projects')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('client_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description_html', 'text', (c) => c.notNull())
        .addColumn('category_id', t.id, (c) => c.notNull().references('categories.id'))
        .addColumn('budget_type', 'text', (c) =>
          c.notNull().check(t.inList('budget_type', ['fixed', 'hourly'])),
        )
        .addColumn('budget_min_minor', t.money, (c) => c.notNull())
        .addColumn('budget_max_minor', t.money, (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text')
        .addColumn('visibility', 'text', (c) =>
          c.notNull().check(t.inList('visibility', ['public', 'invite'])),
        )
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(t.inList('status', ['draft', 'open', 'in_progress', 'completed', 'cancelled'])),
        )
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('published_at', t.instant)
        .execute();
      await db.schema
        .createIndex('projects_listing_idx')
        .on('projects')
        .columns(['status', 'visibility', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('projects_category_idx')
        .on('projects')
        .columns(['category_id', 'status', 'created_at'])
        .execute();
      await db.schema
        .createIndex('projects_client_idx')
        .on('projects')
        .columns(['client_id', 'created_at'])
        .execute();

      for (const [table, column, target] of [
        ['project_skills', 'skill_id', 'skills'],
        ['project_tags', 'tag_id', 'tags'],
      ] as const) {
        await db.schema
          .createTable(table)
          .addColumn('project_id', t.id, (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn(column, t.id, (c) => c.notNull().references(`${target}.id`))
          .addPrimaryKeyConstraint(`${table}_pk`, ['project_id', column])
          .execute();
        await db.schema
          .createIndex(`${table}_${column}_idx`)
          .on(table)
          .columns([column, 'project_id'])
          .execute();
      }

      // One row per (project, viewer): a view is counted once per person, however often.
      await db.schema
        .createTable('project_views')
        .addColumn('project_id', t.id, (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('viewer_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('first_viewed_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('project_views_pk', ['project_id', 'viewer_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'project_views',
        'project_tags',
        'project_skills',
        'projects',
        'tags',
        'skills',
        'categories',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
