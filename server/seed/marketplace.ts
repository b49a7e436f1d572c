import { Faker, en } from '@faker-js/faker';
import { newUserRow } from '../auth/accounts.ts';
import type { Db } from '../db/database.ts';
import type {
  ContractsTable,
  Database,
  MilestonesTable,
  ProjectsTable,
  ProposalsTable,
  UsersTable,
} from '../db/schema.ts';
import { sanitizeDescription } from '../marketplace/sanitize.ts';
import { searchDocument } from '../marketplace/search/document.ts';
import { ensureTerms } from '../marketplace/taxonomy.ts';
import { SyncWriteContext } from '../sync/write-context.ts';
import { seedEngagement, type EngagementSeedResult } from './engagement.ts';
import { insertBatches } from './insert-batches.ts';
import { seedProfiles, type ProfileSeedResult } from './profiles.ts';

/**
 * A living marketplace for `npm run seed`: clients, freelancers, projects over the category
 * tree, proposals and contracts with milestones. Deterministic (fixed faker seed) and
 * idempotent: seeded users share the email domain below, and their presence means "done".
 * Rows come from the same builders the services use (user rows, sanitised markup, search
 * documents), so the search index holds exactly what the app would have written.
 */
export const seedEmailDomain = 'seed.megilance.test';
/** Every seeded user signs in with this; hashed once, the hash shared (argon2 is slow). */
export const seedPassword = 'megilance-seed-2026';

export const seedSizes = { clients: 50, freelancers: 200, projects: 1_000 } as const;

export interface MarketplaceSeedResult {
  skipped: boolean;
  clients: number;
  freelancers: number;
  projects: number;
  proposals: number;
  contracts: number;
  milestones: number;
  /** Favorite projects and freelancers, follows and saved searches (see ./engagement.ts). */
  engagement: EngagementSeedResult;
  /** Freelancers' skills with levels, portfolio items and reviews (see ./profiles.ts). */
  profiles: ProfileSeedResult;
  milliseconds: number;
}

const FAKER_SEED = 20_260_101;
const DAY = 86_400_000;

const places: Array<[country: string, timezone: string]> = [
  ['US', 'America/New_York'],
  ['US', 'America/Los_Angeles'],
  ['CA', 'America/Toronto'],
  ['BR', 'America/Sao_Paulo'],
  ['GB', 'Europe/London'],
  ['DE', 'Europe/Berlin'],
  ['FR', 'Europe/Paris'],
  ['PT', 'Europe/Lisbon'],
  ['PL', 'Europe/Warsaw'],
  ['UA', 'Europe/Kyiv'],
  ['IN', 'Asia/Kolkata'],
  ['PK', 'Asia/Karachi'],
  ['PH', 'Asia/Manila'],
  ['AU', 'Australia/Sydney'],
  ['NG', 'Africa/Lagos'],
  ['KE', 'Africa/Nairobi'],
];

