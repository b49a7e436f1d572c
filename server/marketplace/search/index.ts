import type { Db } from '../../db/database.ts';
import type { ProjectService } from '../projects.ts';
import type { TaxonomyService } from '../taxonomy.ts';
import { PostgresProjectSearch } from './postgres-search.ts';
import type { ProjectSearch } from './project-search.ts';
import { SqliteProjectSearch } from './sqlite-search.ts';

export type { ProjectSearch } from './project-search.ts';

/** The search engine of the database in use. */
export function createProjectSearch(
  db: Db,
  taxonomy: TaxonomyService,
  projects: ProjectService,
): ProjectSearch {
  return db.dialect === 'sqlite'
    ? new SqliteProjectSearch(db, taxonomy, projects)
    : new PostgresProjectSearch(db, taxonomy, projects);
}
