import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { problemTypes } from '../../shared/api/problem.ts';
import {
  slugify,
  type Category,
  type CategoryNode,
  type CreateCategoryInput,
  type CreateTermInput,
  type Skill,
  type Tag,
  type TermListQuery,
  type UpdateCategoryInput,
} from '../../shared/marketplace/taxonomy.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../auth/users.ts';
import type { Db } from '../db/database.ts';
import type { CategoriesTable, Database } from '../db/schema.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';

export type TermTable = 'skills' | 'tags';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function requireAdmin(auth: AuthContext): void {
  if (auth.role !== 'admin') throw problems.forbidden('Only administrators manage the taxonomy.');
}

const slugTaken = (slug: string) =>
  new HttpProblem(409, problemTypes.conflict, 'Slug taken', `The slug "${slug}" is in use.`, {
    errors: [{ pointer: '/slug', detail: 'is already taken' }],
  });

const invalid = (pointer: string, detail: string) =>
  problems.validation([{ pointer, detail }], 'request body');

/** Categories (a tree), skills and tags: read by everyone, managed by administrators. */
export class TaxonomyService {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /**
   * The whole tree, siblings by position then name. Everyone sees the active categories
   * (an inactive one hides its subtree); administrators see all. Each node counts the open
   * public projects of its subtree.
   */
  async tree(auth: AuthContext | null): Promise<CategoryNode[]> {
    const rows = await this.db.kysely.selectFrom('categories').selectAll().execute();
    const counts = await this.db.kysely
      .selectFrom('projects')
      .select(['category_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('status', '=', 'open')
      .where('visibility', '=', 'public')
      .groupBy('category_id')
      .execute();
    const own = new Map(counts.map((c) => [c.category_id, Number(c.count)]));
    const admin = auth?.role === 'admin';
    const byParent = childrenByParent(rows);
    const build = (parentId: string | null): CategoryNode[] =>
      (byParent.get(parentId) ?? [])
        .filter((row) => admin || row.active === 1)
        .map((row) => {
          const { createdAt: _createdAt, ...category } = toCategory(row);
          return {
            ...category,
            // Counted over the whole subtree, hidden (inactive) descendants included.
            projectCount: subtreeIds(byParent, row.id).reduce(
              (sum, id) => sum + (own.get(id) ?? 0),
              0,
            ),
            children: build(row.id),
          };
        });
    return build(null);
  }

  /** The ids of a category and every category below it. */
  async subtree(categoryId: string): Promise<string[]> {
    const rows = await this.db.kysely.selectFrom('categories').selectAll().execute();
    if (!rows.some((row) => row.id === categoryId)) return [];
    return subtreeIds(childrenByParent(rows), categoryId);
  }

  async createCategory(
    auth: AuthContext,
    input: CreateCategoryInput,
    meta: RequestMeta,
  ): Promise<Category> {
    requireAdmin(auth);
    const row: CategoriesTable = {
      id: randomUUID(),
      parent_id: input.parentId,
      slug: input.slug,
      name: input.name,
      icon: input.icon,
      active: input.active ? 1 : 0,
      position: input.position,
      created_at: new Date().toISOString(),
    };
    return this.writeWithSlug(input.slug, async (trx) => {
      if (input.parentId) await requireParent(trx, input.parentId);
      await trx.insertInto('categories').values(row).execute();
      await recordAudit(trx, meta, {
        action: 'category.created',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { categoryId: row.id, slug: row.slug, parentId: row.parent_id },
      });
      return toCategory(row);
    });
  }

  async updateCategory(
    auth: AuthContext,
    id: string,
    input: UpdateCategoryInput,
    meta: RequestMeta,
  ): Promise<Category> {
    requireAdmin(auth);
    return this.writeWithSlug(input.slug ?? '', async (trx) => {
      const existing = await trx
        .selectFrom('categories')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!existing) throw problems.notFound('There is no such category.');
      if (input.parentId) {
        await requireParent(trx, input.parentId);
        // Walking up from the new parent must never reach the category itself.
        let cursor: string | null = input.parentId;
        while (cursor) {
          if (cursor === id) {
            throw invalid('/parentId', 'must not be the category itself or one of its descendants');
          }
          const parent: { parent_id: string | null } | undefined = await trx
            .selectFrom('categories')
            .select('parent_id')
            .where('id', '=', cursor)
            .executeTakeFirst();
          cursor = parent?.parent_id ?? null;
        }
      }
      const changes: Partial<CategoriesTable> = {
        ...(input.slug !== undefined ? { slug: input.slug } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.icon !== undefined ? { icon: input.icon } : {}),
        ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
        ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
      };
      if (Object.keys(changes).length > 0) {
        await trx.updateTable('categories').set(changes).where('id', '=', id).execute();
      }
      await recordAudit(trx, meta, {
        action: 'category.updated',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { categoryId: id, fields: Object.keys(input) },
      });
      return toCategory({ ...existing, ...changes });
    });
  }

  async listSkills(query: TermListQuery): Promise<Page<Skill>> {
    let select = this.db.kysely
      .selectFrom('skills')
      .select(['id', 'slug', 'name'])
      .orderBy('slug')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) select = select.where('slug', '>', query.cursor);
    return page(await select.execute(), query.limit, (skill) => skill.slug);
  }

