import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** What the search index holds for one project: plain text, one field per weight. */
export interface SearchDocument {
  title: string;
  body: string;
  skills: string;
  tags: string;
}

/** Snippet markers: control characters, which indexed text never contains. */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Sanitised description markup as the words a reader sees: tags gone, entities decoded. */
export function htmlToText(html: string): string {
  return (
    html
      .replace(/<br\s*\/?>|<\/(?:p|li|h3|h4|blockquote|pre)>/gi, '\n')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
        if (name.startsWith('#')) {
          const code =
            name[1] === 'x' || name[1] === 'X'
              ? parseInt(name.slice(2), 16)
              : Number(name.slice(1));
          return Number.isInteger(code) && code > 0 && code <= 0x10ffff
            ? String.fromCodePoint(code)
            : ' ';
        }
        return entities[name.toLowerCase()] ?? whole;
      })
      // Control characters are reserved for snippet markers.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim()
  );
}

export function searchDocument(
  title: string,
  descriptionHtml: string,
  skills: readonly string[],
  tags: readonly string[],
): SearchDocument {
  return {
    title,
    body: htmlToText(descriptionHtml),
    skills: skills.join(', '),
    tags: tags.join(', '),
  };
}

/**
 * Writes a project's search document from its current row, skills and tags; called inside the
 * transaction that changed them, so the index never disagrees with what was committed. On
 * SQLite, triggers carry the document into the FTS5 table; on PostgreSQL the weighted
 * tsvector is a generated column of the document.
 */
export async function indexProject(trx: Kysely<Database>, projectId: string): Promise<void> {
  const [project, skills, tags] = await Promise.all([
    trx
      .selectFrom('projects')
      .select(['title', 'description_html'])
      .where('id', '=', projectId)
      .executeTakeFirstOrThrow(),
    trx
      .selectFrom('project_skills')
      .innerJoin('skills', 'skills.id', 'project_skills.skill_id')
      .select('skills.name')
      .where('project_skills.project_id', '=', projectId)
      .orderBy('skills.slug')
      .execute(),
    trx
      .selectFrom('project_tags')
      .innerJoin('tags', 'tags.id', 'project_tags.tag_id')
      .select('tags.name')
      .where('project_tags.project_id', '=', projectId)
      .orderBy('tags.slug')
      .execute(),
  ]);
  const document = searchDocument(
    project.title,
    project.description_html,
    skills.map((s) => s.name),
    tags.map((t) => t.name),
  );
  await trx
    .insertInto('project_search_docs')
    .values({ project_id: projectId, ...document })
    .onConflict((conflict) => conflict.column('project_id').doUpdateSet(document))
    .execute();
}
