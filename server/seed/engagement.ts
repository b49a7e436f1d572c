import type { Faker } from '@faker-js/faker';
import type { Kysely } from 'kysely';
import { savedSearchFiltersInputSchema } from '../../shared/marketplace/saved-searches.ts';
import type {
  Database,
  FollowsTable,
  FreelancerFavoritesTable,
  ProjectFavoritesTable,
  ProjectsTable,
  SavedSearchesTable,
  UsersTable,
} from '../db/schema.ts';
import { demoAccounts } from './demo-accounts.ts';
import { insertBatches } from './insert-batches.ts';

export interface EngagementSeedResult {
  favorites: number;
  follows: number;
  savedSearches: number;
}

const DAY = 86_400_000;

/** What freelancers look for, as they would type it into search and save it. */
const searches: Array<{ name: string; filters: Record<string, unknown> }> = [
  { name: 'React work', filters: { q: 'react', sort: 'newest' } },
  { name: 'TypeScript, hourly', filters: { q: 'typescript', type: 'hourly' } },
  { name: 'Design systems', filters: { q: 'design system' } },
  { name: 'Python and data', filters: { q: '', skills: ['Python', 'SQL'], sort: 'newest' } },
  { name: 'Copywriting', filters: { q: 'copy', type: 'fixed', sort: 'budget' } },
  { name: 'Mobile apps', filters: { q: 'app', skills: ['Swift', 'Kotlin', 'Flutter'] } },
];

/**
 * Favorites, follows and saved searches among the seeded people (and the demo accounts when
 * they exist), so the favorites screen, the following feed and saved searches are not empty.
 * Runs inside the marketplace seed's transaction, after everything else drew from `f`.
 */
export async function seedEngagement(
  trx: Kysely<Database>,
  f: Faker,
  people: { clients: UsersTable[]; freelancers: UsersTable[]; projects: ProjectsTable[] },
  now: number,
): Promise<EngagementSeedResult> {
  const iso = (ms: number) => new Date(ms).toISOString();
  // A random instant in [from, to]; the demo accounts may be younger than `to` allows.
  const between = (from: string, to = now) =>
    iso(f.number.int({ min: Math.min(Date.parse(from), to), max: to }));
  const open = people.projects.filter((p) => p.status === 'open' && p.visibility === 'public');
  const demo = await trx
    .selectFrom('users')
    .select(['id', 'role', 'created_at'])
    .where(
      'email',
      'in',
      demoAccounts.map((account) => account.email),
    )
    .execute();
  const freelancers = [...people.freelancers, ...demo.filter((u) => u.role === 'freelancer')];
  const clients = [...people.clients, ...demo.filter((u) => u.role === 'client')];
  const isDemo = new Set(demo.map((u) => u.id));

  const projectFavorites: ProjectFavoritesTable[] = [];
  const freelancerFavorites: FreelancerFavoritesTable[] = [];
  const follows: FollowsTable[] = [];
  const saved: SavedSearchesTable[] = [];
  if (open.length === 0) return { favorites: 0, follows: 0, savedSearches: 0 };

  for (const freelancer of freelancers) {
    const many = isDemo.has(freelancer.id);
    for (const project of f.helpers.arrayElements(open, many ? 4 : { min: 0, max: 5 })) {
      projectFavorites.push({
        user_id: freelancer.id,
        project_id: project.id,
        created_at: between(project.published_at ?? project.created_at),
      });
    }
    // Following a client is how new projects of theirs reach this freelancer's feed.
    const followed = many
      ? [...new Set(open.slice(0, 3).map((p) => p.client_id))]
      : f.helpers.arrayElements(clients, { min: 0, max: 3 }).map((c) => c.id);
    for (const clientId of followed) {
      follows.push({
        follower_id: freelancer.id,
        followee_id: clientId,
        created_at: between(freelancer.created_at),
      });
    }
    if (many || f.datatype.boolean(0.3)) {
      const search = f.helpers.arrayElement(searches);
      const created = between(freelancer.created_at, now - DAY);
      saved.push({
        id: f.string.uuid(),
        user_id: freelancer.id,
        name: search.name,
        query: JSON.stringify(savedSearchFiltersInputSchema.parse(search.filters)),
        created_at: created,
        updated_at: created,
        last_run_at: created,
        previous_run_at: created,
      });
    }
  }
  for (const client of clients) {
    const many = isDemo.has(client.id);
    const picked = f.helpers.arrayElements(people.freelancers, many ? 3 : { min: 0, max: 4 });
    for (const freelancer of picked) {
      freelancerFavorites.push({
        user_id: client.id,
        freelancer_id: freelancer.id,
        created_at: between(client.created_at),
      });
    }
    // Clients follow a freelancer now and then, to see who they are.
    for (const freelancer of f.helpers.arrayElements(people.freelancers, { min: 0, max: 1 })) {
      follows.push({
        follower_id: client.id,
        followee_id: freelancer.id,
        created_at: between(client.created_at),
      });
    }
  }

  await insertBatches(trx, 'project_favorites', projectFavorites);
  await insertBatches(trx, 'freelancer_favorites', freelancerFavorites);
  await insertBatches(trx, 'follows', follows);
  await insertBatches(trx, 'saved_searches', saved);
  return {
    favorites: projectFavorites.length + freelancerFavorites.length,
    follows: follows.length,
    savedSearches: saved.length,
  };
}
