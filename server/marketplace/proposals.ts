import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import { problemTypes, type FieldError } from '../../shared/api/problem.ts';
import { defaultScreenshotsPerSlot, type Contract } from '../../shared/marketplace/contracts.ts';
import {
  openProposalStatuses,
  proposalTransitions,
  type AcceptProposalInput,
  type Bid,
  type CreateProposalInput,
  type MilestoneInput,
  type Proposal,
  type ProposalFreelancer,
  type ProposalListQuery,
  type ProposalPage,
  type ProposalStatus,
  type UpdateProposalInput,
} from '../../shared/marketplace/proposals.ts';
import { hourlyRateOf, isUniqueViolation } from '../auth/users.ts';
import { recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import type {
  ContractsTable,
  Database,
  MilestonesTable,
  ProjectsTable,
  ProposalsTable,
} from '../db/schema.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import type { AuthContext, RequestMeta } from '../http/route.ts';
import { partiesOf } from '../sync/collections/contracts.ts';
import type { SyncedWrites } from '../sync/synced-writes.ts';
import { presentContract } from './contracts.ts';
import { afterCursor, cutPage } from './cursor.ts';
import { canSeeProject } from './project-visibility.ts';
import type { ProposalCountPublisher } from './proposal-count.ts';
import { statsOf } from './profiles/profile-facts.ts';
import { systemClock, type Clock } from './reviews/visibility.ts';
import { isBlankHtml, sanitizeDescription } from './sanitize.ts';

type ProposalRow = Selectable<ProposalsTable>;
type ProjectRow = Selectable<ProjectsTable>;

interface PlanItem {
  title: string;
  amountMinor: number;
  dueDate: string | null;
}

const projectNotFound = () =>
  problems.notFound('There is no such project, or it is not visible to you.');
const proposalNotFound = () =>
  problems.notFound('There is no such proposal, or it is not visible to you.');

const conflict = (title: string, detail: string) =>
  new HttpProblem(409, problemTypes.conflict, title, detail);

function invalidTransition(from: ProposalStatus, to: ProposalStatus) {
  const allowed = proposalTransitions[from];
  const detail =
    allowed.length === 0
      ? `A ${from} proposal is final; it cannot become ${to}.`
      : `A ${from} proposal can become ${allowed.join(' or ')}, not ${to}.`;
  return new HttpProblem(409, problemTypes.invalidTransition, 'Status change not allowed', detail, {
    extensions: { from, to, allowed },
  });
}

const auditAction = {
  shortlisted: 'proposal.shortlisted',
  rejected: 'proposal.rejected',
  withdrawn: 'proposal.withdrawn',
} as const;

/**
 * Proposals freelancers send on open projects, and the client's decisions on them. Accepting
 * one creates the project's one contract: the project's status moves open → in_progress by a
 * conditional update, so of any number of concurrent accepts exactly one succeeds. The contract
 * and its milestones are synced documents of both parties, announced once the accept commits.
 */
export class ProposalService {
  private readonly db: Db;
  private readonly writes: SyncedWrites;
  private readonly counts: ProposalCountPublisher;
  private readonly clock: Clock;

  constructor(
    db: Db,
    writes: SyncedWrites,
    counts: ProposalCountPublisher,
    clock: Clock = systemClock,
  ) {
    this.db = db;
    this.writes = writes;
    this.counts = counts;
    this.clock = clock;
  }

  async create(
    auth: AuthContext,
    projectId: string,
    input: CreateProposalInput,
    meta: RequestMeta,
  ): Promise<Proposal> {
    const project = await this.visibleProject(auth, projectId);
    if (project.client_id === auth.userId) {
      throw problems.forbidden('Nobody proposes on their own project.');
    }
    if (auth.role !== 'freelancer') throw problems.forbidden('Only freelancers send proposals.');
    if (project.status !== 'open') {
      throw conflict(
        'Project takes no proposals',
        `A ${project.status.replace('_', ' ')} project takes no proposals; only open ones do.`,
      );
    }
    const coverLetterHtml = cleanCoverLetter(input.coverLetter);
    requireValid(checkBid(project, input.bid, input.milestonePlan));
    const now = new Date().toISOString();
    const row: ProposalsTable = {
      id: randomUUID(),
      project_id: projectId,
      freelancer_id: auth.userId,
      cover_letter_html: coverLetterHtml,
      ...bidColumns(input.bid),
      duration_days: input.durationDays,
      milestone_plan: planColumn(input.milestonePlan),
      status: 'pending',
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.kysely.transaction().execute(async (trx) => {
        await trx.insertInto('proposals').values(row).execute();
        await recordAudit(trx, meta, {
          action: 'proposal.submitted',
          userId: auth.userId,
          sessionId: auth.sessionId,
          details: { proposalId: row.id, projectId },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(
          'Already proposed',
          'You have already sent a proposal on this project; edit that one instead.',
        );
      }
      throw error;
    }
    this.counts.changed(projectId);
    return this.present(row);
  }

  /** The project's client sees every proposal on it; anyone else only their own. */
  async listForProject(
    auth: AuthContext,
    projectId: string,
    query: ProposalListQuery,
  ): Promise<ProposalPage> {
    const project = await this.visibleProject(auth, projectId);
    let select = this.db.kysely
      .selectFrom('proposals')
      .selectAll()
      .where('project_id', '=', projectId);
    if (project.client_id !== auth.userId) select = select.where('freelancer_id', '=', auth.userId);
    return this.page(select, query);
  }

  async listMine(auth: AuthContext, query: ProposalListQuery): Promise<ProposalPage> {
    return this.page(
      this.db.kysely.selectFrom('proposals').selectAll().where('freelancer_id', '=', auth.userId),
      query,
    );
  }

  async get(auth: AuthContext, id: string): Promise<Proposal> {
    return this.present((await this.visibleProposal(auth, id)).proposal);
  }

  async update(
    auth: AuthContext,
    id: string,
    input: UpdateProposalInput,
    meta: RequestMeta,
  ): Promise<Proposal> {
    const { proposal, project } = await this.visibleProposal(auth, id);
    if (proposal.freelancer_id !== auth.userId) {
      throw problems.forbidden('Only the freelancer who sent a proposal may change it.');
    }
    const notEditable = (status: ProposalStatus) =>
      conflict(
        'Proposal can no longer be edited',
        `A ${status} proposal cannot be edited; only pending and shortlisted ones can.`,
      );
    if (!openProposalStatuses.includes(proposal.status)) throw notEditable(proposal.status);
    const coverLetterHtml =
      input.coverLetter !== undefined ? cleanCoverLetter(input.coverLetter) : undefined;
    const bid = input.bid ?? bidOf(proposal);
    const plan = input.milestonePlan !== undefined ? input.milestonePlan : planOf(proposal);
    requireValid(checkBid(project, bid, plan));
    const changes: Partial<ProposalsTable> = {
      ...(coverLetterHtml !== undefined ? { cover_letter_html: coverLetterHtml } : {}),
      ...(input.bid !== undefined ? bidColumns(input.bid) : {}),
      ...(input.durationDays !== undefined ? { duration_days: input.durationDays } : {}),
      ...(input.milestonePlan !== undefined
        ? { milestone_plan: planColumn(input.milestonePlan) }
        : {}),
      updated_at: new Date().toISOString(),
    };
    const updated = await this.db.kysely.transaction().execute(async (trx) => {
      // Guarded by status, so an edit racing the client's decision cannot land after it.
      const result = await trx
        .updateTable('proposals')
        .set(changes)
        .where('id', '=', id)
        .where('status', 'in', [...openProposalStatuses])
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw notEditable(await statusNow(trx, id));
      }
      await recordAudit(trx, meta, {
        action: 'proposal.updated',
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { proposalId: id, fields: Object.keys(input) },
      });
      return trx.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    return this.present(updated);
  }

  /** Withdraw (the freelancer), shortlist or reject (the client): 409 names the allowed moves. */
  async decide(
    auth: AuthContext,
    id: string,
    to: 'withdrawn' | 'shortlisted' | 'rejected',
    meta: RequestMeta,
  ): Promise<Proposal> {
    const { proposal, project } = await this.visibleProposal(auth, id);
    if (to === 'withdrawn' && proposal.freelancer_id !== auth.userId) {
      throw problems.forbidden('Only the freelancer who sent a proposal may withdraw it.');
    }
    if (to !== 'withdrawn' && project.client_id !== auth.userId) {
      throw problems.forbidden('Only the project’s client decides on its proposals.');
    }
    if (!proposalTransitions[proposal.status].includes(to)) {
      throw invalidTransition(proposal.status, to);
    }
    const updated = await this.db.kysely.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('proposals')
        .set({ status: to, updated_at: new Date().toISOString() })
        .where('id', '=', id)
        .where('status', '=', proposal.status)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw invalidTransition(await statusNow(trx, id), to);
      }
      await recordAudit(trx, meta, {
        action: auditAction[to],
        userId: auth.userId,
        sessionId: auth.sessionId,
        details: { proposalId: id, projectId: project.id, from: proposal.status },
      });
      return trx.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
    // Only a withdrawal changes the count: rejected and accepted proposals still count.
    if (to === 'withdrawn') this.counts.changed(project.id);
    return this.present(updated);
  }

  /**
   * The client accepts: in one transaction the project moves open → in_progress (only if it
   * is still open: the race's one winner), the proposal becomes accepted, the contract and
   * its milestones are created, and, when asked, the other live proposals are rejected.
   */
  async accept(
    auth: AuthContext,
    id: string,
    input: AcceptProposalInput,
    meta: RequestMeta,
  ): Promise<Contract> {
    const { proposal, project } = await this.visibleProposal(auth, id);
    if (project.client_id !== auth.userId) {
      throw problems.forbidden('Only the project’s client accepts its proposals.');
    }
    if (!proposalTransitions[proposal.status].includes('accepted')) {
      throw invalidTransition(proposal.status, 'accepted');
    }
    const projectClosed = () =>
      conflict(
        'Project accepts no proposals',
        'Only an open project accepts a proposal; this one is no longer open.',
      );
    if (project.status !== 'open') throw projectClosed();
    const bid = bidOf(proposal);
    if (bid.type !== project.budget_type || proposal.currency !== project.currency) {
      // The project's budget was edited after this bid: the freelancer must update it first.
      throw conflict(
        'Proposal no longer matches the project',
        `The project is now ${project.budget_type} in ${project.currency}; this bid is ${bid.type} in ${proposal.currency}.`,
      );
    }
    const milestones = contractMilestones(project, proposal, bid, input);
    const now = new Date().toISOString();
    const contract: Omit<ContractsTable, 'seq'> = {
      id: randomUUID(),
      project_id: project.id,
      proposal_id: proposal.id,
      client_id: project.client_id,
      freelancer_id: proposal.freelancer_id,
      type: bid.type,
      currency: proposal.currency,
      rate_minor: bid.type === 'hourly' ? bid.rate.amountMinor : null,
      weekly_hour_limit: bid.type === 'hourly' ? (input.weeklyHourLimit ?? null) : null,
      manual_time_allowed: bid.type === 'hourly' && input.manualTimeAllowed === true ? 1 : 0,
      screenshots_per_slot: input.screenshotsPerSlot ?? defaultScreenshotsPerSlot,
      status: 'active',
      created_at: now,
      updated_at: now,
    };
    const milestoneRows: Array<Omit<MilestonesTable, 'seq'>> = milestones.map((m, position) => ({
      id: randomUUID(),
      contract_id: contract.id,
      title: m.title,
      amount_minor: m.amountMinor,
      currency: proposal.currency,
      due_date: m.dueDate,
      position,
      status: 'pending',
      created_at: now,
      updated_at: now,
    }));
    try {
      const created = await this.writes.transaction(async (sync) => {
        const { trx } = sync;
        const opened = await trx
          .updateTable('projects')
          .set({ status: 'in_progress', updated_at: now })
          .where('id', '=', project.id)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (Number(opened.numUpdatedRows) === 0) throw projectClosed();
        const accepted = await trx
          .updateTable('proposals')
          .set({ status: 'accepted', updated_at: now })
          .where('id', '=', id)
          .where('status', 'in', [...openProposalStatuses])
          .executeTakeFirst();
        if (Number(accepted.numUpdatedRows) === 0) {
          throw invalidTransition(await statusNow(trx, id), 'accepted');
        }
        // Both parties' devices pull the new contract and its milestones after the commit.
        const parties = partiesOf(contract);
        await trx
          .insertInto('contracts')
          .values({ ...contract, seq: await sync.stamp('contracts', parties) })
          .execute();
        if (milestoneRows.length > 0) {
          const first = await sync.stamp('milestones', parties, milestoneRows.length);
          await trx
            .insertInto('milestones')
            .values(milestoneRows.map((row, n) => ({ ...row, seq: first + n })))
            .execute();
        }
        let rejected: string[] = [];
        if (input.rejectOthers) {
          const others = await trx
            .updateTable('proposals')
            .set({ status: 'rejected', updated_at: now })
            .where('project_id', '=', project.id)
            .where('id', '!=', id)
            .where('status', 'in', [...openProposalStatuses])
            .returning('id')
            .execute();
          rejected = others.map((other) => other.id);
        }
        const who = { userId: auth.userId, sessionId: auth.sessionId };
        await recordAudit(trx, meta, {
          action: 'proposal.accepted',
          ...who,
          details: { proposalId: id, projectId: project.id, from: proposal.status },
        });
        await recordAudit(trx, meta, {
          action: 'project.status_changed',
          ...who,
          details: { projectId: project.id, from: 'open', to: 'in_progress' },
        });
        await recordAudit(trx, meta, {
          action: 'contract.created',
          ...who,
          details: { contractId: contract.id, projectId: project.id, proposalId: id },
        });
        for (const otherId of rejected) {
          await recordAudit(trx, meta, {
            action: 'proposal.rejected',
            ...who,
            details: { proposalId: otherId, projectId: project.id, because: 'accepted another' },
          });
        }
        return trx
          .selectFrom('contracts')
          .selectAll()
          .where('id', '=', contract.id)
          .executeTakeFirstOrThrow();
      });
      return await presentContract(this.db.kysely, created);
    } catch (error) {
      // The unique project_id/proposal_id columns are the last line: never two contracts.
      if (isUniqueViolation(error)) throw projectClosed();
      throw error;
    }
  }

  private async page(
    base: SelectQueryBuilder<Database, 'proposals', ProposalRow>,
    query: ProposalListQuery,
  ): Promise<ProposalPage> {
    let select = base
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) select = select.where(afterCursor(query.cursor));
    const { rows, nextCursor } = cutPage(await select.execute(), query.limit);
    return { items: await this.presentAll(rows), nextCursor };
  }

  private async present(row: ProposalRow): Promise<Proposal> {
    const [proposal] = await this.presentAll([row]);
    if (!proposal) throw new Error('a proposal vanished while being presented');
    return proposal;
  }

  /**
   * Rows to answers, each with who sent it: three queries a page whatever its size (the
   * freelancers' rows, then their contracts and public ratings, counted as their profiles
   * count them), never one per proposal.
   */
  private async presentAll(rows: ProposalRow[]): Promise<Proposal[]> {
    if (rows.length === 0) return [];
    const users = await this.db.kysely
      .selectFrom('users')
      .select(['id', 'name', 'headline', 'hourly_rate_minor', 'hourly_rate_currency', 'created_at'])
      .where('id', 'in', [...new Set(rows.map((row) => row.freelancer_id))])
      .execute();
    const stats = await statsOf(this.db, users, this.clock());
    const freelancers = new Map<string, ProposalFreelancer>();
    for (const user of users) {
      const counted = stats.get(user.id);
      if (!counted) continue;
      freelancers.set(user.id, {
        id: user.id,
        name: user.name,
        headline: user.headline,
        hourlyRate: hourlyRateOf(user),
        stats: {
          jobsDone: counted.jobsDone,
          rating: counted.rating,
          reviewCount: counted.reviewCount,
        },
      });
    }
    return rows.map((row) => {
      // The freelancer is a foreign key without cascade: a proposal's sender always exists.
      const freelancer = freelancers.get(row.freelancer_id);
      if (!freelancer) throw new Error('a proposal lost its freelancer while being presented');
      return presentRow(row, freelancer);
    });
  }

  private async visibleProject(auth: AuthContext, id: string): Promise<ProjectRow> {
    const row = await this.db.kysely
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !canSeeProject(auth, row)) throw projectNotFound();
    return row;
  }

  /** A proposal is visible to the freelancer who sent it and the project's client only. */
  private async visibleProposal(
    auth: AuthContext,
    id: string,
  ): Promise<{ proposal: ProposalRow; project: ProjectRow }> {
    const proposal = await this.db.kysely
      .selectFrom('proposals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!proposal) throw proposalNotFound();
    const project = await this.db.kysely
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', proposal.project_id)
      .executeTakeFirstOrThrow();
    if (proposal.freelancer_id !== auth.userId && project.client_id !== auth.userId) {
      throw proposalNotFound();
    }
    return { proposal, project };
  }
}

function cleanCoverLetter(text: string): string {
  const html = sanitizeDescription(text);
  if (isBlankHtml(html)) {
    throw problems.validation([{ pointer: '/coverLetter', detail: 'must contain some text' }]);
  }
  return html;
}

function requireValid(errors: FieldError[]): void {
  if (errors.length > 0) throw problems.validation(errors);
}

/** A bid must be of the project's budget type and currency; a plan must sum to a fixed bid. */
function checkBid(project: ProjectRow, bid: Bid, plan: MilestoneInput[] | PlanItem[] | null) {
  const errors: FieldError[] = [];
  if (bid.type !== project.budget_type) {
    errors.push({
      pointer: '/bid/type',
      detail: `must be ${project.budget_type}, as the project's budget is`,
    });
    return errors;
  }
  const money = bid.type === 'fixed' ? bid.amount : bid.rate;
  const field = bid.type === 'fixed' ? 'amount' : 'rate';
  if (money.currency !== project.currency) {
    errors.push({
      pointer: `/bid/${field}/currency`,
      detail: `must be ${project.currency}, the project's currency`,
    });
  }
  if (plan === null) return errors;
  if (bid.type === 'hourly') {
    errors.push({ pointer: '/milestonePlan', detail: 'is for fixed-price bids only' });
    return errors;
  }
  errors.push(...checkMilestones('/milestonePlan', plan, project.currency, bid.amount.amountMinor));
  return errors;
}

function checkMilestones(
  pointer: string,
  items: MilestoneInput[] | PlanItem[],
  currency: string,
  totalMinor: number,
): FieldError[] {
  const errors: FieldError[] = [];
  items.forEach((item, n) => {
    if ('amount' in item && item.amount.currency !== currency) {
      errors.push({
        pointer: `${pointer}/${n}/amount/currency`,
        detail: `must be ${currency}, the project's currency`,
      });
    }
  });
  const sum = items.reduce(
    (total, item) => total + ('amount' in item ? item.amount.amountMinor : item.amountMinor),
    0,
  );
  if (errors.length === 0 && sum !== totalMinor) {
    errors.push({
      pointer,
      detail: `must sum to the bid of ${totalMinor} minor units, not ${sum}`,
    });
  }
  return errors;
}

/** The milestones a fixed contract starts with; none for an hourly one. */
function contractMilestones(
  project: ProjectRow,
  proposal: ProposalRow,
  bid: Bid,
  input: AcceptProposalInput,
): PlanItem[] {
  const errors: FieldError[] = [];
  if (bid.type === 'hourly') {
    if (input.milestones !== undefined) {
      errors.push({ pointer: '/milestones', detail: 'is for fixed-price contracts only' });
    }
    requireValid(errors);
    return [];
  }
  if (input.weeklyHourLimit !== undefined) {
    errors.push({ pointer: '/weeklyHourLimit', detail: 'is for hourly contracts only' });
  }
  if (input.manualTimeAllowed !== undefined) {
    errors.push({ pointer: '/manualTimeAllowed', detail: 'is for hourly contracts only' });
  }
  if (input.milestones !== undefined) {
    errors.push(
      ...checkMilestones('/milestones', input.milestones, project.currency, bid.amount.amountMinor),
    );
  }
  requireValid(errors);
  if (input.milestones !== undefined) {
    return input.milestones.map((m) => ({
      title: m.title,
      amountMinor: m.amount.amountMinor,
      dueDate: m.dueDate,
    }));
  }
  return (
    planOf(proposal) ?? [
      { title: project.title, amountMinor: bid.amount.amountMinor, dueDate: null },
    ]
  );
}

function bidColumns(bid: Bid) {
  return bid.type === 'fixed'
    ? {
        bid_type: 'fixed' as const,
        amount_minor: bid.amount.amountMinor,
        rate_minor: null,
        currency: bid.amount.currency,
      }
    : {
        bid_type: 'hourly' as const,
        amount_minor: null,
        rate_minor: bid.rate.amountMinor,
        currency: bid.rate.currency,
      };
}

function bidOf(row: ProposalRow): Bid {
  return row.bid_type === 'fixed'
    ? { type: 'fixed', amount: { amountMinor: row.amount_minor ?? 0, currency: row.currency } }
    : { type: 'hourly', rate: { amountMinor: row.rate_minor ?? 0, currency: row.currency } };
}

function planColumn(plan: MilestoneInput[] | null): string | null {
  if (plan === null) return null;
  const items: PlanItem[] = plan.map((m) => ({
    title: m.title,
    amountMinor: m.amount.amountMinor,
    dueDate: m.dueDate,
  }));
  return JSON.stringify(items);
}

function planOf(row: ProposalRow): PlanItem[] | null {
  return row.milestone_plan === null ? null : (JSON.parse(row.milestone_plan) as PlanItem[]);
}

function presentRow(row: ProposalRow, freelancer: ProposalFreelancer): Proposal {
  const plan = planOf(row);
  return {
    id: row.id,
    projectId: row.project_id,
    freelancer,
    coverLetterHtml: row.cover_letter_html,
    bid: bidOf(row),
    durationDays: row.duration_days,
    milestonePlan:
      plan?.map((m) => ({
        title: m.title,
        amount: { amountMinor: m.amountMinor, currency: row.currency },
        dueDate: m.dueDate,
      })) ?? null,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A proposal's status as this transaction sees it: what a lost guarded update ran into. */
async function statusNow(trx: Kysely<Database>, id: string): Promise<ProposalStatus> {
  const row = await trx
    .selectFrom('proposals')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}
