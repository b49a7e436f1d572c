import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Freelancer profiles (skills with levels, portfolio items; headline, bio and rate already
 * live on `users`), reviews after a contract ends, and the search index over freelancers.
 *
 * The index is one plain-text document per freelancer (`freelancer_search_docs`: name,
 * headline, bio, skill names), kept by triggers on `users`, `profile_skills` and `skills`, so
 * it follows every writer (the profile service, account edits, the seed) in the same
 * transaction. SQLite indexes the documents with FTS5 (triggers again, as for projects);
 * PostgreSQL with a weighted tsvector (name A, headline and skills B, bio C) under GIN.
 * Snippet markers (control characters 2 and 3) are blanked out of the bio on the way in.
 */
export function profilesMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('profile_skills')
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('skill_id', t.id, (c) => c.notNull().references('skills.id'))
        .addColumn('level', 'text', (c) =>
          c.notNull().check(t.inList('level', ['beginner', 'intermediate', 'expert'])),
        )
        // The freelancer's own order: their strongest skills first.
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('profile_skills_pk', ['user_id', 'skill_id'])
        .execute();
      await db.schema
        .createIndex('profile_skills_skill_idx')
        .on('profile_skills')
        .columns(['skill_id', 'user_id'])
        .execute();

      await db.schema
        .createTable('portfolio_items')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description_html', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('image_hash', 'text', (c) => c.references('blobs.hash'))
        .addColumn('completed_on', 'text')
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('portfolio_items_user_idx')
        .on('portfolio_items')
        .columns(['user_id', 'position'])
        .execute();
      await db.schema
        .createIndex('portfolio_items_image_idx')
        .on('portfolio_items')
        .column('image_hash')
        .execute();

      await db.schema
        .createTable('reviews')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('contract_id', t.id, (c) => c.notNull().references('contracts.id'))
        .addColumn('reviewer_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('reviewee_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('rating', 'integer', (c) => c.notNull().check(sql`rating between 1 and 5`))
        .addColumn('text_html', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        // One review per side of a contract, even when two arrive at once.
        .addUniqueConstraint('reviews_contract_reviewer_key', ['contract_id', 'reviewer_id'])
        .addCheckConstraint('reviews_parties_check', sql`reviewer_id <> reviewee_id`)
        .execute();
      await db.schema
        .createIndex('reviews_reviewee_idx')
        .on('reviews')
        .columns(['reviewee_id', 'created_at', 'id'])
        .execute();

      if (dialect === 'sqlite') await sqliteIndex(db);
      else await postgresIndex(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`drop table freelancer_fts`.execute(db);
        for (const trigger of sqliteSourceTriggers) {
          await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
        }
      } else {
        await sql`drop trigger users_freelancer_search_doc on users`.execute(db);
        await sql`drop trigger skills_freelancer_search_doc on skills`.execute(db);
      }
      for (const table of [
        'freelancer_search_docs',
        'reviews',
        'portfolio_items',
        'profile_skills',
      ]) {
        await db.schema.dropTable(table).execute();
      }
      if (dialect === 'postgres') {
        for (const fn of [
          'freelancer_search_doc_of_user',
          'freelancer_search_doc_of_skill',
          'freelancer_search_doc_of_profile_skill',
          'refresh_freelancer_search_doc',
        ]) {
          await sql`drop function ${sql.raw(fn)}`.execute(db);
        }
      }
    },
  };
}

/** A freelancer's skill names, in slug order, as one text. */
const skillNames = (userId: string) => `coalesce((
  select group_concat(s.name, ', ' order by s.slug)
  from profile_skills ps join skills s on s.id = ps.skill_id
  where ps.user_id = ${userId}), '')`;

/** The documents of the freelancers among `users u` that `where` picks. */
const sqliteDocuments = (where: string) => `
  insert into freelancer_search_docs (user_id, name, headline, body, skills)
    select u.id, u.name, coalesce(u.headline, ''),
      replace(replace(coalesce(u.bio, ''), char(2), ' '), char(3), ' '), ${skillNames('u.id')}
    from users u where u.role = 'freelancer' and ${where}`;

/** Writes (or removes, for anyone not a freelancer) the document of one user. */
const sqliteRefresh = (userId: string) => `
  delete from freelancer_search_docs where user_id = ${userId}
    and not exists (select 1 from users where id = ${userId} and role = 'freelancer');
  ${sqliteDocuments(`u.id = ${userId}`)}
    on conflict (user_id) do update set name = excluded.name, headline = excluded.headline,
      body = excluded.body, skills = excluded.skills;`;

const sqliteSourceTriggers = [
  'users_freelancer_doc_ai',
  'users_freelancer_doc_au',
  'profile_skills_freelancer_doc_ai',
  'profile_skills_freelancer_doc_ad',
  'profile_skills_freelancer_doc_au',
  'skills_freelancer_doc_au',
];

