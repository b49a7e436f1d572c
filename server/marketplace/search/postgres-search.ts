import { sql } from 'kysely';
import { MARK_END, MARK_START } from './document.ts';
import { SqlProjectSearch, type TextMatch } from './project-search.ts';

const HEADLINE_OPTIONS =
  `StartSel=${MARK_START}, StopSel=${MARK_END}, ` +
  'MinWords=12, MaxWords=30, MaxFragments=2, FragmentDelimiter=" … "';

/**
 * PostgreSQL full text: ts_rank_cd over the weighted vector (title A, skills and tags B,
 * description C). Terms are single quoted lexemes ANDed together, so never tsquery operators.
 */
export class PostgresProjectSearch extends SqlProjectSearch {
  protected textMatch(terms: string[], titleOnly: boolean): TextMatch {
    const weight = titleOnly ? 'A' : '';
    const tsquery = terms
      .map((term, index) => {
        const label = `${index === terms.length - 1 ? '*' : ''}${weight}`;
        return label ? `'${term}':${label}` : `'${term}'`;
      })
      .join(' & ');
    return {
      from: sql`cross join to_tsquery('english'::regconfig, ${tsquery}) as search_query`,
      where: sql`d.search_vector @@ search_query`,
      // float8, so the score survives the round trip through a cursor exactly.
      score: sql<number>`ts_rank_cd(d.search_vector, search_query)::float8`,
      snippet: sql<string>`ts_headline('english'::regconfig, d.body, search_query, ${HEADLINE_OPTIONS})`,
    };
  }
}
