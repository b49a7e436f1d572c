import { v5 as uuidV5 } from 'uuid';

/**
 * Ids that every device derives alike, so the same fact written twice (a restart handing the
 * journal over again, two devices of one freelancer) lands on one document instead of two.
 * UUID v5 (SHA-1 over a fixed namespace): valid for every `z.uuid()` and stable forever.
 */
const namespace = '6f0e7c1e-3b0a-4f0e-9a55-7d3c1b2a9e40';

/** The tracked time entry of one freelancer's contract on one UTC day. */
export function trackedEntryId(contractId: string, freelancerId: string, day: string): string {
  return uuidV5(`time-entry:${contractId}:${freelancerId}:${day}`, namespace);
}

/** One freelancer's work log of a contract and UTC day. */
export function workLogId(contractId: string, freelancerId: string, day: string): string {
  return uuidV5(`work-log:${contractId}:${freelancerId}:${day}`, namespace);
}

/** The one approval of a contract's week. */
export function weekApprovalId(contractId: string, week: string): string {
  return uuidV5(`week-approval:${contractId}:${week}`, namespace);
}
