import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { problemTypes } from '../../shared/api/problem.ts';
import {
  editableStatuses,
  projectTransitions,
  type CreateProjectInput,
  type Project,
  type ProjectListQuery,
  type ProjectPage,
  type ProjectStatus,
  type UpdateProjectInput,
} from '../../shared/marketplace/projects.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type { Database, ProjectsTable } from '../db/schema.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';
import { isBlankHtml, sanitizeDescription } from './sanitize.ts';
import { indexProject } from './search/document.ts';
import { ensureTerms, type TaxonomyService } from './taxonomy.ts';
import { afterCursor, cutPage } from './cursor.ts';
import { attachmentsOf } from './engagement/attachments.ts';
import { isFavoriteProject } from './engagement/favorites.ts';
import { proposalCountOf } from './proposal-count.ts';
import { canSeeProject } from './project-visibility.ts';

type ProjectRow = Selectable<ProjectsTable>;

const invalid = (pointer: string, detail: string, where = 'request body') =>
  problems.validation([{ pointer, detail }], where);

const notFound = () => problems.notFound('There is no such project, or it is not visible to you.');

function invalidTransition(from: ProjectStatus, to: ProjectStatus) {
  const allowed = projectTransitions[from];
  const detail =
    allowed.length === 0
      ? `A ${label(from)} project is final; it cannot become ${label(to)}.`
      : `A ${label(from)} project can become ${allowed.map(label).join(' or ')}, not ${label(to)}.`;
  return new HttpProblem(409, problemTypes.invalidTransition, 'Status change not allowed', detail, {
    extensions: { from, to, allowed },
  });
}

const label = (status: ProjectStatus) => status.replace('_', ' ');

/** Projects a client posts: the rules of who may write what, and of the status lifecycle. */
export class ProjectService {
  private readonly db: Db;
  private readonly taxonomy: TaxonomyService;

  constructor(db: Db, taxonomy: TaxonomyService) {
    this.db = db;
    this.taxonomy = taxonomy;
  }

