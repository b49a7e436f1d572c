import { SqlProjectSearch } from './project-search.ts';
import { fts5Match, type Fts5Index, type TextMatch } from './text-match.ts';

/** Projects' FTS5 index; bm25 weights in table order: title, body, skills, tags. */
const PROJECT_FTS: Fts5Index = {
  table: 'project_fts',
  weights: '10.0, 1.0, 4.0, 4.0',
  bodyColumn: 1,
  firstColumn: 'title',
};

/** SQLite FTS5: bm25 ranking; terms are quoted strings, so never FTS5 operators. */
export class SqliteProjectSearch extends SqlProjectSearch {
  protected textMatch(terms: string[], titleOnly: boolean): TextMatch {
    return fts5Match(PROJECT_FTS, terms, titleOnly);
  }
}
