import {
  acceptProposalInputSchema,
  type AcceptProposalInput,
  type Proposal,
} from '../../../shared/marketplace/proposals.ts';
import type { Project } from '../../../shared/marketplace/projects.ts';
import type { FieldFor } from './form-problems.ts';
import { schemaErrors } from './form-problems.ts';
import {
  buildMilestones,
  milestoneFieldFor,
  milestoneRowsOf,
  newMilestoneRow,
  type MilestoneRow,
} from './milestone-plan.ts';
import { amountText } from './money-fields.ts';

/** The contract's terms as the accept dialog edits them. */
export type AcceptValues = {
  rejectOthers: boolean;
  /** Fixed: the contract's milestones. */
  milestones: MilestoneRow[];
  /** Hourly: at most this many hours a week; empty for no limit. */
  weeklyHourLimit: string;
  /** Hourly: whether time may be logged by hand. */
  manualTimeAllowed: boolean;
};

/** Starts from the freelancer's plan, or one milestone of the whole bid named after the project. */
export function acceptValuesOf(project: Project, proposal: Proposal): AcceptValues {
  const milestones =
    proposal.bid.type === 'fixed'
      ? proposal.milestonePlan
        ? milestoneRowsOf(proposal.milestonePlan)
        : [
            newMilestoneRow(
              project.title.slice(0, 200),
              amountText(proposal.bid.amount.amountMinor, proposal.bid.amount.currency),
            ),
          ]
      : [];
  return { rejectOthers: true, milestones, weeklyHourLimit: '', manualTimeAllowed: false };
}

export const acceptFieldFor: FieldFor = ([first, ...rest]) => {
  if (first === 'milestones') return milestoneFieldFor(rest);
  return first === 'weeklyHourLimit' || first === 'manualTimeAllowed' || first === 'rejectOthers'
    ? first
    : undefined;
};

type Built =
  { ok: true; input: AcceptProposalInput } | { ok: false; errors: Record<string, string> };

export function buildAcceptInput(values: AcceptValues, proposal: Proposal): Built {
  if (proposal.bid.type === 'fixed') {
    const plan = buildMilestones(values.milestones, proposal.bid.amount.currency);
    if (!plan.ok) return plan;
    return { ok: true, input: { rejectOthers: values.rejectOthers, milestones: plan.plan } };
  }
  const limit = values.weeklyHourLimit.trim();
  if (limit !== '' && !/^\d+$/.test(limit)) {
    return { ok: false, errors: { weeklyHourLimit: 'Enter whole hours, such as 20' } };
  }
  return {
    ok: true,
    input: {
      rejectOthers: values.rejectOthers,
      weeklyHourLimit: limit === '' ? null : Number(limit),
      manualTimeAllowed: values.manualTimeAllowed,
    },
  };
}

export function validateAccept(values: AcceptValues, proposal: Proposal): Record<string, string> {
  const built = buildAcceptInput(values, proposal);
  if (!built.ok) return built.errors;
  const currency =
    proposal.bid.type === 'fixed' ? proposal.bid.amount.currency : proposal.bid.rate.currency;
  return schemaErrors(acceptProposalInputSchema, built.input, acceptFieldFor, currency);
}