/** Per category (by slug, parents included): the work, and the skills it needs. */
const work: Record<string, { nouns: string[]; skills: string[] }> = {
  development: { nouns: ['platform', 'internal tool', 'MVP'], skills: ['TypeScript', 'Node.js'] },
  'web-development': {
    nouns: ['web app', 'landing page', 'e-commerce site', 'dashboard', 'customer portal'],
    skills: ['React', 'TypeScript', 'JavaScript', 'Next.js', 'Vue.js', 'CSS'],
  },
  'mobile-development': {
    nouns: ['iOS app', 'Android app', 'React Native app', 'Flutter app'],
    skills: ['Swift', 'Kotlin', 'React Native', 'Flutter'],
  },
  'desktop-development': {
    nouns: ['desktop app', 'Electron client', 'offline-first app'],
    skills: ['Electron', 'TypeScript', 'SQLite', 'React'],
  },
  'backend-apis': {
    nouns: ['REST API', 'GraphQL API', 'payment integration', 'sync server'],
    skills: ['Node.js', 'PostgreSQL', 'Python', 'Go', 'GraphQL'],
  },
  'devops-cloud': {
    nouns: ['CI pipeline', 'Kubernetes cluster', 'AWS migration', 'monitoring stack'],
    skills: ['Docker', 'AWS', 'Kubernetes', 'Terraform'],
  },
  design: { nouns: ['brand refresh', 'design system'], skills: ['Figma'] },
  'ui-ux-design': {
    nouns: ['app redesign', 'onboarding flow', 'design system', 'wireframes'],
    skills: ['Figma', 'UX research', 'Prototyping'],
  },
  'graphic-design': {
    nouns: ['logo', 'brand identity', 'pitch deck', 'packaging'],
    skills: ['Illustrator', 'Photoshop', 'Branding'],
  },
  illustration: {
    nouns: ["children's book illustrations", 'icon set', 'editorial illustrations'],
    skills: ['Illustrator', 'Procreate'],
  },
  writing: { nouns: ['content plan', 'blog series'], skills: ['Copywriting'] },
  copywriting: {
    nouns: ['website copy', 'product descriptions', 'blog articles', 'newsletter'],
    skills: ['Copywriting', 'SEO', 'Content strategy'],
  },
  'technical-writing': {
    nouns: ['API documentation', 'user manual', 'developer guide', 'white paper'],
    skills: ['Technical writing', 'Markdown'],
  },
  translation: {
    nouns: ['website translation', 'app localisation', 'contract translation'],
    skills: ['German translation', 'Spanish translation', 'French translation'],
  },
  marketing: { nouns: ['growth plan', 'launch campaign'], skills: ['Marketing strategy'] },
  seo: { nouns: ['SEO audit', 'keyword research', 'link building'], skills: ['SEO'] },
  'social-media': {
    nouns: ['Instagram campaign', 'TikTok content', 'LinkedIn strategy'],
    skills: ['Social media marketing', 'Content strategy'],
  },
  'email-marketing': {
    nouns: ['email funnel', 'newsletter templates', 'drip campaign'],
    skills: ['Email marketing', 'Mailchimp', 'Copywriting'],
  },
  data: { nouns: ['data strategy', 'reporting'], skills: ['Data analysis', 'SQL'] },
  'data-analysis': {
    nouns: ['sales dashboard', 'KPI report', 'data pipeline', 'survey analysis'],
    skills: ['Data analysis', 'SQL', 'Python', 'Power BI'],
  },
  'machine-learning': {
    nouns: ['recommendation model', 'churn prediction', 'LLM chatbot', 'image classifier'],
    skills: ['Machine learning', 'Python', 'PyTorch'],
  },
};

const verbs = ['Build', 'Redesign', 'Create', 'Improve', 'Develop', 'Launch', 'Fix', 'Migrate'];
const tagPool = ['urgent', 'long-term', 'startup', 'remote', 'ongoing', 'small-task', 'b2b'];
const currencies = ['USD', 'USD', 'USD', 'EUR', 'EUR', 'GBP'];

type Status = ProjectsTable['status'];

/**
 * Seeds the marketplace once; ~1 s on SQLite. `scale` shrinks every count proportionally
 * (1 is the real seed). Expects the category tree (seedTaxonomy) to be there already.
 */