  async create(auth: AuthContext, input: CreateProjectInput, meta: RequestMeta): Promise<Project> {
    if (auth.role !== 'client') throw problems.forbidden('Only clients post projects.');
    const descriptionHtml = cleanDescription(input.description);
    await this.requireCategory(input.categoryId);
    requireFutureDeadline(input.deadline);
    const now = new Date().toISOString();
    const row: ProjectsTable = {
      id: randomUUID(),
      client_id: auth.userId,
      title: input.title,
      description_html: descriptionHtml,
      category_id: input.categoryId,
      budget_type: input.budget.type,
      budget_min_minor: input.budget.min.amountMinor,
      budget_max_minor: input.budget.max.amountMinor,
      currency: input.budget.min.currency,
      deadline: input.deadline,
      visibility: input.visibility,
      status: input.publish ? 'open' : 'draft',
      created_at: now,
      updated_at: now,
      published_at: input.publish ? now : null,
    };
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values(row).execute();
      await linkTerms(trx, row.id, input.skills, input.tags);
      await indexProject(trx, row.id);
      await recordAudit(trx, meta, {
        action: 'project.created',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { projectId: row.id, status: row.status },
      });
    });
    return this.present(row);
  }

  /** One project; a signed-in viewer other than its owner is counted once, however often. */
  async get(auth: AuthContext, id: string): Promise<Project> {
    const row = await this.visibleRow(auth, id);
    if (row.client_id !== auth.userId) {
      await this.db.kysely
        .insertInto('project_views')
        .values({
          project_id: id,
          viewer_id: auth.userId,
          first_viewed_at: new Date().toISOString(),
        })
        .onConflict((conflict) => conflict.columns(['project_id', 'viewer_id']).doNothing())
        .execute();
    }
    return this.detailed(auth, row);
  }

  /** A single project's full answer: with its proposal count and the reader's favorite mark. */
  private async detailed(auth: AuthContext, row: ProjectRow): Promise<Project> {
    return {
      ...(await this.present(row)),
      proposalCount: await proposalCountOf(this.db.kysely, row.id),
      favorited: await isFavoriteProject(this.db, auth.userId, row.id),
    };
  }

  async update(
    auth: AuthContext,
    id: string,
    input: UpdateProjectInput,
    meta: RequestMeta,
  ): Promise<Project> {
    const row = await this.ownRow(auth, id);
    if (!editableStatuses.includes(row.status)) {
      throw new HttpProblem(
        409,
        problemTypes.conflict,
        'Project can no longer be edited',
        `A ${label(row.status)} project cannot be edited; only draft and open ones can.`,
      );
    }
    const descriptionHtml =
      input.description !== undefined ? cleanDescription(input.description) : undefined;
    if (input.categoryId !== undefined) await this.requireCategory(input.categoryId);
    if (input.deadline !== undefined) requireFutureDeadline(input.deadline);
    const changes: Partial<ProjectsTable> = {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(descriptionHtml !== undefined ? { description_html: descriptionHtml } : {}),
      ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}),
      ...(input.budget !== undefined
        ? {
            budget_type: input.budget.type,
            budget_min_minor: input.budget.min.amountMinor,
            budget_max_minor: input.budget.max.amountMinor,
            currency: input.budget.min.currency,
          }
        : {}),
      ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      updated_at: new Date().toISOString(),
    };
    const updated = await this.db.kysely.transaction().execute(async (trx) => {
      // Guarded by status, so an edit racing a status change cannot land on a closed project.
      const result = await trx
        .updateTable('projects')
        .set(changes)
        .where('id', '=', id)
        .where('status', 'in', [...editableStatuses])
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound();
      if (input.skills !== undefined) {
        await trx.deleteFrom('project_skills').where('project_id', '=', id).execute();
        await linkTerms(trx, id, input.skills, []);
      }
      if (input.tags !== undefined) {
        await trx.deleteFrom('project_tags').where('project_id', '=', id).execute();
        await linkTerms(trx, id, [], input.tags);
      }
      await indexProject(trx, id);
      await recordAudit(trx, meta, {
        action: 'project.updated',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { projectId: id, fields: Object.keys(input) },
      });
      return trx.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    return this.detailed(auth, updated);
  }

  /** Moves a project along its lifecycle; any other move answers 409 naming the allowed ones. */
  async changeStatus(
    auth: AuthContext,
    id: string,
    to: ProjectStatus,
    meta: RequestMeta,
  ): Promise<Project> {
    const row = await this.ownRow(auth, id);
    if (!projectTransitions[row.status].includes(to)) throw invalidTransition(row.status, to);
    const now = new Date().toISOString();
    const updated = await this.db.kysely.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('projects')
        .set({
          status: to,
          updated_at: now,
          ...(to === 'open' && row.published_at === null ? { published_at: now } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      // Someone else moved it first: judge the move against where it is now.
      if (Number(result.numUpdatedRows) === 0) {
        const current = await trx
          .selectFrom('projects')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        throw invalidTransition(current.status, to);
      }
      await recordAudit(trx, meta, {
        action: 'project.status_changed',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { projectId: id, from: row.status, to },
      });
      return trx.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    return this.detailed(auth, updated);
  }

  /**
   * Open public projects, newest first (or, with `mine`, the caller's own in every status),
   * optionally within a category's subtree. Cursors are opaque; each page continues strictly
   * after the last item of the previous one, so a walk sees every project exactly once.
   */
  async list(auth: AuthContext, query: ProjectListQuery): Promise<ProjectPage> {
    let select = this.db.kysely
      .selectFrom('projects')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    select = query.mine
      ? select.where('client_id', '=', auth.userId)
      : select.where('status', '=', 'open').where('visibility', '=', 'public');
    if (query.categoryId !== undefined) {
      const ids = await this.taxonomy.subtree(query.categoryId);
      if (ids.length === 0) throw invalid('/categoryId', 'is not a known category', 'query string');
      select = select.where('category_id', 'in', ids);
    }
    if (query.cursor !== undefined) select = select.where(afterCursor(query.cursor));
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit);
    return { items: await this.presentAll(rows), nextCursor };
  }

  /** The project if the caller may see it: its client, administrators, or public non-drafts. */
  async visibleRow(auth: AuthContext, id: string): Promise<ProjectRow> {
    const row = await this.db.kysely
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !canSeeProject(auth, row)) throw notFound();
    return row;
  }

  private async ownRow(auth: AuthContext, id: string): Promise<ProjectRow> {
    const row = await this.visibleRow(auth, id);
    if (row.client_id !== auth.userId) {
      throw problems.forbidden('Only the client who posted a project may change it.');
    }
    return row;
  }

  private async requireCategory(categoryId: string): Promise<void> {
    const category = await this.db.kysely
      .selectFrom('categories')
      .select('id')
      .where('id', '=', categoryId)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (!category) throw invalid('/categoryId', 'is not a known category');
  }

  /** A single project's answer: a list's, plus its files. */
  private async present(row: ProjectRow): Promise<Project> {
    const [[project], attachments] = await Promise.all([
      this.presentAll([row]),
      attachmentsOf(this.db, row.id),
    ]);
    if (!project) throw new Error('a project vanished while being presented');
    return { ...project, attachments };
  }

  /**
   * Rows to answers with their client's name, category, skills, tags and view count: five
   * queries a page, each by primary key or an indexed project id, whatever the page size.
   */
  async presentAll(rows: ProjectRow[]): Promise<Project[]> {
    if (rows.length === 0) return [];
    const db = this.db.kysely;
    const ids = rows.map((row) => row.id);
    const [clients, categories, skills, tags, views] = await Promise.all([
      db
        .selectFrom('users')
        .select(['id', 'name'])
        .where('id', 'in', [...new Set(rows.map((row) => row.client_id))])
        .execute(),
      db
        .selectFrom('categories')
        .select(['id', 'slug', 'name'])
        .where('id', 'in', [...new Set(rows.map((row) => row.category_id))])
        .execute(),
      db
        .selectFrom('project_skills')
        .innerJoin('skills', 'skills.id', 'project_skills.skill_id')
        .select(['project_skills.project_id', 'skills.id', 'skills.slug', 'skills.name'])
        .where('project_skills.project_id', 'in', ids)
        .orderBy('skills.slug')
        .execute(),
      db
        .selectFrom('project_tags')
        .innerJoin('tags', 'tags.id', 'project_tags.tag_id')
        .select(['project_tags.project_id', 'tags.id', 'tags.slug', 'tags.name'])
        .where('project_tags.project_id', 'in', ids)
        .orderBy('tags.slug')
        .execute(),
      db
        .selectFrom('project_views')
        .select(['project_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where('project_id', 'in', ids)
        .groupBy('project_id')
        .execute(),
    ]);
    const clientName = new Map(clients.map((c) => [c.id, c.name]));
    const category = new Map(categories.map((c) => [c.id, c]));
    const viewCount = new Map(views.map((v) => [v.project_id, Number(v.count)]));
    const termsOf = <T extends { project_id: string }>(all: T[], projectId: string) =>
      all
        .filter((term) => term.project_id === projectId)
        .map(({ project_id: _projectId, ...term }) => term);
    // The client is a foreign key without cascade: a project's client row always exists.
    const clientOf = (row: ProjectRow) => {
      const name = clientName.get(row.client_id);
      if (name === undefined) throw new Error('a project lost its client while being presented');
      return { id: row.client_id, name };
    };
    return rows.map((row) => ({
      id: row.id,
      client: clientOf(row),
      title: row.title,
      descriptionHtml: row.description_html,
      category: category.get(row.category_id) ?? { id: row.category_id, slug: '', name: '' },
      skills: termsOf(skills, row.id),
      tags: termsOf(tags, row.id),
      budget: {
        type: row.budget_type,
        min: { amountMinor: row.budget_min_minor, currency: row.currency },
        max: { amountMinor: row.budget_max_minor, currency: row.currency },
      },
      deadline: row.deadline,
      visibility: row.visibility,
      status: row.status,
      viewCount: viewCount.get(row.id) ?? 0,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      publishedAt: row.published_at,
    }));
  }
}

function cleanDescription(description: string): string {
  const html = sanitizeDescription(description);
  if (isBlankHtml(html)) throw invalid('/description', 'must contain some text');
  return html;
}

function requireFutureDeadline(deadline: string | null): void {
  const today = new Date().toISOString().slice(0, 10);
  if (deadline !== null && deadline < today) throw invalid('/deadline', 'must not be in the past');
}

async function linkTerms(
  trx: Kysely<Database>,
  projectId: string,
  skills: readonly string[],
  tags: readonly string[],
): Promise<void> {
  const skillIds = await ensureTerms(trx, 'skills', skills, '/skills');
  if (skillIds.length > 0) {
    await trx
      .insertInto('project_skills')
      .values(skillIds.map((skillId) => ({ project_id: projectId, skill_id: skillId })))
      .execute();
  }
  const tagIds = await ensureTerms(trx, 'tags', tags, '/tags');
  if (tagIds.length > 0) {
    await trx
      .insertInto('project_tags')
      .values(tagIds.map((tagId) => ({ project_id: projectId, tag_id: tagId })))
      .execute();
  }
}