async function sqliteIndex(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table freelancer_search_docs (
      id integer primary key,
      user_id text not null unique references users(id) on delete cascade,
      name text not null,
      headline text not null,
      body text not null,
      skills text not null
    )`.execute(db);
  await sql`
    create virtual table freelancer_fts using fts5(
      name, headline, body, skills,
      content = 'freelancer_search_docs', content_rowid = 'id',
      tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3'
    )`.execute(db);
  const columns = 'name, headline, body, skills';
  const values = (row: 'new' | 'old') =>
    `${row}.id, ${row}.name, ${row}.headline, ${row}.body, ${row}.skills`;
  const ftsInsert = `insert into freelancer_fts (rowid, ${columns}) values (${values('new')});`;
  const ftsDelete = `insert into freelancer_fts (freelancer_fts, rowid, ${columns}) values ('delete', ${values('old')});`;
  const triggers: Array<[name: string, event: string, body: string]> = [
    ['freelancer_search_docs_ai', 'after insert on freelancer_search_docs', ftsInsert],
    ['freelancer_search_docs_ad', 'after delete on freelancer_search_docs', ftsDelete],
    ['freelancer_search_docs_au', 'after update on freelancer_search_docs', ftsDelete + ftsInsert],
    ['users_freelancer_doc_ai', 'after insert on users', sqliteRefresh('new.id')],
    [
      'users_freelancer_doc_au',
      'after update of name, headline, bio, role on users',
      sqliteRefresh('new.id'),
    ],
    [
      'profile_skills_freelancer_doc_ai',
      'after insert on profile_skills',
      sqliteRefresh('new.user_id'),
    ],
    [
      'profile_skills_freelancer_doc_ad',
      'after delete on profile_skills',
      sqliteRefresh('old.user_id'),
    ],
    [
      'profile_skills_freelancer_doc_au',
      'after update on profile_skills',
      sqliteRefresh('old.user_id') + sqliteRefresh('new.user_id'),
    ],
    [
      'skills_freelancer_doc_au',
      'after update of name, slug on skills',
      `update freelancer_search_docs set skills = ${skillNames('freelancer_search_docs.user_id')}
        where user_id in (select user_id from profile_skills where skill_id = new.id);`,
    ],
  ];
  for (const [name, event, body] of triggers) {
    await sql.raw(`create trigger ${name} ${event} begin ${body} end`).execute(db);
  }
  // Freelancers who signed up before the index.
  await sql.raw(sqliteDocuments('true')).execute(db);
}

async function postgresIndex(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table freelancer_search_docs (
      user_id uuid primary key references users(id) on delete cascade,
      name text not null,
      headline text not null,
      body text not null,
      skills text not null,
      search_vector tsvector not null generated always as (
        setweight(to_tsvector('english'::regconfig, name), 'A') ||
        setweight(to_tsvector('english'::regconfig, headline || ' ' || skills), 'B') ||
        setweight(to_tsvector('english'::regconfig, body), 'C')
      ) stored
    )`.execute(db);
  await sql`
    create index freelancer_search_docs_vector_idx on freelancer_search_docs
    using gin (search_vector)`.execute(db);
  await sql`
    create function refresh_freelancer_search_doc(target uuid) returns void
    language sql as $$
      delete from freelancer_search_docs where user_id = target
        and not exists (select 1 from users where id = target and role = 'freelancer');
      insert into freelancer_search_docs (user_id, name, headline, body, skills)
        select u.id, u.name, coalesce(u.headline, ''),
          translate(coalesce(u.bio, ''), chr(2) || chr(3), '  '),
          coalesce((
            select string_agg(s.name, ', ' order by s.slug)
            from profile_skills ps join skills s on s.id = ps.skill_id
            where ps.user_id = u.id), '')
        from users u where u.id = target and u.role = 'freelancer'
        on conflict (user_id) do update set name = excluded.name, headline = excluded.headline,
          body = excluded.body, skills = excluded.skills;
    $$`.execute(db);
  await sql`
    create function freelancer_search_doc_of_user() returns trigger
    language plpgsql as $$
    begin
      perform refresh_freelancer_search_doc(new.id);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger users_freelancer_search_doc
    after insert or update of name, headline, bio, role on users
    for each row execute function freelancer_search_doc_of_user()`.execute(db);
  await sql`
    create function freelancer_search_doc_of_profile_skill() returns trigger
    language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then perform refresh_freelancer_search_doc(old.user_id); end if;
      if tg_op in ('INSERT', 'UPDATE') then perform refresh_freelancer_search_doc(new.user_id); end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger profile_skills_freelancer_search_doc
    after insert or update or delete on profile_skills
    for each row execute function freelancer_search_doc_of_profile_skill()`.execute(db);
  await sql`
    create function freelancer_search_doc_of_skill() returns trigger
    language plpgsql as $$
    begin
      perform refresh_freelancer_search_doc(ps.user_id)
        from profile_skills ps where ps.skill_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger skills_freelancer_search_doc
    after update of name, slug on skills
    for each row execute function freelancer_search_doc_of_skill()`.execute(db);
  await sql`select refresh_freelancer_search_doc(id) from users where role = 'freelancer'`.execute(
    db,
  );
}