export async function seedMarketplace(db: Db, scale = 1): Promise<MarketplaceSeedResult> {
  const started = performance.now();
  const existing = await db.kysely
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('email', 'like', `%@${seedEmailDomain}`)
    .executeTakeFirstOrThrow();
  const result: MarketplaceSeedResult = {
    skipped: Number(existing.count) > 0,
    clients: 0,
    freelancers: 0,
    projects: 0,
    proposals: 0,
    contracts: 0,
    milestones: 0,
    engagement: { favorites: 0, follows: 0, savedSearches: 0 },
    profiles: { profileSkills: 0, portfolioItems: 0, reviews: 0 },
    milliseconds: 0,
  };
  if (result.skipped) {
    result.milliseconds = Math.round(performance.now() - started);
    return result;
  }

  const f = new Faker({ locale: [en] });
  f.seed(FAKER_SEED);
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const date = (ms: number) => iso(ms).slice(0, 10);
  const count = (n: number) => Math.max(1, Math.round(n * scale));

  // Users: one argon2 hash, shared.
  const template = await newUserRow({
    email: `template@${seedEmailDomain}`,
    password: seedPassword,
    name: 'template',
    role: 'client',
  });
  const userRow = (role: 'client' | 'freelancer', n: number): UsersTable => {
    const first = f.person.firstName();
    const last = f.person.lastName();
    const [country, timezone] = f.helpers.arrayElement(places);
    const created = iso(now - f.number.int({ min: 90, max: 720 }) * DAY);
    return {
      ...template,
      id: f.string.uuid(),
      email:
        `${role}${n}.${f.internet.username({ firstName: first, lastName: last })}@${seedEmailDomain}`.toLowerCase(),
      name: `${first} ${last}`,
      role,
      headline:
        role === 'client'
          ? `${f.person.jobTitle()} at ${f.company.name()}`
          : `${f.person.jobTitle()} · ${f.person.jobArea()} specialist`,
      bio: f.lorem.paragraph(),
      country,
      timezone,
      hourly_rate_minor: role === 'freelancer' ? f.number.int({ min: 15, max: 150 }) * 100 : null,
      hourly_rate_currency: role === 'freelancer' ? f.helpers.arrayElement(currencies) : null,
      // Generated addresses reach no one: seeded accounts start confirmed.
      email_verified_at: created,
      created_at: created,
      updated_at: created,
    };
  };
  const clients = Array.from({ length: count(seedSizes.clients) }, (_, n) => userRow('client', n));
  const freelancers = Array.from({ length: count(seedSizes.freelancers) }, (_, n) =>
    userRow('freelancer', n),
  );

  const categories = await db.kysely
    .selectFrom('categories')
    .select(['id', 'slug', 'parent_id'])
    .where('active', '=', 1)
    .orderBy('slug')
    .execute();
  if (categories.length === 0) throw new Error('seed the category tree first (seedTaxonomy)');
  const leaves = categories.filter((c) => c.parent_id !== null);

  await db.kysely.transaction().execute(async (trx) => {
    await insertBatches(trx, 'users', [...clients, ...freelancers]);

    const allSkills = [...new Set(Object.values(work).flatMap((w) => w.skills))];
    const skillIds = await ensureTerms(trx, 'skills', allSkills, '/skills');
    const skillId = new Map(allSkills.map((name, i) => [name, skillIds[i] ?? '']));
    const tagIds = await ensureTerms(trx, 'tags', tagPool, '/tags');
    const tagId = new Map(tagPool.map((name, i) => [name, tagIds[i] ?? '']));

    const projects: ProjectsTable[] = [];
    const projectSkills: Database['project_skills'][] = [];
    const projectTags: Database['project_tags'][] = [];
    const docs: Database['project_search_docs'][] = [];
    for (let n = 0; n < count(seedSizes.projects); n += 1) {
      // Mostly leaves; one in ten posted on a top-level field.
      const category = f.helpers.arrayElement(f.number.int(9) === 0 ? categories : leaves);
      const kind = work[category.slug] ?? { nouns: ['project'], skills: ['Copywriting'] };
      const noun = f.helpers.arrayElement(kind.nouns);
      const skills = f.helpers.arrayElements(kind.skills, { min: 1, max: 4 });
      const tags = f.helpers.arrayElements(tagPool, { min: 0, max: 2 });
      const title = `${f.helpers.arrayElement(verbs)} ${f.helpers.arrayElement(['a', 'our', 'the'])} ${noun} for ${f.company.name()}`;
      const descriptionHtml = sanitizeDescription(
        `<p>${f.company.catchPhrase()}. We are ${f.company.name()}, and we need a ${noun} ` +
          `built with ${skills.join(', ')}.</p><p>${f.lorem.paragraph({ min: 2, max: 5 })}</p>` +
          `<ul>${f.helpers
            .multiple(() => `<li>${f.company.buzzPhrase()}</li>`, { count: { min: 2, max: 4 } })
            .join('')}</ul><p>${f.lorem.sentences({ min: 1, max: 3 })}</p>`,
      );
      const status = f.helpers.weightedArrayElement<Status>([
        { weight: 76, value: 'open' },
        { weight: 5, value: 'draft' },
        { weight: 6, value: 'in_progress' },
        { weight: 5, value: 'completed' },
        { weight: 8, value: 'cancelled' },
      ]);
      const budgetType = f.helpers.weightedArrayElement<'fixed' | 'hourly'>([
        { weight: 65, value: 'fixed' },
        { weight: 35, value: 'hourly' },
      ]);
      const min =
        budgetType === 'fixed'
          ? f.number.int({ min: 2, max: 200 }) * 2_500
          : f.number.int({ min: 10, max: 80 }) * 100;
      const max = min + (budgetType === 'fixed' ? f.number.int(20) * 5_000 : f.number.int(8) * 500);
      const published = status === 'draft' ? null : now - f.number.int({ min: 0, max: 90 * DAY });
      const created =
        (published ?? now - f.number.int({ min: 0, max: 30 * DAY })) - f.number.int(2 * DAY);
      const row: ProjectsTable = {
        id: f.string.uuid(),
        client_id: f.helpers.arrayElement(clients).id,
        title,
        description_html: descriptionHtml,
        category_id: category.id,
        budget_type: budgetType,
        budget_min_minor: min,
        budget_max_minor: max,
        currency: f.helpers.arrayElement(currencies),
        deadline: f.datatype.boolean(0.6)
          ? date(now + f.number.int({ min: 7, max: 120 }) * DAY)
          : null,
        visibility: f.datatype.boolean(0.95) ? 'public' : 'invite',
        status,
        created_at: iso(created),
        updated_at: iso(published ?? created),
        published_at: published === null ? null : iso(published),
      };
      projects.push(row);
      for (const name of skills)
        projectSkills.push({ project_id: row.id, skill_id: skillId.get(name) ?? '' });
      for (const name of tags)
        projectTags.push({ project_id: row.id, tag_id: tagId.get(name) ?? '' });
      // The document indexProject writes, built from the same row, skills and tags.
      const sortedBySlug = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));
      docs.push({
        project_id: row.id,
        ...searchDocument(title, descriptionHtml, sortedBySlug(skills), sortedBySlug(tags)),
      });
    }
    const proposals: ProposalsTable[] = [];
    const contracts: Array<Omit<ContractsTable, 'seq'>> = [];
    const milestones: Array<Omit<MilestonesTable, 'seq'>> = [];
    for (const project of projects) {
      const contracted = project.status === 'in_progress' || project.status === 'completed';
      if (project.status !== 'open' && !contracted) continue;
      const published = Date.parse(project.published_at ?? project.created_at);
      // Freelancers only (never the client who owns it), each at most once.
      const bidders = f.helpers.arrayElements(
        freelancers,
        contracted ? { min: 1, max: 6 } : { min: 0, max: 7 },
      );
      const own: ProposalsTable[] = bidders.map((freelancer) => {
        const sent = iso(Math.min(now, published + f.number.int({ min: 600_000, max: 10 * DAY })));
        const fixed = project.budget_type === 'fixed';
        const amount = f.number.int({
          min: project.budget_min_minor,
          max: project.budget_max_minor,
        });
        const planned = fixed && f.datatype.boolean(0.4);
        const first = Math.round(amount * 0.4);
        return {
          id: f.string.uuid(),
          project_id: project.id,
          freelancer_id: freelancer.id,
          cover_letter_html: sanitizeDescription(
            `<p>Hi! ${f.lorem.paragraph()}</p><p>${f.lorem.sentences(2)}</p><p>Best, ${freelancer.name}</p>`,
          ),
          bid_type: project.budget_type,
          amount_minor: fixed ? amount : null,
          rate_minor: fixed ? null : amount,
          currency: project.currency,
          duration_days: f.number.int({ min: 3, max: 90 }),
          milestone_plan: planned
            ? JSON.stringify([
                { title: 'First delivery', amountMinor: first, dueDate: null },
                { title: 'Final delivery', amountMinor: amount - first, dueDate: null },
              ])
            : null,
          status: f.helpers.weightedArrayElement<ProposalsTable['status']>([
            { weight: 80, value: 'pending' },
            { weight: 10, value: 'shortlisted' },
            { weight: 5, value: 'rejected' },
            { weight: 5, value: 'withdrawn' },
          ]),
          created_at: sent,
          updated_at: sent,
        };
      });
      const winner = own[0];
      if (contracted && winner) {
        const at = iso(
          Math.min(now, Date.parse(winner.created_at) + f.number.int({ min: 1, max: 5 }) * DAY),
        );
        for (const proposal of own) {
          proposal.status = proposal === winner ? 'accepted' : 'rejected';
          proposal.updated_at = at;
        }
        const hourly = winner.bid_type === 'hourly';
        const contract: Omit<ContractsTable, 'seq'> = {
          id: f.string.uuid(),
          project_id: project.id,
          proposal_id: winner.id,
          client_id: project.client_id,
          freelancer_id: winner.freelancer_id,
          type: winner.bid_type,
          currency: winner.currency,
          rate_minor: hourly ? winner.rate_minor : null,
          weekly_hour_limit: hourly ? f.helpers.arrayElement([10, 20, 30, 40]) : null,
          manual_time_allowed: hourly && f.datatype.boolean() ? 1 : 0,
          screenshots_per_slot: 1,
          status:
            project.status === 'completed'
              ? 'ended'
              : f.datatype.boolean(0.9)
                ? 'active'
                : 'paused',
          created_at: at,
          updated_at: at,
        };
        contracts.push(contract);
        project.updated_at = at;
        if (!hourly) {
          const plan = winner.milestone_plan
            ? (JSON.parse(winner.milestone_plan) as Array<{ title: string; amountMinor: number }>)
            : [{ title: project.title, amountMinor: winner.amount_minor ?? 0 }];
          plan.forEach((item, position) => {
            milestones.push({
              id: f.string.uuid(),
              contract_id: contract.id,
              title: item.title,
              amount_minor: item.amountMinor,
              currency: contract.currency,
              due_date: date(Date.parse(at) + (position + 1) * 14 * DAY),
              position,
              status:
                project.status === 'completed'
                  ? 'released'
                  : position === 0
                    ? f.helpers.arrayElement([
                        'funded',
                        'submitted',
                        'approved',
                        'released',
                      ] as const)
                    : 'pending',
              created_at: at,
              updated_at: at,
            });
          });
        }
      }
      proposals.push(...own);
    }
    await insertBatches(trx, 'projects', projects);
    await insertBatches(trx, 'project_skills', projectSkills);
    await insertBatches(trx, 'project_tags', projectTags);
    await insertBatches(trx, 'project_search_docs', docs);
    await insertBatches(trx, 'proposals', proposals);
    // Contracts and milestones are synced documents of their parties: numbered for sync.
    const sync = new SyncWriteContext(trx);
    const contractSeq = await sync.allocate('contracts', contracts.length);
    const milestoneSeq = await sync.allocate('milestones', milestones.length);
    await insertBatches(
      trx,
      'contracts',
      contracts.map((row, n) => ({ ...row, seq: contractSeq + n })),
    );
    await insertBatches(
      trx,
      'milestones',
      milestones.map((row, n) => ({ ...row, seq: milestoneSeq + n })),
    );

    result.clients = clients.length;
    result.freelancers = freelancers.length;
    result.projects = projects.length;
    result.proposals = proposals.length;
    result.contracts = contracts.length;
    result.milestones = milestones.length;
    result.engagement = await seedEngagement(trx, f, { clients, freelancers, projects }, now);
    result.profiles = await seedProfiles(
      trx,
      f,
      { freelancers, contracts, skillGroups: Object.values(work).map((w) => w.skills), skillId },
      now,
    );
  });
  result.milliseconds = Math.round(performance.now() - started);
  return result;
}
