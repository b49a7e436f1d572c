import type { Money } from '../../../shared/money/money.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import type { Project, ProjectStatus } from '../../../shared/marketplace/projects.ts';
import type { Proposal, ProposalStatus } from '../../../shared/marketplace/proposals.ts';

/** Words and colours for the statuses the marketplace shows. */

export const projectStatusLabels: Record<ProjectStatus, string> = {
  draft: 'Draft',
  open: 'Open',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const projectStatusColors: Record<ProjectStatus, string> = {
  draft: 'gray',
  open: 'teal',
  in_progress: 'blue',
  completed: 'grape',
  cancelled: 'red',
};

/** What the button moving a project to a status says. */
export const projectStatusActions: Record<ProjectStatus, string> = {
  draft: 'Back to draft',
  open: 'Publish',
  in_progress: 'Mark in progress',
  completed: 'Mark completed',
  cancelled: 'Cancel project',
};

export const proposalStatusLabels: Record<ProposalStatus, string> = {
  pending: 'Pending',
  shortlisted: 'Shortlisted',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  accepted: 'Accepted',
};

export const proposalStatusColors: Record<ProposalStatus, string> = {
  pending: 'yellow',
  shortlisted: 'blue',
  rejected: 'red',
  withdrawn: 'gray',
  accepted: 'teal',
};

/** "€1,000.00 – €2,500.00" (or one figure when both ends agree), per hour when hourly. */
export function budgetText(budget: Project['budget']): string {
  const range =
    budget.min.amountMinor === budget.max.amountMinor
      ? formatMoney(budget.min)
      : `${formatMoney(budget.min)} – ${formatMoney(budget.max)}`;
  return budget.type === 'hourly' ? `${range} per hour` : range;
}

export const budgetTypeLabel = (type: 'fixed' | 'hourly') =>
  type === 'fixed' ? 'Fixed price' : 'Hourly';

export function bidText(bid: Proposal['bid']): string {
  return bid.type === 'fixed' ? formatMoney(bid.amount) : `${formatMoney(bid.rate)} per hour`;
}

export function bidMoney(bid: Proposal['bid']): Money {
  return bid.type === 'fixed' ? bid.amount : bid.rate;
}

export function durationText(days: number): string {
  if (days % 7 === 0 && days >= 14) return `${days / 7} weeks`;
  return days === 1 ? '1 day' : `${days} days`;
}

export function countText(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
