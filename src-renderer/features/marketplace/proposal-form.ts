import {
  createProposalInputSchema,
  type CreateProposalInput,
  type Proposal,
} from '../../../shared/marketplace/proposals.ts';
import type { FieldFor } from './form-problems.ts';
import { schemaErrors } from './form-problems.ts';
import {
  buildMilestones,
  milestoneFieldFor,
  milestoneRowsOf,
  newMilestoneRow,
  type MilestoneRow,
} from './milestone-plan.ts';
import { amountText, parseAmount } from './money-fields.ts';
import { htmlToPlainText } from './plain-text.ts';

/** A proposal as the form edits it. The bid's type and currency are the project's. */
export type ProposalValues = {
  coverLetter: string;
  /** The fixed amount, or the hourly rate. */
  amount: string;
  durationDays: string;
  withPlan: boolean;
  milestones: MilestoneRow[];
};

export type BidTerms = { type: 'fixed' | 'hourly'; currency: string };

export const emptyProposal = (): ProposalValues => ({
  coverLetter: '',
  amount: '',
  durationDays: '',
  withPlan: false,
  milestones: [newMilestoneRow()],
});

export function proposalValuesOf(proposal: Proposal): ProposalValues {
  const money = proposal.bid.type === 'fixed' ? proposal.bid.amount : proposal.bid.rate;
  return {
    coverLetter: htmlToPlainText(proposal.coverLetterHtml),
    amount: amountText(money.amountMinor, money.currency),
    durationDays: String(proposal.durationDays),
    withPlan: proposal.milestonePlan !== null,
    milestones: proposal.milestonePlan
      ? milestoneRowsOf(proposal.milestonePlan)
      : [newMilestoneRow()],
  };
}

/** A request body's path → the field showing it. */
export const proposalFieldFor: FieldFor = ([first, ...rest]) => {
  if (first === 'bid') return 'amount';
  if (first === 'milestonePlan') return milestoneFieldFor(rest);
  return first === 'coverLetter' || first === 'durationDays' ? first : undefined;
};

type Built =
  { ok: true; input: CreateProposalInput } | { ok: false; errors: Record<string, string> };

export function buildProposalInput(values: ProposalValues, terms: BidTerms): Built {
  const errors: Record<string, string> = {};
  const amount = parseAmount(values.amount, terms.currency);
  if (!amount.ok) errors.amount = amount.error;
  else if (amount.amountMinor === null) {
    errors.amount = terms.type === 'fixed' ? 'Enter your price' : 'Enter your hourly rate';
  }
  const days = values.durationDays.trim();
  if (!/^\d+$/.test(days)) errors.durationDays = 'Enter a number of days, such as 14';
  const usePlan = terms.type === 'fixed' && values.withPlan;
  const plan = usePlan ? buildMilestones(values.milestones, terms.currency) : null;
  if (plan && !plan.ok) Object.assign(errors, plan.errors);
  if (!amount.ok || amount.amountMinor === null || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  const money = { amountMinor: amount.amountMinor, currency: terms.currency };
  return {
    ok: true,
    input: {
      coverLetter: values.coverLetter,
      bid:
        terms.type === 'fixed' ? { type: 'fixed', amount: money } : { type: 'hourly', rate: money },
      durationDays: Number(days),
      milestonePlan: plan?.ok ? plan.plan : null,
    },
  };
}

/** The shared schema's checks on what can be built; amounts that do not parse say so. */
export function validateProposal(values: ProposalValues, terms: BidTerms): Record<string, string> {
  const built = buildProposalInput(values, terms);
  if (!built.ok) {
    // Check what did parse too, so every problem shows at once.
    const probe = buildProposalInput(
      {
        ...values,
        amount: built.errors.amount ? '1' : values.amount,
        durationDays: built.errors.durationDays ? '1' : values.durationDays,
        withPlan: false,
      },
      terms,
    );
    const rest = probe.ok
      ? schemaErrors(createProposalInputSchema, probe.input, proposalFieldFor, terms.currency)
      : {};
    return { ...rest, ...built.errors };
  }
  return schemaErrors(createProposalInputSchema, built.input, proposalFieldFor, terms.currency);
}