  async listTags(query: TermListQuery): Promise<Page<Tag>> {
    let select = this.db.kysely
      .selectFrom('tags')
      .leftJoin('project_tags', 'project_tags.tag_id', 'tags.id')
      .select([
        'tags.id',
        'tags.slug',
        'tags.name',
        (eb) => eb.fn.count<number>('project_tags.project_id').as('usageCount'),
      ])
      .groupBy(['tags.id', 'tags.slug', 'tags.name'])
      .orderBy('tags.slug')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) select = select.where('tags.slug', '>', query.cursor);
    const rows = (await select.execute()).map((row) => ({
      ...row,
      usageCount: Number(row.usageCount),
    }));
    return page(rows, query.limit, (tag) => tag.slug);
  }

  async createTerm(
    auth: AuthContext,
    table: TermTable,
    input: CreateTermInput,
    meta: RequestMeta,
  ): Promise<Skill> {
    requireAdmin(auth);
    const slug = input.slug ?? slugify(input.name);
    if (!slug) throw invalid('/name', 'must contain letters or digits');
    const row = { id: randomUUID(), slug, name: input.name, created_at: new Date().toISOString() };
    return this.writeWithSlug(slug, async (trx) => {
      await trx.insertInto(table).values(row).execute();
      await recordAudit(trx, meta, {
        action: table === 'skills' ? 'skill.created' : 'tag.created',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { id: row.id, slug },
      });
      return { id: row.id, slug, name: row.name };
    });
  }

  /** A write whose unique slug may already be taken: that answers 409 at `/slug`. */
  private async writeWithSlug<T>(
    slug: string,
    write: (trx: Kysely<Database>) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.db.kysely.transaction().execute(write);
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(slug);
      throw error;
    }
  }
}

/**
 * Skills or tags by name, created when unknown; answers their ids in the order given.
 * Names are matched by slug, so `React`, `react` and ` REACT ` are one skill.
 */
export async function ensureTerms(
  trx: Kysely<Database>,
  table: TermTable,
  names: readonly string[],
  pointer: string,
): Promise<string[]> {
  const wanted = new Map<string, string>();
  for (const [index, name] of names.entries()) {
    const slug = slugify(name);
    if (!slug) throw invalid(`${pointer}/${index}`, 'must contain letters or digits');
    if (!wanted.has(slug)) wanted.set(slug, name);
  }
  if (wanted.size === 0) return [];
  const now = new Date().toISOString();
  await trx
    .insertInto(table)
    .values([...wanted].map(([slug, name]) => ({ id: randomUUID(), slug, name, created_at: now })))
    .onConflict((conflict) => conflict.column('slug').doNothing())
    .execute();
  const rows = await trx
    .selectFrom(table)
    .select(['id', 'slug'])
    .where('slug', 'in', [...wanted.keys()])
    .execute();
  const idBySlug = new Map(rows.map((row) => [row.slug, row.id]));
  return [...wanted.keys()].map((slug) => idBySlug.get(slug) ?? '');
}

async function requireParent(trx: Kysely<Database>, parentId: string): Promise<void> {
  const parent = await trx
    .selectFrom('categories')
    .select('id')
    .where('id', '=', parentId)
    .executeTakeFirst();
  if (!parent) throw invalid('/parentId', 'is not a known category');
}

function page<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

function childrenByParent(rows: Selectable<CategoriesTable>[]) {
  const sorted = [...rows].sort(
    (a, b) => a.position - b.position || a.name.localeCompare(b.name, 'en'),
  );
  const byParent = new Map<string | null, Selectable<CategoriesTable>[]>();
  for (const row of sorted) {
    byParent.set(row.parent_id, [...(byParent.get(row.parent_id) ?? []), row]);
  }
  return byParent;
}

/** The category first, then all below it. */
function subtreeIds(
  byParent: Map<string | null, Selectable<CategoriesTable>[]>,
  rootId: string,
): string[] {
  const ids = [rootId];
  for (let i = 0; i < ids.length; i += 1) {
    for (const child of byParent.get(ids[i] ?? null) ?? []) ids.push(child.id);
  }
  return ids;
}

export function toCategory(row: Selectable<CategoriesTable>): Category {
  return {
    id: row.id,
    parentId: row.parent_id,
    slug: row.slug,
    name: row.name,
    icon: row.icon,
    active: row.active === 1,
    position: row.position,
    createdAt: row.created_at,
  };
}
