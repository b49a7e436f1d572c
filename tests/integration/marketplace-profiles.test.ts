import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type {
  FreelancerProfile,
  FreelancerSearchHit,
  FreelancerSearchPage,
  PortfolioItem,
} from '../../shared/marketplace/profiles.ts';
import type { Category, Skill } from '../../shared/marketplace/taxonomy.ts';
import { request, type client } from '../support/http.ts';
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
const eur = (amountMinor: number, currency = 'EUR') => ({ amountMinor, currency });

describe.each(['sqlite', 'postgres'] as Dialect[])('freelancer profiles on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let buyer: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, admin, buyer, category } = await marketplaceWorld(dialect, {
      buyer: 'client',
    }));
  });
  afterAll(() => server?.close());

  const editProfile = (who: Member, json: unknown) =>
    api.patch<Answer<FreelancerProfile>>('/me/profile', { token: who.token, json });
  async function profileOf(who: Member, json: Record<string, unknown>) {
    const answer = await editProfile(who, json);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as FreelancerProfile;
  }
  async function profile(id: string, reader: Member = buyer) {
    const answer = await api.get<FreelancerProfile>(`/freelancers/${id}`, { token: reader.token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }
  const editAccount = async (who: Member, json: Record<string, unknown>) => {
    const answer = await api.patch('/auth/me', { token: who.token, json });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  };
  const addItem = (who: Member, json: unknown) =>
    api.post<Answer<PortfolioItem>>('/me/portfolio', { token: who.token, json });
  async function item(who: Member, json: Record<string, unknown>) {
    const answer = await addItem(who, json);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as PortfolioItem;
  }
  async function upload(who: Member, bytes: string, type: string) {
    const answer = await api.post<{ hash: string }>('/blobs', {
      token: who.token,
      raw: bytes,
      headers: { 'content-type': type },
    });
    expect(answer.status).toBe(201);
    return answer.body.hash;
  }

  /** Every row a refused profile or portfolio request could have touched. */
  const snapshot = () =>
    tableRows(server, {
      users: ['id'],
      skills: ['id'],
      profile_skills: ['user_id', 'skill_id'],
      portfolio_items: ['id'],
      freelancer_search_docs: ['user_id'],
      audit_log: ['id'],
    });

  async function search(query: Record<string, string | number>, reader: Member = buyer) {
    const params = new URLSearchParams(
      Object.entries(query).map(([key, value]) => [key, String(value)]),
    );
    const answer = await api.get<FreelancerSearchPage>(`/search/freelancers?${params.toString()}`, {
      token: reader.token,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }
  const idsOf = async (query: Record<string, string | number>) =>
    (await search({ limit: 100, ...query })).items.map((hit) => hit.id);
  const sorted = (ids: string[]) => [...ids].sort();

  it('lets a freelancer edit their profile, and shows it to every member', async () => {
    const seller = await signUpAs(server, 'freelancer');
    const edited = await profileOf(seller, {
      headline: 'Typescript <b>engineer</b>',
      bio: 'Ten years of building things.',
      hourlyRate: eur(6_500),
      skills: [
        { name: 'TypeScript', level: 'expert' },
        { name: 'Quantum Knitting', level: 'beginner' },
      ],
    });
    expect(edited).toMatchObject({
      id: seller.id,
      // Plain text is kept as typed: whoever shows it escapes it.
      headline: 'Typescript <b>engineer</b>',
      bio: 'Ten years of building things.',
      hourlyRate: eur(6_500),
      skills: [
        { slug: 'typescript', name: 'TypeScript', level: 'expert' },
        { slug: 'quantum-knitting', name: 'Quantum Knitting', level: 'beginner' },
      ],
      portfolio: [],
      stats: { jobsDone: 0, totalContracts: 0, rating: null, reviewCount: 0 },
    });
    // A reader's own view adds whether they keep and follow this freelancer; an edit has neither.
    expect(edited).not.toHaveProperty('favorited');
    expect(edited).not.toHaveProperty('following');
    expect(await profile(seller.id)).toEqual({ ...edited, favorited: false, following: false });
    expect(await profile(seller.id, admin)).toEqual({
      ...edited,
      favorited: false,
      following: false,
    });
    // The account shows the same headline, bio and rate.
    const me = await api.get<{ headline: string; hourlyRate: unknown }>('/auth/me', {
      token: seller.token,
    });
    expect(me.body).toMatchObject({ headline: edited.headline, hourlyRate: eur(6_500) });
    const skills = await api.get<{ items: Skill[] }>('/skills?limit=100');
    expect(skills.body.items.map((s) => s.slug)).toContain('quantum-knitting');
    const audited = await server.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('user_id', '=', seller.id)
      .where('action', '=', 'profile.updated')
      .execute();
    expect(audited).toHaveLength(1);

    // Skills are replaced as a whole, matched by slug; other fields stay as they were.
    const replaced = await profileOf(seller, {
      skills: [
        { name: 'quantum knitting', level: 'expert' },
        { name: 'typescript', level: 'intermediate' },
      ],
    });
    expect(replaced.skills.map((s) => [s.name, s.level])).toEqual([
      ['Quantum Knitting', 'expert'],
      ['TypeScript', 'intermediate'],
    ]);
    expect(replaced.headline).toBe(edited.headline);
    const cleared = await profileOf(seller, { skills: [], headline: '', hourlyRate: null });
    expect(cleared).toMatchObject({ skills: [], headline: null, hourlyRate: null });
    expect(cleared.bio).toBe(edited.bio);
    expect(Date.parse(cleared.stats.memberSince)).toBeLessThanOrEqual(Date.now());
  });

  it('tells each reader whether they keep a freelancer as a favorite and follow them', async () => {
    const seller = await signUpAs(server, 'freelancer');
    const other = await signUpAs(server, 'client');
    const put = (path: string, who: Member) =>
      request(server.baseUrl, 'PUT', path, { token: who.token });
    const marks = async (reader: Member) => {
      const { favorited, following } = await profile(seller.id, reader);
      return { favorited, following };
    };
    expect(await marks(buyer)).toEqual({ favorited: false, following: false });

    expect((await put(`/me/favorites/freelancers/${seller.id}`, buyer)).status).toBe(200);
    expect(await marks(buyer)).toEqual({ favorited: true, following: false });
    expect((await put(`/me/following/${seller.id}`, buyer)).status).toBe(200);
    expect(await marks(buyer)).toEqual({ favorited: true, following: true });
    // Each reader's own: someone else, and the freelancer reading their own, see neither.
    expect(await marks(other)).toEqual({ favorited: false, following: false });
    expect(await marks(seller)).toEqual({ favorited: false, following: false });
    // Reading tells; it writes nothing.
    const marked = async () => ({
      ...(await snapshot()),
      favorites: await server.db.kysely.selectFrom('freelancer_favorites').selectAll().execute(),
      follows: await server.db.kysely.selectFrom('follows').selectAll().execute(),
    });
    const before = await marked();
    await profile(seller.id, buyer);
    expect(await marked()).toEqual(before);

    expect((await api.delete(`/me/favorites/freelancers/${seller.id}`, buyer)).status).toBe(204);
    expect(await marks(buyer)).toEqual({ favorited: false, following: true });
    expect((await api.delete(`/me/following/${seller.id}`, buyer)).status).toBe(204);
    expect(await marks(buyer)).toEqual({ favorited: false, following: false });
  });

  it('refuses clients, admins, strangers and bad input, changing nothing', async () => {
    const seller = await signUpAs(server, 'freelancer');
    await profileOf(seller, { skills: [{ name: 'Rust', level: 'expert' }] });
    const before = await snapshot();

    for (const who of [buyer, admin]) {
      const answer = await editProfile(who, { headline: 'Not a freelancer' });
      expect(answer.status).toBe(403);
      expect(answer.body.type).toBe(problemTypes.forbidden);
      expect((await addItem(who, { title: 'Nope' })).status).toBe(403);
    }
    for (const id of [buyer.id, admin.id, '00000000-0000-4000-8000-000000000000']) {
      const answer = await api.get<Problem>(`/freelancers/${id}`, { token: seller.token });
      expect(answer.status).toBe(404);
      expect(answer.body.type).toBe(problemTypes.notFound);
    }
    expect((await api.get('/freelancers/not-a-uuid', { token: buyer.token })).status).toBe(422);
    expect((await api.get(`/freelancers/${seller.id}`)).status).toBe(401);
    expect((await api.patch('/me/profile', { json: { headline: 'x' } })).status).toBe(401);

    const many = Array.from({ length: 31 }, (_, n) => ({ name: `Skill ${n}`, level: 'expert' }));
    const cases: Array<[unknown, string[]]> = [
      [{ skills: [{ name: 'Go', level: 'guru' }] }, ['/skills/0/level']],
      [{ skills: [{ name: 'Go' }] }, ['/skills/0/level']],
      [
        {
          skills: [
            { name: 'Go', level: 'expert' },
            { name: ' go ', level: 'beginner' },
          ],
        },
        ['/skills/1/name'],
      ],
      [{ skills: [{ name: '***', level: 'expert' }] }, ['/skills/0/name']],
      [{ skills: [{ name: 'x'.repeat(61), level: 'expert' }] }, ['/skills/0/name']],
      [{ skills: [{ name: 'Go', level: 'expert', years: 3 }] }, ['/skills/0/years']],
      [{ skills: many }, ['/skills']],
      [{ skills: 'Go, Rust' }, ['/skills']],
      [{ headline: 'x'.repeat(141) }, ['/headline']],
      [{ bio: 'x'.repeat(5_001) }, ['/bio']],
      [{ hourlyRate: { amountMinor: 10.5, currency: 'EUR' } }, ['/hourlyRate/amountMinor']],
      [{ hourlyRate: { amountMinor: 1_000, currency: 'EURO' } }, ['/hourlyRate/currency']],
      [{ name: 'Renamed' }, ['/name']],
    ];
    for (const [body, pointers] of cases) {
      const answer = await editProfile(seller, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        JSON.stringify(body),
      ).toEqual(pointers);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an hourly rate of nothing at its field, and still clears a rate with null', async () => {
    const seller = await signUpAs(server, 'freelancer');
    await profileOf(seller, { hourlyRate: eur(4_000) });
    const before = await snapshot();
    for (const amountMinor of [0, -1]) {
      const refused = await editProfile(seller, { headline: 'Free', hourlyRate: eur(amountMinor) });
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toEqual([
        { pointer: '/hourlyRate/amountMinor', detail: 'must be more than 0' },
      ]);
    }
    expect(await snapshot()).toEqual(before);
    expect(await profile(seller.id)).toMatchObject({ headline: null, hourlyRate: eur(4_000) });
    expect(await profileOf(seller, { hourlyRate: eur(1) })).toMatchObject({ hourlyRate: eur(1) });
    expect(await profileOf(seller, { hourlyRate: null })).toMatchObject({ hourlyRate: null });
  });

  it('keeps a portfolio of sanitised, ordered items, with images only the owner uploaded', async () => {
    const seller = await signUpAs(server, 'freelancer');
    const other = await signUpAs(server, 'freelancer');
    const first = await item(seller, {
      title: 'Shop redesign',
      description:
        '<p>New <em>checkout</em> <a href="javascript:alert(1)">flow</a></p><script>alert(1)</script>',
      url: 'https://shop.example.com/case-study',
      completedOn: '2025-06-30',
    });
    expect(first).toMatchObject({
      title: 'Shop redesign',
      descriptionHtml:
        '<p>New <em>checkout</em> <a rel="noopener noreferrer nofollow" target="_blank">flow</a></p>',
      url: 'https://shop.example.com/case-study',
      imageHash: null,
      completedOn: '2025-06-30',
      position: 0,
    });
    const second = await item(seller, { title: 'Plain <notes> & more', description: 'a < b' });
    expect(second).toMatchObject({
      title: 'Plain <notes> & more',
      descriptionHtml: '<p>a &lt; b</p>',
      url: null,
      completedOn: null,
      position: 1,
    });

    // An image: only one this freelancer uploaded, and then every member may read it.
    const image = await upload(seller, 'png bytes of a screenshot', 'image/png');
    const foreign = await upload(other, 'png bytes of a private thing', 'image/png');
    const text = await upload(seller, 'notes', 'text/plain');
    const readImage = () => api.get(`/blobs/${image}`, { token: buyer.token });
    expect((await readImage()).status).toBe(404);
    const third = await item(seller, { title: 'Logo', imageHash: image });
    expect(third).toMatchObject({ imageHash: image, position: 2 });
    const read = await readImage();
    expect(read.status).toBe(200);
    expect(read.body).toBe('png bytes of a screenshot');

    // Moving the last to the front shifts the others.
    const moved = await api.patch<PortfolioItem>(`/me/portfolio/${third.id}`, {
      token: seller.token,
      json: { position: 0, title: 'Logo (final)' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ title: 'Logo (final)', position: 0 });
    const order = async () =>
      (await profile(seller.id)).portfolio.map((entry) => [entry.id, entry.position]);
    expect(await order()).toEqual([
      [third.id, 0],
      [first.id, 1],
      [second.id, 2],
    ]);

    const before = await snapshot();
    const refusals: Array<[Promise<{ status: number; body: unknown }>, number, string?]> = [
      [addItem(seller, { title: 'x', url: 'javascript:alert(1)' }), 422, '/url'],
      [addItem(seller, { title: 'x', url: 'ftp://example.com/file' }), 422, '/url'],
      [addItem(seller, { title: 'x', url: 'not a url' }), 422, '/url'],
      [addItem(seller, { title: 'x', imageHash: foreign }), 422, '/imageHash'],
      [addItem(seller, { title: 'x', imageHash: text }), 422, '/imageHash'],
      [addItem(seller, { title: 'x', imageHash: 'f'.repeat(64) }), 422, '/imageHash'],
      [addItem(seller, { title: 'x', imageHash: 'F00' }), 422, '/imageHash'],
      [
        addItem(seller, { title: 'x', description: '<script>alert(1)</script>' }),
        422,
        '/description',
      ],
      [addItem(seller, { title: '' }), 422, '/title'],
      [addItem(seller, { title: 'x'.repeat(121) }), 422, '/title'],
      [
        addItem(seller, {
          title: 'x',
          completedOn: new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10),
        }),
        422,
        '/completedOn',
      ],
      [addItem(seller, { title: 'x', completedOn: '2025-02-30' }), 422, '/completedOn'],
      [addItem(seller, { title: 'x', position: 0 }), 422, '/position'],
      [
        api.patch(`/me/portfolio/${first.id}`, { token: seller.token, json: { position: 50 } }),
        422,
        '/position',
      ],
      [
        api.patch(`/me/portfolio/${first.id}`, { token: other.token, json: { title: 'Mine' } }),
        404,
      ],
      [api.delete(`/me/portfolio/${first.id}`, { token: other.token }), 404],
      [api.delete(`/me/portfolio/${first.id}`, { token: buyer.token }), 403],
      [api.patch(`/me/portfolio/${first.id}`, { token: buyer.token, json: { title: 'x' } }), 403],
      [
        api.delete('/me/portfolio/00000000-0000-4000-8000-000000000000', { token: seller.token }),
        404,
      ],
      [api.post('/me/portfolio', { json: { title: 'x' } }), 401],
    ];
    for (const [pending, status, pointer] of refusals) {
      const answer = (await pending) as { status: number; body: Problem };
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      if (pointer) expect(answer.body.errors?.map((e) => e.pointer)).toEqual([pointer]);
    }
    expect(await snapshot()).toEqual(before);

    // Removing one closes the gap.
    expect((await api.delete(`/me/portfolio/${first.id}`, { token: seller.token })).status).toBe(
      204,
    );
    expect(await order()).toEqual([
      [third.id, 0],
      [second.id, 1],
    ]);
    const actions = await server.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('user_id', '=', seller.id)
      .where('action', 'like', 'portfolio.%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'portfolio.item_added',
      'portfolio.item_added',
      'portfolio.item_added',
      'portfolio.item_updated',
      'portfolio.item_removed',
    ]);
  });

  it('holds at most 50 portfolio items, even when added at once', async () => {
    const seller = await signUpAs(server, 'freelancer');
    for (let n = 0; n < 45; n += 1) await item(seller, { title: `Work ${n}` });
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, n) => addItem(seller, { title: `Burst ${n}` })),
    );
    expect(burst.filter((answer) => answer.status === 201)).toHaveLength(5);
    const refused = burst.filter((answer) => answer.status !== 201);
    expect(refused.map((answer) => answer.status)).toEqual([409, 409, 409]);
    expect(refused[0]?.body).toMatchObject({
      type: problemTypes.conflict,
      title: 'Portfolio full',
    });
    const portfolio = (await profile(seller.id)).portfolio;
    expect(portfolio.map((entry) => entry.position)).toEqual(
      Array.from({ length: 50 }, (_, n) => n),
    );
  });

  it('counts jobs from contracts and the rating from public reviews only', async () => {
    const seller = await signUpAs(server, 'freelancer');
    const parties = { client: buyer, freelancer: seller, categoryId: category.id };
    await contractBetween(server, parties, 'active');
    const ended = await contractBetween(server, parties);
    const other = await contractBetween(server, parties);
    const stats = async () => (await profile(seller.id)).stats;
    expect(await stats()).toMatchObject({
      jobsDone: 2,
      totalContracts: 3,
      rating: null,
      reviewCount: 0,
    });

    const rate = (contractId: string, who: Member, rating: number) =>
      api.post(`/contracts/${contractId}/reviews`, {
        token: who.token,
        json: { rating, text: 'Noted.' },
      });
    const lone = await rate(ended, buyer, 5);
    expect(lone.status).toBe(201);
    expect(await stats()).toMatchObject({ rating: null, reviewCount: 0 });
    await server.db.kysely
      .updateTable('reviews')
      .set({ created_at: new Date(Date.now() - 15 * DAY).toISOString() })
      .where('contract_id', '=', ended)
      .execute();
    expect(await stats()).toMatchObject({ rating: 5, reviewCount: 1 });
    expect((await rate(other, buyer, 2)).status).toBe(201);
    expect((await rate(other, seller, 4)).status).toBe(201);
    expect(await stats()).toMatchObject({ rating: 3.5, reviewCount: 2 });
  });

  describe('search', () => {
    let tamer: Member;
    let photographer: Member;
    let groomer: Member;

    beforeAll(async () => {
      const people: Array<[Record<string, unknown>, Record<string, unknown>]> = [
        [
          { name: 'Zanzibar Quill', country: 'PT' },
          {
            headline: 'Ocelot tamer',
            bio: 'I train big cats & <b>lynxes</b> for films.',
            hourlyRate: eur(5_000),
            skills: [
              { name: 'Ocelot care', level: 'expert' },
              { name: 'Animal training', level: 'intermediate' },
            ],
          },
        ],
        [
          { name: 'Marguerite Lens', country: 'DE' },
          {
            headline: 'Ocelot photographer',
            bio: 'Wildlife photos at dawn.',
            hourlyRate: eur(9_000),
            skills: [
              { name: 'Photography', level: 'expert' },
              { name: 'Animal training', level: 'beginner' },
            ],
          },
        ],
        [
          { name: 'Tobias Brush', country: 'PT' },
          {
            headline: 'Pet groomer',
            bio: 'Once groomed an ocelot, never again.',
            hourlyRate: eur(3_000, 'USD'),
            skills: [{ name: 'Grooming', level: 'expert' }],
          },
        ],
      ];
      const members: Member[] = [];
      for (const [account, details] of people) {
        const member = await signUpAs(server, 'freelancer');
        await editAccount(member, account);
        await profileOf(member, details);
        members.push(member);
      }
      [tamer, photographer, groomer] = members as [Member, Member, Member];
      // A client who mentions ocelots never shows up among freelancers.
      await editAccount(buyer, { headline: 'Ocelot sanctuary owner' });
    });

    it('finds freelancers by name, headline, bio and skills, best matches first', async () => {
      expect(await idsOf({ q: 'ocelot' })).toEqual([tamer.id, photographer.id, groomer.id]);
      expect(await idsOf({ q: 'zanzibar' })).toEqual([tamer.id]);
      expect(await idsOf({ q: 'Lynxes' })).toEqual([tamer.id]);
      expect(await idsOf({ q: 'wildlife dawn' })).toEqual([photographer.id]);
      expect(await idsOf({ q: 'grooming' })).toEqual([groomer.id]);
      // The last word is a prefix.
      expect(await idsOf({ q: 'zanz' })).toEqual([tamer.id]);
      expect(await idsOf({ q: 'ocelot photog' })).toEqual([photographer.id]);
      expect(await idsOf({ q: 'ocelot zanzibar lens' })).toEqual([]);

      const hit = (await search({ q: 'lynxes' })).items[0] as FreelancerSearchHit;
      expect(hit).toMatchObject({
        id: tamer.id,
        name: 'Zanzibar Quill',
        headline: 'Ocelot tamer',
        country: 'PT',
        hourlyRate: eur(5_000),
        skills: [
          { name: 'Ocelot care', level: 'expert' },
          { name: 'Animal training', level: 'intermediate' },
        ],
        stats: { jobsDone: 0, totalContracts: 0, rating: null, reviewCount: 0 },
      });
      // The bio is text: whatever looks like markup in it never reaches the snippet as markup
      // (SQLite escapes it, PostgreSQL's headline drops tag-like words); only matches are marked.
      expect(hit.snippetHtml).toContain('cats &amp; ');
      expect(hit.snippetHtml).toContain('<mark>lynxes</mark>');
      expect(hit.snippetHtml.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
      if (dialect === 'sqlite') expect(hit.snippetHtml).toContain('&lt;b&gt;<mark>lynxes');
      expect(hit).not.toHaveProperty('bio');
      const browsing = await search({ q: '', limit: 100 });
      expect(browsing.items.find((h) => h.id === groomer.id)?.snippetHtml).toBe(
        'Once groomed an ocelot, never again.',
      );
      expect(browsing.items.map((h) => h.id)).not.toContain(buyer.id);
    });

    it('filters by skills (all of them), rate within a currency, country and rating', async () => {
      const find = async (query: Record<string, string | number>) =>
        sorted(await idsOf({ q: 'ocelot', ...query }));
      expect(await find({ skills: 'animal training' })).toEqual(
        sorted([tamer.id, photographer.id]),
      );
      expect(await find({ skills: 'Animal Training,photography' })).toEqual([photographer.id]);
      expect(await find({ skills: 'animal-training,grooming' })).toEqual([]);
      expect(await find({ country: 'PT' })).toEqual(sorted([tamer.id, groomer.id]));
      expect(await find({ currency: 'EUR' })).toEqual(sorted([tamer.id, photographer.id]));
      expect(await find({ currency: 'EUR', rateMin: 6_000 })).toEqual([photographer.id]);
      expect(await find({ currency: 'EUR', rateMax: 5_000 })).toEqual([tamer.id]);
      expect(await find({ currency: 'USD', rateMax: 5_000 })).toEqual([groomer.id]);
      expect(
        await find({ currency: 'EUR', rateMin: 5_000, rateMax: 9_000, country: 'DE' }),
      ).toEqual([photographer.id]);

      // Ratings: public reviews only (both sides in, so public at once).
      for (const [seller, rating] of [
        [photographer, 5],
        [groomer, 3],
      ] as const) {
        const contractId = await contractBetween(server, {
          client: buyer,
          freelancer: seller,
          categoryId: category.id,
        });
        for (const [who, stars] of [
          [buyer, rating],
          [seller, 5],
        ] as const) {
          const sent = await api.post(`/contracts/${contractId}/reviews`, {
            token: who.token,
            json: { rating: stars, text: 'Done.' },
          });
          expect(sent.status).toBe(201);
        }
      }
      expect(await find({ minRating: 4 })).toEqual([photographer.id]);
      expect(await find({ minRating: 3 })).toEqual(sorted([photographer.id, groomer.id]));
      expect((await search({ q: 'ocelot' })).items.map((h) => h.stats.rating)).toEqual([
        null,
        5,
        3,
      ]);
    });

    it('sorts by relevance, rating, rate and newest, and walks every result once', async () => {
      const crew: Member[] = [];
      for (const [n, rate] of [30, 10, 20, 10, 40, 20, 30].entries()) {
        const member = await signUpAs(server, 'freelancer');
        await profileOf(member, {
          headline: `Tessellation artist ${n}`,
          // Some share a score and a rate, so the tiebreak is exercised too.
          bio: `${'Tessellation tiles. '.repeat(n % 3)}Floor plans.`,
          hourlyRate: eur(rate * 100),
        });
        crew.push(member);
      }
      const walk = async (query: Record<string, string | number>, limit: number) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: FreelancerSearchPage = await search({
            ...query,
            limit,
            ...(cursor ? { cursor } : {}),
          });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items.map((h) => h.id));
          cursor = page.nextCursor;
        } while (cursor);
        return seen;
      };
      const everyone = sorted(crew.map((m) => m.id));
      for (const sort of ['relevance', 'rating', 'rate_low', 'rate_high', 'newest']) {
        const query = { q: 'tessellation', sort, currency: 'EUR' };
        const all = (await search({ ...query, limit: 100 })).items.map((h) => h.id);
        expect(sorted(all), sort).toEqual(everyone);
        for (const limit of [1, 2, 3]) {
          expect(await walk(query, limit), `${sort} by ${limit}`).toEqual(all);
        }
      }
      const rates = async (sort: string) =>
        (await search({ q: 'tessellation', sort, currency: 'EUR' })).items.map(
          (h) => h.hourlyRate?.amountMinor,
        );
      expect(await rates('rate_low')).toEqual([1_000, 1_000, 2_000, 2_000, 3_000, 3_000, 4_000]);
      expect(await rates('rate_high')).toEqual([4_000, 3_000, 3_000, 2_000, 2_000, 1_000, 1_000]);
      const newest = (await search({ q: 'tessellation', sort: 'newest' })).items.map((h) => h.id);
      expect(newest).toEqual([...crew].reverse().map((m) => m.id));
      // Those who say it most rank first.
      const relevant = (await search({ q: 'tessellation tiles' })).items.map((h) => h.id);
      expect(sorted(relevant.slice(0, 2))).toEqual(sorted([crew[2]?.id ?? '', crew[5]?.id ?? '']));
      // Without words, the best rated come first.
      const browse = await search({ limit: 100 });
      const ratings = browse.items.map((h) => h.stats.rating ?? 0);
      expect([...ratings].sort((a, b) => b - a)).toEqual(ratings);
    });

    it('follows edits of names, profiles, skills and roles', async () => {
      const member = await signUpAs(server, 'freelancer');
      // A new freelancer is findable by name at once.
      await editAccount(member, { name: 'Perpetua Inkwell' });
      expect(await idsOf({ q: 'perpetua' })).toEqual([member.id]);
      await profileOf(member, {
        headline: 'Calligraphy for weddings',
        bio: 'Gold leaf and gouache.',
        skills: [{ name: 'Letterpress', level: 'expert' }],
      });
      for (const word of ['calligraphy', 'gouache', 'letterpress']) {
        expect(await idsOf({ q: word }), word).toEqual([member.id]);
      }
      await editAccount(member, { name: 'Perpetua Quillon', bio: 'Copperplate scripts.' });
      await profileOf(member, {
        headline: 'Signwriting',
        skills: [{ name: 'Engraving', level: 'beginner' }],
      });
      for (const gone of ['inkwell', 'calligraphy', 'gouache', 'letterpress']) {
        expect(await idsOf({ q: gone }), gone).toEqual([]);
      }
      for (const found of ['quillon', 'signwriting', 'copperplate', 'engraving']) {
        expect(await idsOf({ q: found }), found).toEqual([member.id]);
      }
      expect(await idsOf({ skills: 'engraving' })).toEqual([member.id]);

      // A renamed skill is found under its new name.
      await server.db.kysely
        .updateTable('skills')
        .set({ name: 'Intaglio engraving' })
        .where('slug', '=', 'engraving')
        .execute();
      expect(await idsOf({ q: 'intaglio' })).toEqual([member.id]);
      expect((await profile(member.id)).skills.map((s) => s.name)).toEqual(['Intaglio engraving']);

      // Someone who stops being a freelancer leaves the index.
      await server.db.kysely
        .updateTable('users')
        .set({ role: 'client' })
        .where('id', '=', member.id)
        .execute();
      expect(await idsOf({ q: 'quillon' })).toEqual([]);
      const docs = await server.db.kysely
        .selectFrom('freelancer_search_docs')
        .select('user_id')
        .where('user_id', '=', member.id)
        .execute();
      expect(docs).toEqual([]);
    });

    it('treats hostile input as words and refuses bad filters with 422', async () => {
      for (const q of ['"', '*', 'OR', 'NEAR(', "'", ':', '&|!', 'name:zanzibar', '(((', '\\']) {
        const answer = await api.get<FreelancerSearchPage>(
          `/search/freelancers?q=${encodeURIComponent(q)}`,
          { token: buyer.token },
        );
        expect(answer.status, q).toBe(200);
      }
      expect(await idsOf({ q: '"zanzibar' })).toEqual([tamer.id]);
      expect(await idsOf({ q: 'NEAR( zanzibar' })).toEqual([]);
      const other = await search({ sort: 'newest', limit: 1 });
      expect(other.nextCursor).not.toBeNull();
      for (const [query, pointer] of [
        ['limit=101', '/limit'],
        ['limit=0', '/limit'],
        ['cursor=bogus', '/cursor'],
        [`sort=rating&cursor=${other.nextCursor ?? ''}`, '/cursor'],
        ['sort=popular', '/sort'],
        ['rateMin=100', '/currency'],
        ['sort=rate_low', '/currency'],
        ['currency=EUR&rateMin=500&rateMax=100', '/rateMin'],
        ['currency=EUR&rateMin=-1', '/rateMin'],
        ['currency=XXY', '/currency'],
        ['country=pt', '/country'],
        ['minRating=6', '/minRating'],
        ['minRating=0', '/minRating'],
        [`q=${'x'.repeat(201)}`, '/q'],
        ['page=2', '/page'],
      ]) {
        const answer = await api.get<Problem>(`/search/freelancers?${query}`, {
          token: buyer.token,
        });
        expect(answer.status, query).toBe(422);
        expect(
          answer.body.errors?.map((e) => e.pointer),
          query,
        ).toEqual([pointer]);
      }
      expect((await api.get('/search/freelancers?q=x')).status).toBe(401);
    });
  });
});
