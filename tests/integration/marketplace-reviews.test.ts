import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { FreelancerProfile } from '../../shared/marketplace/profiles.ts';
import type { ContractReviews, Review, ReviewPage } from '../../shared/marketplace/reviews.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import type { client } from '../support/http.ts';
import {
  contractBetween,
  marketplaceWorld,
  signUpAs,
  tableRows,
  type Answer,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe.each(['sqlite', 'postgres'] as Dialect[])('marketplace reviews on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, admin, category } = await marketplaceWorld(dialect, {}));
  });
  afterAll(() => server?.close());

  /** A client and a freelancer with a contract between them, ended unless told otherwise. */
  async function pair(status: 'active' | 'paused' | 'ended' = 'ended') {
    const buyer = await signUpAs(server, 'client');
    const seller = await signUpAs(server, 'freelancer');
    const contractId = await contractBetween(
      server,
      { client: buyer, freelancer: seller, categoryId: category.id },
      status,
    );
    return { buyer, seller, contractId };
  }

  const submit = (contractId: string, who: Member, json: unknown) =>
    api.post<Answer<Review>>(`/contracts/${contractId}/reviews`, { token: who.token, json });
  async function review(contractId: string, who: Member, rating: number, text = 'Good work.') {
    const answer = await submit(contractId, who, { rating, text });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as Review;
  }
  async function contractReviews(contractId: string, who: Member) {
    const answer = await api.get<ContractReviews>(`/contracts/${contractId}/reviews`, {
      token: who.token,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }
  async function received(userId: string, query = '', who: Member = admin) {
    const answer = await api.get<ReviewPage>(`/users/${userId}/reviews${query}`, {
      token: who.token,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }
  const backdate = (reviewId: string, at: string) =>
    server.db.kysely
      .updateTable('reviews')
      .set({ created_at: at })
      .where('id', '=', reviewId)
      .execute();

  /** Every row a refused review could have touched. */
  const snapshot = () =>
    tableRows(server, { reviews: ['id'], contracts: ['id'], audit_log: ['id'] });

  it('lets each party review the other once after the contract ends, public when both are in', async () => {
    const { buyer, seller, contractId } = await pair();

    const first = await review(
      contractId,
      buyer,
      5,
      '<p>Great <strong>work</strong></p><script>alert(1)</script><img src=x onerror=alert(2)>',
    );
    expect(first).toMatchObject({
      contractId,
      reviewer: { id: buyer.id },
      reviewerRole: 'client',
      revieweeId: seller.id,
      rating: 5,
      textHtml: '<p>Great <strong>work</strong></p>',
      public: false,
    });
    expect(Date.parse(first.publicAt) - Date.parse(first.createdAt)).toBe(14 * DAY);
    const audited = await server.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'user_id'])
      .where('details', 'like', `%${first.id}%`)
      .execute();
    expect(audited).toEqual([{ action: 'review.submitted', user_id: buyer.id }]);

    // Sent but not public: the world sees nothing, the reviewer sees their own.
    expect(await received(seller.id)).toEqual({
      reviewee: { id: seller.id, name: seller.name, role: 'freelancer' },
      items: [],
      nextCursor: null,
      summary: { average: null, count: 0 },
    });
    expect(await contractReviews(contractId, buyer)).toEqual({
      contractId,
      canSubmit: false,
      mine: first,
      theirs: null,
      theirsSubmitted: false,
    });
    expect(await contractReviews(contractId, seller)).toEqual({
      contractId,
      canSubmit: true,
      mine: null,
      theirs: null,
      theirsSubmitted: true,
    });
    const profile = async () =>
      (await api.get<FreelancerProfile>(`/freelancers/${seller.id}`, { token: buyer.token })).body;
    expect((await profile()).stats).toMatchObject({
      jobsDone: 1,
      totalContracts: 1,
      rating: null,
      reviewCount: 0,
    });

    // The freelancer reviews the client: plain text is escaped, and both go public.
    const second = await review(contractId, seller, 3, 'Paid on time <3 & "thanks"');
    expect(second).toMatchObject({
      reviewerRole: 'freelancer',
      revieweeId: buyer.id,
      textHtml: '<p>Paid on time &lt;3 &amp; &quot;thanks&quot;</p>',
      public: true,
      publicAt: second.createdAt,
    });
    const forBuyer = await contractReviews(contractId, buyer);
    expect(forBuyer).toMatchObject({ canSubmit: false, theirs: second, theirsSubmitted: true });
    expect(forBuyer.mine).toMatchObject({ id: first.id, public: true, publicAt: second.createdAt });
    expect((await contractReviews(contractId, seller)).theirs?.id).toBe(first.id);

    const sellerReviews = await received(seller.id, '', buyer);
    expect(sellerReviews.items.map((r) => [r.id, r.public])).toEqual([[first.id, true]]);
    expect(sellerReviews.summary).toEqual({ average: 5, count: 1 });
    // A client's rating is read the same way; the page names whose reviews they are.
    const buyerReviews = await received(buyer.id, '', seller);
    expect(buyerReviews.reviewee).toEqual({ id: buyer.id, name: buyer.name, role: 'client' });
    expect(buyerReviews.items.map((r) => r.id)).toEqual([second.id]);
    expect(buyerReviews.summary).toEqual({ average: 3, count: 1 });
    expect((await profile()).stats).toMatchObject({ rating: 5, reviewCount: 1 });

    // One per side: a second review by either party is refused and changes nothing.
    const before = await snapshot();
    for (const who of [buyer, seller]) {
      const again = await submit(contractId, who, { rating: 1, text: 'Changed my mind.' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ type: problemTypes.conflict, title: 'Already reviewed' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses reviews before the end, from outsiders, and bad input, changing nothing', async () => {
    const active = await pair('active');
    const paused = await pair('paused');
    const ended = await pair();
    const outsiders = [
      await signUpAs(server, 'client'),
      await signUpAs(server, 'freelancer'),
      admin,
    ];
    const valid = { rating: 4, text: 'Fine.' };
    const before = await snapshot();

    for (const [contract, status] of [
      [active, 'active'],
      [paused, 'paused'],
    ] as const) {
      for (const who of [contract.buyer, contract.seller]) {
        const early = await submit(contract.contractId, who, valid);
        expect(early.status).toBe(409);
        expect(early.body).toMatchObject({
          type: problemTypes.conflict,
          contractStatus: status,
        });
        expect(early.body.detail).toContain(`this one is ${status}`);
      }
      expect((await contractReviews(contract.contractId, contract.buyer)).canSubmit).toBe(false);
    }
    for (const who of outsiders) {
      expect((await submit(ended.contractId, who, valid)).status).toBe(404);
      const read = await api.get(`/contracts/${ended.contractId}/reviews`, { token: who.token });
      expect(read.status).toBe(404);
    }
    expect((await api.post(`/contracts/${ended.contractId}/reviews`, { json: valid })).status).toBe(
      401,
    );
    expect((await api.get(`/contracts/${ended.contractId}/reviews`)).status).toBe(401);
    expect((await submit('00000000-0000-4000-8000-000000000000', ended.buyer, valid)).status).toBe(
      404,
    );
    expect((await submit('not-a-uuid', ended.buyer, valid)).status).toBe(422);

    const cases: Array<[unknown, string[]]> = [
      [{ rating: 0, text: 'x' }, ['/rating']],
      [{ rating: 6, text: 'x' }, ['/rating']],
      [{ rating: 4.5, text: 'x' }, ['/rating']],
      [{ rating: '5', text: 'x' }, ['/rating']],
      [{ rating: null, text: 'x' }, ['/rating']],
      [{ text: 'x' }, ['/rating']],
      [{ rating: 5 }, ['/text']],
      [{ rating: 5, text: '' }, ['/text']],
      [{ rating: 5, text: '   ' }, ['/text']],
      [{ rating: 5, text: '<script>alert(1)</script>' }, ['/text']],
      [{ rating: 5, text: 'x'.repeat(5_001) }, ['/text']],
      [{ rating: 5, text: 'x', stars: 5 }, ['/stars']],
      [{ rating: 5, text: 'x', revieweeId: ended.buyer.id }, ['/revieweeId']],
    ];
    for (const [body, pointers] of cases) {
      const answer = await submit(ended.contractId, ended.buyer, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        JSON.stringify(body),
      ).toEqual(pointers);
    }
    expect(await snapshot()).toEqual(before);
    // The bounds themselves are fine.
    expect((await review(ended.contractId, ended.buyer, 1)).rating).toBe(1);
    expect((await review(ended.contractId, ended.seller, 5)).rating).toBe(5);
  });

  it('takes one review per side when the same party sends two at once', async () => {
    const { buyer, contractId } = await pair();
    const raced = await Promise.all([
      submit(contractId, buyer, { rating: 4, text: 'First.' }),
      submit(contractId, buyer, { rating: 2, text: 'Second.' }),
    ]);
    expect(raced.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const rows = await server.db.kysely
      .selectFrom('reviews')
      .select('id')
      .where('contract_id', '=', contractId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('publishes a lone review 14 days after it was sent, either way, and closes the window', async () => {
    for (const side of ['buyer', 'seller'] as const) {
      const contract = await pair();
      const author = contract[side];
      const other = side === 'buyer' ? contract.seller : contract.buyer;
      const lone = await review(contract.contractId, author, 2, 'Slow to answer.');

      await backdate(lone.id, daysAgo(13));
      expect((await received(other.id)).items).toEqual([]);
      expect(await contractReviews(contract.contractId, other)).toMatchObject({
        canSubmit: true,
        theirs: null,
        theirsSubmitted: true,
      });

      const sent = daysAgo(15);
      await backdate(lone.id, sent);
      const page = await received(other.id);
      expect(page.items.map((r) => [r.id, r.public, r.createdAt])).toEqual([[lone.id, true, sent]]);
      expect(page.items[0]?.publicAt).toBe(new Date(Date.parse(sent) + 14 * DAY).toISOString());
      expect(page.summary).toEqual({ average: 2, count: 1 });
      const seen = await contractReviews(contract.contractId, other);
      expect(seen).toMatchObject({ canSubmit: false, mine: null, theirsSubmitted: true });
      expect(seen.theirs?.id).toBe(lone.id);
      expect((await contractReviews(contract.contractId, author)).mine?.public).toBe(true);

      // The verdict is out: answering it now is refused.
      const before = await snapshot();
      const late = await submit(contract.contractId, other, { rating: 1, text: 'Retaliation.' });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({
        type: problemTypes.conflict,
        title: 'Review window closed',
      });
      expect(await snapshot()).toEqual(before);
    }
  });

  it('lists received public reviews newest first, a capped page at a time', async () => {
    const seller = await signUpAs(server, 'freelancer');
    const sent: Review[] = [];
    for (const rating of [5, 4, 4, 3, 5]) {
      const buyer = await signUpAs(server, 'client');
      const contractId = await contractBetween(server, {
        client: buyer,
        freelancer: seller,
        categoryId: category.id,
      });
      const byBuyer = await review(contractId, buyer, rating, `Rated ${rating}.`);
      await review(contractId, seller, 5);
      sent.push(byBuyer);
    }
    // A sixth, one-sided and recent: not public, so neither listed nor counted.
    const quiet = await signUpAs(server, 'client');
    const hidden = await contractBetween(server, {
      client: quiet,
      freelancer: seller,
      categoryId: category.id,
    });
    await review(hidden, quiet, 1, 'Hidden.');

    const newestFirst = [...sent].reverse().map((r) => r.id);
    const all = await received(seller.id, '?limit=100');
    expect(all.items.map((r) => r.id)).toEqual(newestFirst);
    expect(all.summary).toEqual({ average: 4.2, count: 5 });
    expect(all.nextCursor).toBeNull();

    for (const limit of [1, 2, 3]) {
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ReviewPage = await received(
          seller.id,
          `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(limit);
        walked.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked, `by ${limit}`).toEqual(newestFirst);
    }
    expect((await received(seller.id)).items).toHaveLength(5);

    for (const [query, pointer] of [
      ['limit=101', '/limit'],
      ['limit=0', '/limit'],
      ['limit=1.5', '/limit'],
      ['cursor=bogus', '/cursor'],
      ['page=2', '/page'],
    ]) {
      const answer = await api.get<Problem>(`/users/${seller.id}/reviews?${query}`, {
        token: admin.token,
      });
      expect(answer.status, query).toBe(422);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        query,
      ).toEqual([pointer]);
    }
    expect(
      (
        await api.get('/users/00000000-0000-4000-8000-000000000000/reviews', {
          token: admin.token,
        })
      ).status,
    ).toBe(404);
    expect((await api.get(`/users/${seller.id}/reviews`)).status).toBe(401);
  });
});
