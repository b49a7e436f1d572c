import {
  contractStatuses,
  contractTransitions,
  type ContractStatus,
  type MilestoneStatus,
} from '../../../shared/marketplace/contracts.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import type {
  ContractDocument,
  MilestoneDocument,
  Participant,
} from '../../../shared/sync/documents.ts';

/** Pure rules of the Contracts screens: who I am in a contract, what I may do, how it reads. */

export type Party = 'client' | 'freelancer';

export function myParty(contract: ContractDocument, me: string): Party {
  return contract.client.id === me ? 'client' : 'freelancer';
}

/** The other side of the contract, and what they are to me. */
export function counterpart(
  contract: ContractDocument,
  me: string,
): { person: Participant; party: Party } {
  return myParty(contract, me) === 'client'
    ? { person: contract.freelancer, party: 'freelancer' }
    : { person: contract.client, party: 'client' };
}

export const partyLabels: Record<Party, string> = { client: 'Client', freelancer: 'Freelancer' };

export const contractStatusLabels: Record<ContractStatus, string> = {
  active: 'Active',
  paused: 'Paused',
  ended: 'Ended',
};

export const contractStatusColors: Record<ContractStatus, string> = {
  active: 'teal',
  paused: 'yellow',
  ended: 'gray',
};

export const milestoneStatusLabels: Record<MilestoneStatus, string> = {
  pending: 'Pending',
  funded: 'Funded',
  submitted: 'Submitted',
  approved: 'Approved',
  released: 'Released',
  disputed: 'Disputed',
};

export const milestoneStatusColors: Record<MilestoneStatus, string> = {
  pending: 'gray',
  funded: 'blue',
  submitted: 'indigo',
  approved: 'teal',
  released: 'green',
  disputed: 'red',
};

export const contractTypeLabels = { fixed: 'Fixed price', hourly: 'Hourly' } as const;

/** "€45.00 per hour" for hourly contracts, the milestones' total for fixed ones. */
export function priceText(contract: ContractDocument): string {
  if (contract.type === 'hourly') {
    return contract.rate ? `${formatMoney(contract.rate)} per hour` : 'No rate';
  }
  return contract.total ? formatMoney(contract.total) : 'No total';
}

export interface ContractAction {
  to: ContractStatus;
  label: string;
  /** Moves that cannot be undone are asked about first. */
  confirm: { title: string; question: string; confirmLabel: string } | null;
}

/**
 * The status moves I may make from here, as the server enforces them: the lifecycle's allowed
 * moves, of which only the client pauses or resumes, and either party ends.
 */
export function contractActions(contract: ContractDocument, me: string): ContractAction[] {
  const party = myParty(contract, me);
  const other = counterpart(contract, me).person.name;
  return contractTransitions[contract.status]
    .filter((to) => to === 'ended' || party === 'client')
    .map((to): ContractAction => {
      if (to === 'ended') {
        return {
          to,
          label: 'End contract',
          confirm: {
            title: 'End this contract?',
            question: `“${contract.projectTitle}” with ${other} ends for both of you. An ended contract cannot be resumed.`,
            confirmLabel: 'End contract',
          },
        };
      }
      return { to, label: to === 'paused' ? 'Pause' : 'Resume', confirm: null };
    });
}

/** What a status move's success says. */
export const movedMessages: Record<ContractStatus, string> = {
  active: 'Contract resumed.',
  paused: 'Contract paused: no work is expected until it is resumed.',
  ended: 'Contract ended.',
};

/** Contracts in the order the list shows their groups: active, paused, ended. */
export function groupByStatus(
  contracts: readonly ContractDocument[],
): Array<{ status: ContractStatus; contracts: ContractDocument[] }> {
  return contractStatuses
    .map((status) => ({ status, contracts: contracts.filter((c) => c.status === status) }))
    .filter((group) => group.contracts.length > 0);
}

export function countByStatus(
  contracts: readonly ContractDocument[],
): Record<ContractStatus, number> {
  const counts: Record<ContractStatus, number> = { active: 0, paused: 0, ended: 0 };
  for (const contract of contracts) counts[contract.status] += 1;
  return counts;
}

/** Milestones' money by where it stands: everything, and what has been released. */
export function milestoneTotals(milestones: readonly MilestoneDocument[]) {
  const currency = milestones[0]?.amount.currency;
  if (!currency) return null;
  const sum = (items: readonly MilestoneDocument[]) =>
    items.reduce((total, m) => total + m.amount.amountMinor, 0);
  return {
    total: { amountMinor: sum(milestones), currency },
    released: {
      amountMinor: sum(milestones.filter((m) => m.status === 'released')),
      currency,
    },
  };
}

// A due date is a calendar date: formatted in UTC so no time zone moves it a day.
const dueDateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDueDate(date: string | null): string {
  return date === null ? 'No due date' : dueDateFormat.format(new Date(`${date}T00:00:00Z`));
}
