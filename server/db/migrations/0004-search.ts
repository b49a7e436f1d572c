import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { Migration } from 'kysely/migration';
import { searchDocument } from '../../marketplace/search/document.ts';
import type { DialectName } from '../database.ts';

/**
 * Full-text search over projects. Both dialects keep one plain-text document per project
 * (`project_search_docs`: title, description without markup, skills, tags), written by the
 * project service in the same transaction as the project. SQLite indexes it with an FTS5
 * table (external content, kept in step by triggers); PostgreSQL with a weighted tsvector
 * (title A, skills and tags B, description C) generated from it, under a GIN index. The
 * vector lives beside the document rather than on `projects`, so project reads never haul it.
 */
export function searchMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`
          create table project_search_docs (
            id integer primary key,
            project_id text not null unique references projects(id) on delete cascade,
            title text not null,
            body text not null,
            skills text not null,
            tags text not null
          )`.execute(db);
        await sql`
          create virtual table project_fts using fts5(
            title, body, skills, tags,
            content = 'project_search_docs', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3'
          )`.execute(db);
        await sql`
          create trigger project_search_docs_ai after insert on project_search_docs begin
            insert into project_fts (rowid, title, body, skills, tags)
            values (new.id, new.title, new.body, new.skills, new.tags);
          end`.execute(db);
        await sql`
          create trigger project_search_docs_ad after delete on project_search_docs begin
            insert into project_fts (project_fts, rowid, title, body, skills, tags)
            values ('delete', old.id, old.title, old.body, old.skills, old.tags);
          end`.execute(db);
        await sql`
          create trigger project_search_docs_au after update on project_search_docs begin
            insert into project_fts (project_fts, rowid, title, body, skills, tags)
            values ('delete', old.id, old.title, old.body, old.skills, old.tags);
            insert into project_fts (rowid, title, body, skills, tags)
            values (new.id, new.title, new.body, new.skills, new.tags);
          end`.execute(db);
      } else {
        await sql`
          create table project_search_docs (
            project_id uuid primary key references projects(id) on delete cascade,
            title text not null,
            body text not null,
            skills text not null,
            tags text not null,
            search_vector tsvector not null generated always as (
              setweight(to_tsvector('english'::regconfig, title), 'A') ||
              setweight(to_tsvector('english'::regconfig, skills || ' ' || tags), 'B') ||
              setweight(to_tsvector('english'::regconfig, body), 'C')
            ) stored
          )`.execute(db);
        await sql`
          create index project_search_docs_vector_idx on project_search_docs
          using gin (search_vector)`.execute(db);
      }
      await backfillSearchDocuments(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect === 'sqlite') await sql`drop table project_fts`.execute(db);
      await sql`drop table project_search_docs`.execute(db);
    },
  };
}

/** Documents for the projects that exist already (exported for its test). */
export async function backfillSearchDocuments(db: QueryExecutorProvider): Promise<void> {
  const projects = await sql<{ id: string; title: string; description_html: string }>`
    select id, title, description_html from projects`.execute(db);
  const terms = async (table: 'project_skills' | 'project_tags', target: 'skills' | 'tags') => {
    const column = table === 'project_skills' ? 'skill_id' : 'tag_id';
    const rows = await sql<{ project_id: string; name: string }>`
      select l.project_id, t.name from ${sql.table(table)} l
      join ${sql.table(target)} t on t.id = l.${sql.ref(column)}
      order by t.slug`.execute(db);
    const byProject = new Map<string, string[]>();
    for (const row of rows.rows) {
      byProject.set(row.project_id, [...(byProject.get(row.project_id) ?? []), row.name]);
    }
    return byProject;
  };
  const skills = await terms('project_skills', 'skills');
  const tags = await terms('project_tags', 'tags');
  for (const project of projects.rows) {
    const doc = searchDocument(
      project.title,
      project.description_html,
      skills.get(project.id) ?? [],
      tags.get(project.id) ?? [],
    );
    await sql`
      insert into project_search_docs (project_id, title, body, skills, tags)
      values (${project.id}, ${doc.title}, ${doc.body}, ${doc.skills}, ${doc.tags})`.execute(db);
  }
}
