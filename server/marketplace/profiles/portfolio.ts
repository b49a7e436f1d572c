import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { problemTypes } from '../../../shared/api/problem.ts';
import {
  MAX_PORTFOLIO_ITEMS,
  type CreatePortfolioItemInput,
  type PortfolioItem,
  type UpdatePortfolioItemInput,
} from '../../../shared/marketplace/profiles.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import type { Database, PortfolioItemsTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import { lockRow } from '../engagement/row-lock.ts';
import { isBlankHtml, sanitizeDescription } from '../sanitize.ts';
import { systemClock, type Clock } from '../reviews/visibility.ts';
import { requireFreelancer } from './require-freelancer.ts';

type ItemRow = Selectable<PortfolioItemsTable>;

const invalid = (pointer: string, detail: string) => problems.validation([{ pointer, detail }]);
const notFound = () => problems.notFound('There is no such item in your portfolio.');

/** A freelancer's portfolio: up to 50 pieces of work, in the order they choose. */
export class PortfolioService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock = systemClock) {
    this.db = db;
    this.clock = clock;
  }

  async add(
    auth: AuthContext,
    input: CreatePortfolioItemInput,
    meta: RequestMeta,
  ): Promise<PortfolioItem> {
    requireFreelancer(auth);
    const descriptionHtml = cleanDescription(input.description);
    this.requirePast(input.completedOn);
    if (input.imageHash !== null) await this.requireOwnImage(auth.userId, input.imageHash);
    const now = this.clock().toISOString();
    const row = await this.db.kysely.transaction().execute(async (trx) => {
      // Held until commit: two adds at once cannot both take the last place or one position.
      await lockRow(trx, this.db.dialect, 'users', auth.userId);
      const count = Number(
        (
          await trx
            .selectFrom('portfolio_items')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('user_id', '=', auth.userId)
            .executeTakeFirstOrThrow()
        ).n,
      );
      if (count >= MAX_PORTFOLIO_ITEMS) {
        throw new HttpProblem(
          409,
          problemTypes.conflict,
          'Portfolio full',
          `A portfolio holds at most ${MAX_PORTFOLIO_ITEMS} items; remove one first.`,
        );
      }
      const item: PortfolioItemsTable = {
        id: randomUUID(),
        user_id: auth.userId,
        title: input.title,
        description_html: descriptionHtml,
        url: input.url,
        image_hash: input.imageHash,
        completed_on: input.completedOn,
        position: count,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('portfolio_items').values(item).execute();
      await recordAudit(trx, meta, {
        action: 'portfolio.item_added',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { itemId: item.id },
      });
      return item;
    });
    return presentItem(row);
  }

  async update(
    auth: AuthContext,
    id: string,
    input: UpdatePortfolioItemInput,
    meta: RequestMeta,
  ): Promise<PortfolioItem> {
    requireFreelancer(auth);
    const descriptionHtml =
      input.description !== undefined ? cleanDescription(input.description) : undefined;
    if (input.completedOn !== undefined) this.requirePast(input.completedOn);
    if (input.imageHash) await this.requireOwnImage(auth.userId, input.imageHash);
    const changes: Partial<PortfolioItemsTable> = {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(descriptionHtml !== undefined ? { description_html: descriptionHtml } : {}),
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.imageHash !== undefined ? { image_hash: input.imageHash } : {}),
      ...(input.completedOn !== undefined ? { completed_on: input.completedOn } : {}),
      updated_at: this.clock().toISOString(),
    };
    const row = await this.db.kysely.transaction().execute(async (trx) => {
      await lockRow(trx, this.db.dialect, 'users', auth.userId);
      const result = await trx
        .updateTable('portfolio_items')
        .set(changes)
        .where('id', '=', id)
        .where('user_id', '=', auth.userId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound();
      if (input.position !== undefined) await reorder(trx, auth.userId, id, input.position);
      await recordAudit(trx, meta, {
        action: 'portfolio.item_updated',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { itemId: id, fields: Object.keys(input) },
      });
      return trx
        .selectFrom('portfolio_items')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    });
    return presentItem(row);
  }

  async remove(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    requireFreelancer(auth);
    await this.db.kysely.transaction().execute(async (trx) => {
      await lockRow(trx, this.db.dialect, 'users', auth.userId);
      const result = await trx
        .deleteFrom('portfolio_items')
        .where('id', '=', id)
        .where('user_id', '=', auth.userId)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw notFound();
      await reorder(trx, auth.userId, null, 0);
      await recordAudit(trx, meta, {
        action: 'portfolio.item_removed',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { itemId: id },
      });
    });
  }

  private requirePast(completedOn: string | null): void {
    const today = this.clock().toISOString().slice(0, 10);
    if (completedOn !== null && completedOn > today) {
      throw invalid('/completedOn', 'must not be in the future');
    }
  }

  /**
   * Only an image the freelancer uploaded: a hash alone must never publish someone else's
   * attachment on a profile everyone can read.
   */
  private async requireOwnImage(userId: string, hash: string): Promise<void> {
    const blob = await this.db.kysely
      .selectFrom('blobs as b')
      .innerJoin('blob_uploads as u', 'u.hash', 'b.hash')
      .select('b.mime_type')
      .where('b.hash', '=', hash)
      .where('u.user_id', '=', userId)
      .executeTakeFirst();
    if (!blob?.mime_type.startsWith('image/')) {
      throw invalid('/imageHash', 'is not an image you uploaded');
    }
  }
}

/** Optional rich or plain text; given text must keep something visible once sanitised. */
function cleanDescription(description: string): string {
  if (description === '') return '';
  const html = sanitizeDescription(description);
  if (isBlankHtml(html)) throw invalid('/description', 'must contain some text');
  return html;
}

/** Numbers the items 0…n-1 in order, with `moved` (if any) placed at `to`. */
async function reorder(
  trx: Kysely<Database>,
  userId: string,
  moved: string | null,
  to: number,
): Promise<void> {
  const items = await trx
    .selectFrom('portfolio_items')
    .select(['id', 'position'])
    .where('user_id', '=', userId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const order = items.filter((item) => item.id !== moved);
  const item = items.find((candidate) => candidate.id === moved);
  if (item) order.splice(Math.min(to, order.length), 0, item);
  for (const [position, { id, position: was }] of order.entries()) {
    if (position !== was) {
      await trx.updateTable('portfolio_items').set({ position }).where('id', '=', id).execute();
    }
  }
}

export async function portfolioOf(db: Kysely<Database>, userId: string): Promise<PortfolioItem[]> {
  const rows = await db
    .selectFrom('portfolio_items')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('position')
    .limit(MAX_PORTFOLIO_ITEMS)
    .execute();
  return rows.map(presentItem);
}

function presentItem(row: ItemRow): PortfolioItem {
  return {
    id: row.id,
    title: row.title,
    descriptionHtml: row.description_html,
    url: row.url,
    imageHash: row.image_hash,
    completedOn: row.completed_on,
    position: row.position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
