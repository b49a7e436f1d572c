import { randomUUID } from 'node:crypto';
import { slugify } from '../../shared/marketplace/taxonomy.ts';
import type { Db } from '../db/database.ts';

interface SeedCategory {
  slug: string;
  name: string;
  icon: string;
  children?: SeedCategory[];
}

/** The starting category tree: broad fields, each with the kinds of work clients post. */
export const defaultCategories: SeedCategory[] = [
  {
    slug: 'development',
    name: 'Development & IT',
    icon: 'code',
    children: [
      { slug: 'web-development', name: 'Web development', icon: 'world-www' },
      { slug: 'mobile-development', name: 'Mobile apps', icon: 'device-mobile' },
      { slug: 'desktop-development', name: 'Desktop apps', icon: 'device-desktop' },
      { slug: 'backend-apis', name: 'Back ends & APIs', icon: 'server' },
      { slug: 'devops-cloud', name: 'DevOps & cloud', icon: 'cloud' },
    ],
  },
  {
    slug: 'design',
    name: 'Design & creative',
    icon: 'palette',
    children: [
      { slug: 'ui-ux-design', name: 'UI & UX design', icon: 'layout' },
      { slug: 'graphic-design', name: 'Graphic design', icon: 'brush' },
      { slug: 'illustration', name: 'Illustration', icon: 'pencil' },
    ],
  },
  {
    slug: 'writing',
    name: 'Writing & translation',
    icon: 'file-text',
    children: [
      { slug: 'copywriting', name: 'Copywriting', icon: 'writing' },
      { slug: 'technical-writing', name: 'Technical writing', icon: 'book' },
      { slug: 'translation', name: 'Translation', icon: 'language' },
    ],
  },
  {
    slug: 'marketing',
    name: 'Sales & marketing',
    icon: 'speakerphone',
    children: [
      { slug: 'seo', name: 'SEO', icon: 'search' },
      { slug: 'social-media', name: 'Social media', icon: 'share' },
      { slug: 'email-marketing', name: 'Email marketing', icon: 'mail' },
    ],
  },
  {
    slug: 'data',
    name: 'Data & AI',
    icon: 'chart-bar',
    children: [
      { slug: 'data-analysis', name: 'Data analysis', icon: 'chart-line' },
      { slug: 'machine-learning', name: 'Machine learning', icon: 'brain' },
    ],
  },
];

export const defaultSkills = [
  'TypeScript',
  'JavaScript',
  'React',
  'Node.js',
  'Electron',
  'PostgreSQL',
  'SQLite',
  'Python',
  'Swift',
  'Kotlin',
  'Docker',
  'AWS',
  'Figma',
  'Illustrator',
  'Copywriting',
  'Technical writing',
  'German translation',
  'SEO',
  'Google Ads',
  'Data analysis',
  'Machine learning',
];

/** Idempotent: categories and skills whose slug exists are left alone. Returns what it added. */
export async function seedTaxonomy(db: Db): Promise<{ categories: number; skills: number }> {
  const now = new Date().toISOString();
  let categories = 0;
  const insert = async (nodes: SeedCategory[], parentId: string | null) => {
    for (const [position, node] of nodes.entries()) {
      const result = await db.kysely
        .insertInto('categories')
        .values({
          id: randomUUID(),
          parent_id: parentId,
          slug: node.slug,
          name: node.name,
          icon: node.icon,
          active: 1,
          position,
          created_at: now,
        })
        .onConflict((conflict) => conflict.column('slug').doNothing())
        .executeTakeFirst();
      categories += Number(result.numInsertedOrUpdatedRows ?? 0);
      const { id } = await db.kysely
        .selectFrom('categories')
        .select('id')
        .where('slug', '=', node.slug)
        .executeTakeFirstOrThrow();
      await insert(node.children ?? [], id);
    }
  };
  await insert(defaultCategories, null);
  let skills = 0;
  for (const name of defaultSkills) {
    const result = await db.kysely
      .insertInto('skills')
      .values({ id: randomUUID(), slug: slugify(name), name, created_at: now })
      .onConflict((conflict) => conflict.column('slug').doNothing())
      .executeTakeFirst();
    skills += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return { categories, skills };
}
