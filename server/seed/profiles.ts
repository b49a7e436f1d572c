import type { Faker } from '@faker-js/faker';
import type { Kysely } from 'kysely';
import type {
  ContractsTable,
  Database,
  PortfolioItemsTable,
  ProfileSkillsTable,
  ReviewsTable,
  SkillLevel,
  UsersTable,
} from '../db/schema.ts';
import { sanitizeDescription } from '../marketplace/sanitize.ts';
import { demoAccounts } from './demo-accounts.ts';
import { insertBatches } from './insert-batches.ts';

export interface ProfileSeedResult {
  profileSkills: number;
  portfolioItems: number;
  reviews: number;
}

const DAY = 86_400_000;

/** What clients say at each rating, and what freelancers say of clients. */
const praise: Record<number, string[]> = {
  5: [
    'Outstanding work, delivered ahead of schedule.',
    'Clear communication from start to finish.',
    'Would hire again without a second thought.',
    'Understood the brief better than we did.',
  ],
  4: [
    'Solid work and easy to work with.',
    'A couple of revisions, but the result is great.',
    'Responsive and reliable throughout.',
  ],
  3: ['Got the job done, though deadlines slipped.', 'Good skills; updates were irregular.'],
  2: ['Needed a lot of hand-holding.', 'The result did not match what was agreed.'],
  1: ['Missed every milestone.'],
};
const aboutClients = [
  'Clear requirements and quick feedback.',
  'Paid promptly, a pleasure to work with.',
  'Friendly team, well organised project.',
  'Scope grew a little, but fair throughout.',
];

/**
 * Profiles that look lived in: every seeded freelancer gets skills with levels from one field
 * of work (plus the odd extra) and 0–4 portfolio items; ended contracts get reviews, some from
 * both sides, some from one (public after 14 days), some none. The demo freelancer gets a
 * profile too. Runs inside the marketplace seed's transaction, after everything else drew
 * from `f`; the search index follows through its triggers.
 */
export async function seedProfiles(
  trx: Kysely<Database>,
  f: Faker,
  market: {
    freelancers: UsersTable[];
    contracts: Array<
      Pick<ContractsTable, 'id' | 'client_id' | 'freelancer_id' | 'status' | 'updated_at'>
    >;
    /** Skill names that go together (one field of work each), and every skill's id by name. */
    skillGroups: string[][];
    skillId: Map<string, string>;
  },
  now: number,
): Promise<ProfileSeedResult> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const allSkills = [...market.skillId.keys()];
  const level = () =>
    f.helpers.weightedArrayElement<SkillLevel>([
      { weight: 25, value: 'beginner' },
      { weight: 45, value: 'intermediate' },
      { weight: 30, value: 'expert' },
    ]);
  const skillRows = (userId: string, names: string[]): ProfileSkillsTable[] =>
    names.map((name, position) => ({
      user_id: userId,
      skill_id: market.skillId.get(name) ?? '',
      level: position === 0 ? 'expert' : level(),
      position,
    }));

  const profileSkills: ProfileSkillsTable[] = [];
  const portfolio: PortfolioItemsTable[] = [];
  for (const freelancer of market.freelancers) {
    const field = f.helpers.arrayElement(market.skillGroups);
    const extra = f.helpers.arrayElements(allSkills, { min: 0, max: 2 });
    const names = [...new Set([...f.helpers.shuffle([...field]), ...extra])].slice(0, 8);
    profileSkills.push(...skillRows(freelancer.id, names));
    const joined = Date.parse(freelancer.created_at);
    const items = f.number.int({ min: 0, max: 4 });
    for (let position = 0; position < items; position += 1) {
      const done = f.number.int({ min: joined, max: now - DAY });
      const client = f.company.name();
      const title = `${f.helpers.arrayElement(['Website', 'App', 'Brand', 'Campaign', 'Dashboard', 'Guide'])} for ${client}`;
      portfolio.push({
        id: f.string.uuid(),
        user_id: freelancer.id,
        title,
        description_html: sanitizeDescription(
          `${f.company.catchPhrase()}. Built with ${names.slice(0, 2).join(' and ')}.\n\n${f.lorem.sentences({ min: 1, max: 3 })}`,
        ),
        url: f.datatype.boolean(0.6)
          ? `https://${f.internet.domainName()}/work/${f.string.alphanumeric({ length: 8, casing: 'lower' })}`
          : null,
        image_hash: null,
        completed_on: iso(done).slice(0, 10),
        position,
        created_at: iso(done + DAY),
        updated_at: iso(done + DAY),
      });
    }
  }

  const demo = await trx
    .selectFrom('users')
    .select('id')
    .where(
      'email',
      'in',
      demoAccounts.filter((a) => a.role === 'freelancer').map((a) => a.email),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('profile_skills')
            .select('user_id')
            .whereRef('profile_skills.user_id', '=', 'users.id'),
        ),
      ),
    )
    .execute();
  for (const { id } of demo) {
    profileSkills.push(
      ...skillRows(
        id,
        ['TypeScript', 'React', 'Node.js', 'Electron', 'PostgreSQL'].filter((name) =>
          market.skillId.has(name),
        ),
      ),
    );
  }

  const reviews: ReviewsTable[] = [];
  for (const contract of market.contracts.filter((c) => c.status === 'ended')) {
    const ended = Date.parse(contract.updated_at);
    const who = f.helpers.weightedArrayElement<'both' | 'client' | 'freelancer' | 'none'>([
      { weight: 50, value: 'both' },
      { weight: 25, value: 'client' },
      { weight: 12, value: 'freelancer' },
      { weight: 13, value: 'none' },
    ]);
    // The first within ten days of the end, the second within the 14 days that follow.
    const first = Math.min(now, ended + f.number.int({ min: DAY / 4, max: 10 * DAY }));
    const second = Math.min(now, first + f.number.int({ min: DAY / 24, max: 13 * DAY }));
    const [clientAt, freelancerAt] = f.datatype.boolean() ? [first, second] : [second, first];
    if (who === 'both' || who === 'client') {
      const rating = f.helpers.weightedArrayElement([
        { weight: 55, value: 5 },
        { weight: 28, value: 4 },
        { weight: 10, value: 3 },
        { weight: 5, value: 2 },
        { weight: 2, value: 1 },
      ]);
      reviews.push({
        id: f.string.uuid(),
        contract_id: contract.id,
        reviewer_id: contract.client_id,
        reviewee_id: contract.freelancer_id,
        rating,
        text_html: sanitizeDescription(
          f.helpers.arrayElements(praise[rating] ?? [], { min: 1, max: 2 }).join(' '),
        ),
        created_at: iso(who === 'client' ? first : clientAt),
      });
    }
    if (who === 'both' || who === 'freelancer') {
      reviews.push({
        id: f.string.uuid(),
        contract_id: contract.id,
        reviewer_id: contract.freelancer_id,
        reviewee_id: contract.client_id,
        rating: f.helpers.weightedArrayElement([
          { weight: 70, value: 5 },
          { weight: 25, value: 4 },
          { weight: 5, value: 3 },
        ]),
        text_html: sanitizeDescription(f.helpers.arrayElement(aboutClients)),
        created_at: iso(who === 'freelancer' ? first : freelancerAt),
      });
    }
  }

  await insertBatches(trx, 'profile_skills', profileSkills);
  await insertBatches(trx, 'portfolio_items', portfolio);
  await insertBatches(trx, 'reviews', reviews);
  return {
    profileSkills: profileSkills.length,
    portfolioItems: portfolio.length,
    reviews: reviews.length,
  };
}
