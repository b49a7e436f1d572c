import { sql } from 'kysely';
import { MARK_END, MARK_START } from './document.ts';
import { SqlProjectSearch, type TextMatch } from './project-search.ts';

/** Column weights for bm25, in table order: title, body, skills, tags. */
const WEIGHTS = sql.raw('10.0, 1.0, 4.0, 4.0');

/** SQLite FTS5: bm25 ranking; terms are quoted strings, so never FTS5 operators. */
export class SqliteProjectSearch extends SqlProjectSearch {
  protected textMatch(terms: string[], titleOnly: boolean): TextMatch {
    // Terms hold only letters, digits and marks; quoting makes each a plain phrase.
    const phrases = terms.map((term, index) =>
      index === terms.length - 1 ? `"${term}"*` : `"${term}"`,
    );
    const expression = titleOnly ? `{title} : (${phrases.join(' ')})` : phrases.join(' ');
    return {
      from: sql`join project_fts on project_fts.rowid = d.id`,
      where: sql`project_fts match ${expression}`,
      score: sql<number>`(-bm25(project_fts, ${WEIGHTS}))`,
      snippet: sql<string>`snippet(project_fts, 1, ${MARK_START}, ${MARK_END}, '…', 24)`,
    };
  }
}
