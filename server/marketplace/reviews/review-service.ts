import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { problemTypes } from '../../../shared/api/problem.ts';
import type {
  ContractReviews,
  Review,
  ReviewListQuery,
  ReviewPage,
  SubmitReviewInput,
} from '../../../shared/marketplace/reviews.ts';
import { recordAudit } from '../../audit/audit-log.ts';
import { isUniqueViolation } from '../../auth/users.ts';
import type { Db } from '../../db/database.ts';
import type { ContractsTable, Database, ReviewsTable } from '../../db/schema.ts';
import { HttpProblem, problems } from '../../http/problem.ts';
import type { AuthContext, RequestMeta } from '../../http/route.ts';
import { afterCursor, cutPage } from '../cursor.ts';
import { isBlankHtml, sanitizeDescription } from '../sanitize.ts';
import {
  isPublicReview,
  publicAt,
  publicRatingsOf,
  publishCutoff,
  systemClock,
  type Clock,
} from './visibility.ts';

type ReviewRow = Selectable<ReviewsTable> & {
  reviewer_name: string;
  client_id: string;
  counterpart_created_at: string | null;
};

const contractNotFound = () =>
  problems.notFound('There is no such contract, or you are not a party to it.');

const conflict = (title: string, detail: string) =>
  new HttpProblem(409, problemTypes.conflict, title, detail);

/** Reviews both ways after a contract ends; public by the rule in `visibility.ts`. */
export class ReviewService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock = systemClock) {
    this.db = db;
    this.clock = clock;
  }

  /** One review per side of an ended contract, by one of its two parties. */
  async submit(
    auth: AuthContext,
    contractId: string,
    input: SubmitReviewInput,
    meta: RequestMeta,
  ): Promise<Review> {
    const contract = await this.partyContract(auth, contractId);
    if (contract.status !== 'ended') {
      throw new HttpProblem(
        409,
        problemTypes.conflict,
        'Contract not ended',
        `Reviews open when a contract has ended; this one is ${contract.status}.`,
        { extensions: { contractStatus: contract.status } },
      );
    }
    const textHtml = sanitizeDescription(input.text);
    if (isBlankHtml(textHtml)) {
      throw problems.validation([{ pointer: '/text', detail: 'must contain some text' }]);
    }
    const now = this.clock();
    const row: ReviewsTable = {
      id: randomUUID(),
      contract_id: contractId,
      reviewer_id: auth.userId,
      reviewee_id: auth.userId === contract.client_id ? contract.freelancer_id : contract.client_id,
      rating: input.rating,
      text_html: textHtml,
      created_at: now.toISOString(),
    };
    try {
      await this.db.kysely.transaction().execute(async (trx) => {
        const sent = await trx
          .selectFrom('reviews')
          .select(['reviewer_id', 'created_at'])
          .where('contract_id', '=', contractId)
          .execute();
        if (sent.some((review) => review.reviewer_id === auth.userId)) throw alreadyReviewed();
        const theirs = sent.find((review) => review.reviewer_id !== auth.userId);
        if (theirs && theirs.created_at <= publishCutoff(now)) throw windowClosed();
        await trx.insertInto('reviews').values(row).execute();
        await recordAudit(trx, meta, {
          action: 'review.submitted',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { reviewId: row.id, contractId, revieweeId: row.reviewee_id },
        });
      });
    } catch (error) {
      // The same side sending twice at once: the unique key lets one through.
      if (isUniqueViolation(error)) throw alreadyReviewed();
      throw error;
    }
    const [mine] = await reviewRows(this.db.kysely).where('r.id', '=', row.id).execute();
    if (!mine) throw new Error('a review vanished while being presented');
    return presentReview(mine, now);
  }

  /** A contract's reviews for one of its parties: their own always, the other's once public. */
  async forContract(auth: AuthContext, contractId: string): Promise<ContractReviews> {
    const contract = await this.partyContract(auth, contractId);
    const now = this.clock();
    const rows = await reviewRows(this.db.kysely).where('r.contract_id', '=', contractId).execute();
    const mine = rows.find((row) => row.reviewer_id === auth.userId);
    const theirs = rows.find((row) => row.reviewer_id !== auth.userId);
    const theirsPresented = theirs ? presentReview(theirs, now) : null;
    const closed = theirs !== undefined && theirs.created_at <= publishCutoff(now);
    return {
      contractId,
      canSubmit: contract.status === 'ended' && !mine && !closed,
      mine: mine ? presentReview(mine, now) : null,
      theirs: theirsPresented?.public ? theirsPresented : null,
      theirsSubmitted: theirs !== undefined,
    };
  }

  /** The public reviews someone (freelancer or client) received, newest first. */
  async received(userId: string, query: ReviewListQuery): Promise<ReviewPage> {
    const user = await this.db.kysely
      .selectFrom('users')
      .select(['id', 'name', 'role'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw problems.notFound('There is no such person.');
    const now = this.clock();
    let select = reviewRows(this.db.kysely)
      .where('r.reviewee_id', '=', userId)
      .where(isPublicReview('r', now))
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined)
      select = select.where(afterCursor(query.cursor, 'r.created_at', 'r.id'));
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit, (row) => [
      row.created_at,
      row.id,
    ]);
    const summary = (await publicRatingsOf(this.db, [userId], now)).get(userId);
    return {
      reviewee: user,
      items: rows.map((row) => presentReview(row, now)),
      nextCursor,
      summary: summary ?? { average: null, count: 0 },
    };
  }

  private async partyContract(auth: AuthContext, id: string) {
    const contract:
      Pick<Selectable<ContractsTable>, 'client_id' | 'freelancer_id' | 'status'> | undefined =
      await this.db.kysely
        .selectFrom('contracts')
        .select(['client_id', 'freelancer_id', 'status'])
        .where('id', '=', id)
        .executeTakeFirst();
    if (
      !contract ||
      (contract.client_id !== auth.userId && contract.freelancer_id !== auth.userId)
    ) {
      throw contractNotFound();
    }
    return contract;
  }
}

const alreadyReviewed = () =>
  conflict('Already reviewed', 'You have reviewed this contract already; a review is final.');

const windowClosed = () =>
  conflict(
    'Review window closed',
    'The other party’s review went public 14 days after they sent it; this contract takes no more reviews.',
  );

/** Reviews with what presenting them needs: the reviewer's name, the sides, the counterpart. */
function reviewRows(db: Kysely<Database>) {
  return db
    .selectFrom('reviews as r')
    .innerJoin('users as u', 'u.id', 'r.reviewer_id')
    .innerJoin('contracts as c', 'c.id', 'r.contract_id')
    .leftJoin('reviews as counterpart', (join) =>
      join
        .onRef('counterpart.contract_id', '=', 'r.contract_id')
        .onRef('counterpart.reviewer_id', '<>', 'r.reviewer_id'),
    )
    .selectAll('r')
    .select([
      'u.name as reviewer_name',
      'c.client_id',
      'counterpart.created_at as counterpart_created_at',
    ]);
}

function presentReview(row: ReviewRow, now: Date): Review {
  const at = publicAt(row.created_at, row.counterpart_created_at);
  return {
    id: row.id,
    contractId: row.contract_id,
    reviewer: { id: row.reviewer_id, name: row.reviewer_name },
    reviewerRole: row.reviewer_id === row.client_id ? 'client' : 'freelancer',
    revieweeId: row.reviewee_id,
    rating: row.rating,
    textHtml: row.text_html,
    createdAt: row.created_at,
    publicAt: at,
    public: at <= now.toISOString(),
  };
}
