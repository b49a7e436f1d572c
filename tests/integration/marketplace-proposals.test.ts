import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes, type Problem } from '../../shared/api/problem.ts';
import type { Contract, ContractPage } from '../../shared/marketplace/contracts.ts';
import type { Project } from '../../shared/marketplace/projects.ts';
import type { FreelancerProfile } from '../../shared/marketplace/profiles.ts';
import type {
  Proposal,
  ProposalFreelancer,
  ProposalPage,
} from '../../shared/marketplace/proposals.ts';
import type { Category } from '../../shared/marketplace/taxonomy.ts';
import type { client } from '../support/http.ts';
import {
  contractBetween,
  marketplaceSnapshot,
  marketplaceWorld,
  projectInput,
  signUpAs,
  type Answer,
  type Member,
} from '../support/marketplace-fixtures.ts';
import type { Dialect, TestServer } from '../support/test-server.ts';

const eur = (amountMinor: unknown, currency = 'EUR') => ({ amountMinor, currency });

function proposalInput(fields: Record<string, unknown> = {}) {
  return {
    coverLetter: 'I have built three time trackers.',
    bid: { type: 'fixed', amount: eur(200_000) },
    durationDays: 30,
    ...fields,
  };
}

describe.each(['sqlite', 'postgres'] as Dialect[])('marketplace proposals on %s', (dialect) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let admin: Member;
  let owner: Member;
  let otherClient: Member;
  let f1: Member;
  let f2: Member;
  let f3: Member;
  let category: Category;

  beforeAll(async () => {
    ({ server, api, admin, owner, otherClient, f1, f2, f3, category } = await marketplaceWorld(
      dialect,
      {
        owner: 'client',
        otherClient: 'client',
        f1: 'freelancer',
        f2: 'freelancer',
        f3: 'freelancer',
      },
    ));
  });
  afterAll(() => server?.close());

  /** Every row a refused request could have touched, proposals and contracts included. */
  const snapshot = () =>
    marketplaceSnapshot(server, {
      proposals: ['id'],
      contracts: ['id'],
      milestones: ['id'],
      audit_log: ['id'],
    });

  async function project(fields: Record<string, unknown> = {}) {
    const answer = await api.post<Project>('/projects', {
      token: owner.token,
      json: projectInput(category.id, { publish: true, ...fields }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }
  const hourlyBudget = { type: 'hourly', min: eur(3_000), max: eur(6_000) };
  const propose = (projectId: string, who: Member, fields: Record<string, unknown> = {}) =>
    api.post<Answer<Proposal>>(`/projects/${projectId}/proposals`, {
      token: who.token,
      json: proposalInput(fields),
    });
  async function proposal(projectId: string, who: Member, fields: Record<string, unknown> = {}) {
    const answer = await propose(projectId, who, fields);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body as Proposal;
  }
  const act = (id: string, action: string, who: Member, json?: unknown) =>
    api.post<Answer<Proposal>>(`/proposals/${id}/${action}`, { token: who.token, json });
  const accept = (id: string, json: Record<string, unknown> = { rejectOthers: false }) =>
    api.post<Answer<Contract>>(`/proposals/${id}/accept`, { token: owner.token, json });
  const contractCount = async (projectId: string) =>
    Number(
      (
        await server.db.kysely
          .selectFrom('contracts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('project_id', '=', projectId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const projectStatus = async (id: string) =>
    (
      await server.db.kysely
        .selectFrom('projects')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  it('lets freelancers propose once on open public projects, never on their own', async () => {
    const open = await project();
    const created = await proposal(open.id, f1, {
      coverLetter: '<p>Hi <strong>there</strong></p><script>alert(1)</script>',
      milestonePlan: [
        { title: 'Design', amount: eur(50_000), dueDate: '2099-01-31' },
        { title: 'Build', amount: eur(150_000) },
      ],
    });
    expect(created).toMatchObject({
      projectId: open.id,
      freelancer: {
        id: f1.id,
        name: f1.name,
        headline: null,
        hourlyRate: null,
        stats: { jobsDone: 0, rating: null, reviewCount: 0 },
      },
      coverLetterHtml: '<p>Hi <strong>there</strong></p>',
      bid: { type: 'fixed', amount: eur(200_000) },
      durationDays: 30,
      status: 'pending',
      milestonePlan: [
        { title: 'Design', amount: eur(50_000), dueDate: '2099-01-31' },
        { title: 'Build', amount: eur(150_000), dueDate: null },
      ],
    });
    const audited = await server.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'user_id'])
      .where('details', 'like', `%${created.id}%`)
      .execute();
    expect(audited).toEqual([{ action: 'proposal.submitted', user_id: f1.id }]);

    const draft = await project({ publish: false });
    const invite = await project({ visibility: 'invite' });
    const cancelled = await project();
    await api.post(`/projects/${cancelled.id}/status`, {
      token: owner.token,
      json: { to: 'cancelled' },
    });
    const before = await snapshot();
    for (const [who, status, type] of [
      [owner, 403, problemTypes.forbidden],
      [otherClient, 403, problemTypes.forbidden],
      [admin, 403, problemTypes.forbidden],
      [f1, 409, problemTypes.conflict],
    ] as const) {
      const answer = await propose(open.id, who);
      expect(answer.status).toBe(status);
      expect(answer.body.type).toBe(type);
    }
    expect((await propose(open.id, owner)).body.detail).toContain('own project');
    expect(
      (await api.post(`/projects/${open.id}/proposals`, { json: proposalInput() })).status,
    ).toBe(401);
    for (const hidden of [draft, invite]) {
      expect((await propose(hidden.id, f2)).status).toBe(404);
    }
    const closed = await propose(cancelled.id, f2);
    expect(closed.status).toBe(409);
    expect(closed.body.detail).toContain('cancelled project takes no proposals');
    expect((await propose('00000000-0000-4000-8000-000000000000', f2)).status).toBe(404);
    expect(await snapshot()).toEqual(before);

    // The same freelancer proposing twice at once: one proposal, one 409.
    const raced = await Promise.all([propose(open.id, f2), propose(open.id, f2)]);
    expect(raced.map((a) => a.status).sort()).toEqual([201, 409]);
    const counted = async () =>
      (await api.get<Project>(`/projects/${open.id}`, { token: owner.token })).body.proposalCount;
    expect(await counted()).toBe(2);
    await act(created.id, 'withdraw', f1);
    expect(await counted()).toBe(1);
  });

  it('answers bad input with precise problems and changes nothing', async () => {
    const fixed = await project();
    const hourly = await project({ budget: hourlyBudget });
    const plan = (...amounts: unknown[]) =>
      amounts.map((amount, n) => ({ title: `Step ${n}`, amount }));
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      [fixed.id, { bid: { type: 'fixed', amount: eur(10.5) } }, ['/bid/amount/amountMinor']],
      [fixed.id, { bid: { type: 'fixed', amount: eur('100') } }, ['/bid/amount/amountMinor']],
      [fixed.id, { bid: { type: 'fixed', amount: eur(0) } }, ['/bid/amount/amountMinor']],
      [fixed.id, { bid: { type: 'fixed', amount: eur(100, 'EURO') } }, ['/bid/amount/currency']],
      [fixed.id, { bid: { type: 'fixed', amount: eur(100, 'USD') } }, ['/bid/amount/currency']],
      [fixed.id, { bid: { type: 'hourly', rate: eur(5_000) } }, ['/bid/type']],
      [hourly.id, { bid: { type: 'fixed', amount: eur(5_000) } }, ['/bid/type']],
      [fixed.id, { coverLetter: '<script>alert(1)</script>' }, ['/coverLetter']],
      [fixed.id, { coverLetter: '' }, ['/coverLetter']],
      [fixed.id, { durationDays: 0 }, ['/durationDays']],
      [fixed.id, { durationDays: 1.5 }, ['/durationDays']],
      [fixed.id, { milestonePlan: [] }, ['/milestonePlan']],
      [fixed.id, { milestonePlan: plan(eur(100), eur(100)) }, ['/milestonePlan']],
      [
        fixed.id,
        { milestonePlan: plan(eur(0), eur(200_000)) },
        ['/milestonePlan/0/amount/amountMinor'],
      ],
      [
        fixed.id,
        { milestonePlan: plan(eur(100_000, 'USD'), eur(100_000)) },
        ['/milestonePlan/0/amount/currency'],
      ],
      [
        hourly.id,
        { bid: { type: 'hourly', rate: eur(5_000) }, milestonePlan: plan(eur(5_000)) },
        ['/milestonePlan'],
      ],
      [fixed.id, { status: 'accepted' }, ['/status']],
    ];
    const before = await snapshot();
    for (const [projectId, fields, pointers] of cases) {
      const answer = await propose(projectId, f1, fields);
      expect(answer.status, JSON.stringify(fields)).toBe(422);
      expect(answer.body.type).toBe(problemTypes.validation);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        JSON.stringify(fields),
      ).toEqual(pointers);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets the freelancer edit and withdraw only while pending or shortlisted', async () => {
    const open = await project();
    const mine = await proposal(open.id, f1);
    const before = await snapshot();
    const edit = (who: Member, json: unknown) =>
      api.patch<Answer<Proposal>>(`/proposals/${mine.id}`, { token: who.token, json });
    expect((await edit(otherClient, { durationDays: 5 })).status).toBe(404);
    expect((await edit(f2, { durationDays: 5 })).status).toBe(404);
    expect((await edit(owner, { durationDays: 5 })).status).toBe(403);
    expect((await act(mine.id, 'withdraw', owner)).status).toBe(403);
    const badPlan = await edit(f1, {
      milestonePlan: [{ title: 'All', amount: eur(1) }],
    });
    expect(badPlan.status).toBe(422);
    expect(badPlan.body.errors?.map((e) => e.pointer)).toEqual(['/milestonePlan']);
    expect(await snapshot()).toEqual(before);

    const edited = await edit(f1, {
      bid: { type: 'fixed', amount: eur(150_000) },
      milestonePlan: [
        { title: 'Half', amount: eur(75_000) },
        { title: 'Rest', amount: eur(75_000) },
      ],
      coverLetter: 'Cheaper now',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      bid: { amount: eur(150_000) },
      coverLetterHtml: '<p>Cheaper now</p>',
      durationDays: 30,
    });
    // A new bid that no longer matches the stored plan is refused.
    const stale = await edit(f1, { bid: { type: 'fixed', amount: eur(160_000) } });
    expect(stale.body.errors?.map((e) => e.pointer)).toEqual(['/milestonePlan']);

    expect((await act(mine.id, 'shortlist', owner)).status).toBe(200);
    expect((await edit(f1, { durationDays: 20 })).body.durationDays).toBe(20);
    const withdrawn = await act(mine.id, 'withdraw', f1);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    const again = await act(mine.id, 'withdraw', f1);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: problemTypes.invalidTransition, allowed: [] });
    const late = await edit(f1, { durationDays: 10 });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe(problemTypes.conflict);
  });

  it('enforces the shortlist/reject lifecycle, answering 409 with the allowed moves', async () => {
    const open = await project();
    const p = await proposal(open.id, f1);
    expect((await act(p.id, 'shortlist', f1)).status).toBe(403);
    expect((await act(p.id, 'shortlist', otherClient)).status).toBe(404);
    expect((await act(p.id, 'shortlist', owner)).body.status).toBe('shortlisted');
    const twice = await act(p.id, 'shortlist', owner);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({
      type: problemTypes.invalidTransition,
      allowed: ['rejected', 'withdrawn', 'accepted'],
      detail:
        'A shortlisted proposal can become rejected or withdrawn or accepted, not shortlisted.',
    });
    expect((await act(p.id, 'reject', owner)).body.status).toBe('rejected');
    for (const action of ['shortlist', 'reject']) {
      const final = await act(p.id, action, owner);
      expect(final.status).toBe(409);
      expect(final.body.allowed).toEqual([]);
    }
    const refused = await accept(p.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: problemTypes.invalidTransition, allowed: [] });
    expect(await contractCount(open.id)).toBe(0);
  });

  it('accepts: one contract with milestones, project in progress, others rejected on request', async () => {
    const open = await project();
    const winner = await proposal(open.id, f1, {
      milestonePlan: [
        { title: 'Design', amount: eur(120_000), dueDate: '2099-03-01' },
        { title: 'Build', amount: eur(80_000), dueDate: '2099-06-01' },
      ],
    });
    const loser = await proposal(open.id, f2, { bid: { type: 'fixed', amount: eur(180_000) } });
    const gone = await proposal(open.id, f3);
    await act(gone.id, 'withdraw', f3);
    await act(loser.id, 'shortlist', owner);

    const before = await snapshot();
    const milestones = (...amounts: unknown[]) =>
      amounts.map((amount, n) => ({ title: `M${n}`, amount }));
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ rejectOthers: true, milestones: milestones(eur(100)) }, ['/milestones']],
      [{ rejectOthers: true, milestones: [] }, ['/milestones']],
      [
        { rejectOthers: true, milestones: milestones(eur(0), eur(200_000)) },
        ['/milestones/0/amount/amountMinor'],
      ],
      [
        { rejectOthers: true, milestones: milestones(eur(100_000.5), eur(99_999.5)) },
        ['/milestones/0/amount/amountMinor', '/milestones/1/amount/amountMinor'],
      ],
      [
        { rejectOthers: true, milestones: milestones(eur(200_000, 'USD')) },
        ['/milestones/0/amount/currency'],
      ],
      [
        { rejectOthers: true, weeklyHourLimit: 10, manualTimeAllowed: true },
        ['/weeklyHourLimit', '/manualTimeAllowed'],
      ],
      [{}, ['/rejectOthers']],
      [{ rejectOthers: 'yes' }, ['/rejectOthers']],
    ];
    for (const [json, pointers] of cases) {
      const answer = await accept(winner.id, json);
      expect(answer.status, JSON.stringify(json)).toBe(422);
      expect(
        answer.body.errors?.map((e) => e.pointer),
        JSON.stringify(json),
      ).toEqual(pointers);
    }
    const byFreelancer = await api.post<Problem>(`/proposals/${winner.id}/accept`, {
      token: f1.token,
      json: { rejectOthers: false },
    });
    expect(byFreelancer.status).toBe(403);
    const byStranger = await api.post<Problem>(`/proposals/${winner.id}/accept`, {
      token: otherClient.token,
      json: { rejectOthers: false },
    });
    expect(byStranger.status).toBe(404);
    expect(
      (
        await api.post('/proposals/00000000-0000-4000-8000-000000000000/accept', {
          token: owner.token,
          json: { rejectOthers: false },
        })
      ).status,
    ).toBe(404);
    expect(await snapshot()).toEqual(before);

    const accepted = await accept(winner.id, { rejectOthers: true });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const contract = accepted.body as Contract;
    expect(contract).toMatchObject({
      projectId: open.id,
      proposalId: winner.id,
      clientId: owner.id,
      freelancerId: f1.id,
      type: 'fixed',
      currency: 'EUR',
      rate: null,
      total: eur(200_000),
      weeklyHourLimit: null,
      manualTimeAllowed: false,
      status: 'active',
    });
    expect(
      contract.milestones.map((m) => [m.title, m.amount.amountMinor, m.dueDate, m.status]),
    ).toEqual([
      ['Design', 120_000, '2099-03-01', 'pending'],
      ['Build', 80_000, '2099-06-01', 'pending'],
    ]);
    const stored = await server.db.kysely
      .selectFrom('milestones')
      .select((eb) => eb.fn.sum<number>('amount_minor').as('sum'))
      .where('contract_id', '=', contract.id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.sum)).toBe(200_000);
    expect(await projectStatus(open.id)).toBe('in_progress');
    const statuses = await api.get<ProposalPage>(`/projects/${open.id}/proposals`, {
      token: owner.token,
    });
    expect(Object.fromEntries(statuses.body.items.map((p) => [p.id, p.status]))).toEqual({
      [winner.id]: 'accepted',
      [loser.id]: 'rejected',
      [gone.id]: 'withdrawn',
    });
    const actions = (
      await server.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('request_id', '=', accepted.headers.get('x-request-id') ?? '')
        .orderBy('id')
        .execute()
    ).map((row) => row.action);
    expect(actions).toEqual([
      'proposal.accepted',
      'project.status_changed',
      'contract.created',
      'proposal.rejected',
    ]);

    // Accepting again, or another proposal, after success: 409 and still one contract.
    expect((await accept(winner.id)).status).toBe(409);
    expect((await accept(loser.id)).status).toBe(409);
    expect(await contractCount(open.id)).toBe(1);

    // Only the two parties see it.
    for (const who of [owner, f1]) {
      const seen = await api.get<Contract>(`/contracts/${contract.id}`, { token: who.token });
      expect(seen.status).toBe(200);
      expect(seen.body.milestones).toHaveLength(2);
      const list = await api.get<ContractPage>('/contracts', { token: who.token });
      expect(list.body.items.map((c) => c.id)).toContain(contract.id);
    }
    for (const who of [f2, otherClient, admin]) {
      expect((await api.get(`/contracts/${contract.id}`, { token: who.token })).status).toBe(404);
      const list = await api.get<ContractPage>('/contracts', { token: who.token });
      expect(list.body.items.map((c) => c.id)).not.toContain(contract.id);
    }
  });

  it('defaults to one milestone of the bid and leaves the others pending when asked', async () => {
    const open = await project({ title: 'Logo for a bakery' });
    const chosen = await proposal(open.id, f1, { bid: { type: 'fixed', amount: eur(90_000) } });
    const other = await proposal(open.id, f2);
    // A bid made before the client changed the project's currency cannot be accepted as is.
    const moved = await project();
    const stale = await proposal(moved.id, f1);
    await api.patch(`/projects/${moved.id}`, {
      token: owner.token,
      json: { budget: { type: 'fixed', min: eur(1, 'GBP'), max: eur(900_000, 'GBP') } },
    });
    const mismatch = await accept(stale.id, { rejectOthers: false });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.detail).toContain('GBP');
    expect(await contractCount(moved.id)).toBe(0);

    const answer = await accept(chosen.id, { rejectOthers: false });
    expect(answer.status).toBe(201);
    expect(answer.body.milestones?.map((m) => [m.title, m.amount])).toEqual([
      ['Logo for a bakery', eur(90_000)],
    ]);
    const left = await api.get<Proposal>(`/proposals/${other.id}`, { token: f2.token });
    expect(left.body.status).toBe('pending');
    // Custom milestones replace the plan, as long as they sum to the bid.
    const second = await project();
    const p = await proposal(second.id, f1, { bid: { type: 'fixed', amount: eur(1_000) } });
    const custom = await accept(p.id, {
      rejectOthers: false,
      milestones: [
        { title: 'A', amount: eur(333) },
        { title: 'B', amount: eur(333) },
        { title: 'C', amount: eur(334) },
      ],
    });
    expect(custom.body.milestones?.map((m) => m.amount.amountMinor)).toEqual([333, 333, 334]);
    expect(custom.body.total).toEqual(eur(1_000));
  });

  it('accepts an hourly proposal with a rate, weekly limit and manual-time flag', async () => {
    const open = await project({ budget: hourlyBudget });
    const p = await proposal(open.id, f1, { bid: { type: 'hourly', rate: eur(4_500) } });
    const before = await snapshot();
    const withMilestones = await accept(p.id, {
      rejectOthers: false,
      milestones: [{ title: 'A', amount: eur(4_500) }],
    });
    expect(withMilestones.body.errors?.map((e) => e.pointer)).toEqual(['/milestones']);
    const badLimit = await accept(p.id, { rejectOthers: false, weeklyHourLimit: 200 });
    expect(badLimit.body.errors?.map((e) => e.pointer)).toEqual(['/weeklyHourLimit']);
    expect(await snapshot()).toEqual(before);
    const answer = await accept(p.id, {
      rejectOthers: false,
      weeklyHourLimit: 20,
      manualTimeAllowed: true,
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      type: 'hourly',
      rate: eur(4_500),
      total: null,
      weeklyHourLimit: 20,
      manualTimeAllowed: true,
      milestones: [],
    });
  });

  it('creates exactly one contract when two accepts race', async () => {
    for (const round of [1, 2, 3]) {
      const open = await project();
      const a = await proposal(open.id, f1);
      const b = await proposal(open.id, f2);
      // Two different proposals of one project, then the same proposal twice.
      const ids = round === 1 ? [a.id, b.id] : [a.id, a.id];
      const answers = await Promise.all(ids.map((id) => accept(id, { rejectOthers: true })));
      expect(
        answers.map((x) => x.status).sort(),
        JSON.stringify(answers.map((x) => x.body)),
      ).toEqual([201, 409]);
      expect(await contractCount(open.id)).toBe(1);
      const accepted = await server.db.kysely
        .selectFrom('proposals')
        .select('id')
        .where('project_id', '=', open.id)
        .where('status', '=', 'accepted')
        .execute();
      expect(accepted).toHaveLength(1);
      expect(await projectStatus(open.id)).toBe('in_progress');
    }
  });

  it('moves contracts along their lifecycle: client pauses, either party ends', async () => {
    const open = await project();
    const p = await proposal(open.id, f1);
    const contract = (await accept(p.id)).body as Contract;
    const move = (to: string, who: Member) =>
      api.patch<Answer<Contract>>(`/contracts/${contract.id}/status`, {
        token: who.token,
        json: { to },
      });
    const before = await snapshot();
    expect((await move('paused', f1)).status).toBe(403);
    expect((await move('paused', f2)).status).toBe(404);
    expect((await move('archived', owner)).body.errors?.map((e) => e.pointer)).toEqual(['/to']);
    const same = await move('active', owner);
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({
      type: problemTypes.invalidTransition,
      allowed: ['paused', 'ended'],
    });
    expect(await snapshot()).toEqual(before);
    expect((await move('paused', owner)).body.status).toBe('paused');
    expect((await move('paused', owner)).body.allowed).toEqual(['active', 'ended']);
    expect((await move('active', owner)).body.status).toBe('active');
    expect((await move('ended', f1)).body.status).toBe('ended');
    const final = await move('active', owner);
    expect(final.status).toBe(409);
    expect(final.body.allowed).toEqual([]);
  });

  it('lists a project’s proposals for its client, only their own for freelancers, page by page', async () => {
    const open = await project();
    const crowd = [
      f1,
      f2,
      f3,
      await signUpAs(server, 'freelancer'),
      await signUpAs(server, 'freelancer'),
    ];
    const ids: string[] = [];
    for (const who of crowd) ids.push((await proposal(open.id, who)).id);
    const walk = async (path: string, who: Member) => {
      const seen: Proposal[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `${path}${path.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await api.get<ProposalPage>(url, { token: who.token });
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      return seen;
    };
    const all = await walk(`/projects/${open.id}/proposals`, owner);
    expect(all.map((p) => p.id)).toEqual([...ids].reverse());
    const own = await walk(`/projects/${open.id}/proposals`, f2);
    expect(own.map((p) => p.freelancer.id)).toEqual([f2.id]);
    expect(await walk(`/projects/${open.id}/proposals`, otherClient)).toEqual([]);
    const mine = await walk('/proposals/mine', f2);
    expect(mine.every((p) => p.freelancer.id === f2.id)).toBe(true);
    expect(mine.map((p) => p.id)).toContain(ids[1]);
    for (const [query, pointer] of [
      ['limit=101', '/limit'],
      ['limit=0', '/limit'],
      ['cursor=bogus', '/cursor'],
    ]) {
      const answer = await api.get<Problem>(`/projects/${open.id}/proposals?${query}`, {
        token: owner.token,
      });
      expect(answer.status, query).toBe(422);
      expect(answer.body.errors?.map((e) => e.pointer)).toEqual([pointer]);
    }
    expect(
      (
        await api.get('/projects/00000000-0000-4000-8000-000000000000/proposals', {
          token: owner.token,
        })
      ).status,
    ).toBe(404);
  });

  it('names each proposal’s freelancer as typed, with rate and stats from public reviews only', async () => {
    // A name that looks like markup is plain text: it comes back exactly as typed.
    const star = await signUpAs(server, 'freelancer', '<b>x</b> & "y"');
    const profiled = await api.patch<FreelancerProfile>('/me/profile', {
      token: star.token,
      json: { headline: 'Desktop <apps> & "more"', hourlyRate: eur(7_500) },
    });
    expect(profiled.status, JSON.stringify(profiled.body)).toBe(200);
    // Two ended jobs. The first is reviewed by both sides, so its reviews are public; on the
    // second only the client has spoken, just now: private for 14 days, so its 1 must not count.
    const [publicJob, privateJob] = [
      await contractBetween(server, {
        client: otherClient,
        freelancer: star,
        categoryId: category.id,
      }),
      await contractBetween(server, {
        client: otherClient,
        freelancer: star,
        categoryId: category.id,
      }),
    ];
    const review = async (contractId: string, who: Member, rating: number) => {
      const answer = await api.post(`/contracts/${contractId}/reviews`, {
        token: who.token,
        json: { rating, text: 'Reviewed.' },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    };
    await review(publicJob, otherClient, 5);
    await review(publicJob, star, 2);
    await review(privateJob, otherClient, 1);
    const expected: ProposalFreelancer = {
      id: star.id,
      name: '<b>x</b> & "y"',
      headline: 'Desktop <apps> & "more"',
      hourlyRate: { amountMinor: 7_500, currency: 'EUR' },
      stats: { jobsDone: 2, rating: 5, reviewCount: 1 },
    };
    // The same figures as the freelancer's own profile shows.
    const profile = await api.get<FreelancerProfile>(`/freelancers/${star.id}`, {
      token: owner.token,
    });
    expect(profile.body.stats).toMatchObject(expected.stats);

    const open = await project();
    const sent = await proposal(open.id, star);
    await proposal(open.id, f3);
    expect(sent.freelancer).toEqual(expected);
    const listed = await api.get<ProposalPage>(`/projects/${open.id}/proposals`, {
      token: owner.token,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p) => p.freelancer)).toEqual([
      {
        id: f3.id,
        name: f3.name,
        headline: null,
        hourlyRate: null,
        stats: { jobsDone: 0, rating: null, reviewCount: 0 },
      },
      expected,
    ]);
    const one = await api.get<Proposal>(`/proposals/${sent.id}`, { token: owner.token });
    expect(one.body.freelancer).toEqual(expected);
    const shortlisted = await act(sent.id, 'shortlist', owner);
    expect(shortlisted.body.freelancer).toEqual(expected);
    const mine = await api.get<ProposalPage>('/proposals/mine', { token: star.token });
    expect(mine.body.items.find((p) => p.id === sent.id)?.freelancer).toEqual(expected);
    // Both reviews in a second time: the second job's 1 is public now and counts.
    await review(privateJob, star, 4);
    const later = await api.get<Proposal>(`/proposals/${sent.id}`, { token: owner.token });
    expect(later.body.freelancer.stats).toEqual({ jobsDone: 2, rating: 3, reviewCount: 2 });
  });
});
