import { SqlProjectSearch } from './project-search.ts';
import { tsqueryMatch, type TextMatch } from './text-match.ts';

/**
 * PostgreSQL full text: ts_rank_cd over the weighted vector (title A, skills and tags B,
 * description C). Terms are single quoted lexemes ANDed together, so never tsquery operators.
 */
export class PostgresProjectSearch extends SqlProjectSearch {
  protected textMatch(terms: string[], titleOnly: boolean): TextMatch {
    return tsqueryMatch(terms, titleOnly);
  }
}
