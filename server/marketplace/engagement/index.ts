import type { Db } from '../../db/database.ts';
import type { ProjectService } from '../projects.ts';
import type { ProjectSearch } from '../search/project-search.ts';
import type { TaxonomyService } from '../taxonomy.ts';
import { ProjectAttachmentService } from './attachments.ts';
import { FavoriteService } from './favorites.ts';
import { FollowService } from './follows.ts';
import type { EngagementServices } from './routes.ts';
import { SavedSearchService } from './saved-searches.ts';
import { TrendingService } from './trending.ts';

export { engagementRoutes } from './routes.ts';

/** The services behind favorites, follows, saved searches, trending and project files. */
export function createEngagement(
  db: Db,
  projects: ProjectService,
  search: ProjectSearch,
  taxonomy: TaxonomyService,
): EngagementServices {
  return {
    favorites: new FavoriteService(db, projects),
    follows: new FollowService(db, projects),
    savedSearches: new SavedSearchService(db, search, taxonomy),
    trending: new TrendingService(db, projects),
    attachments: new ProjectAttachmentService(db, projects),
  };
}
