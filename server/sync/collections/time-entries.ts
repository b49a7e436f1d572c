import type { Selectable } from 'kysely';
import type { TimeSegment, WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { TimeEntriesTable } from '../../db/schema.ts';
import {
  entryContentProblems,
  inactiveTimeProblems,
  rateProblems,
  type Problem,
} from '../../time/entry-rules.ts';
import { inactivePeriods, timeContract } from '../../time/time-contract.ts';
import { contractTimeReads } from '../../time/contract-time-reads.ts';
import { isWeekApproved, weekOfDay } from '../../time/week-status.ts';
import {
  allowed,
  denied,
  flag,
  refuseDeviceWrite,
  unchangedFields,
  type SyncSpec,
  upsertDocumentRow,
} from '../spec.ts';

type TimeEntry = WireDocument<'timeEntries'>;

function fromRow(row: Selectable<TimeEntriesTable>): TimeEntry {
  const money = (amountMinor: number | null) =>
    amountMinor === null ? null : { amountMinor, currency: row.currency };
  return {
    id: row.id,
    updatedAt: row.updated_at,
    contractId: row.contract_id,
    freelancerId: row.freelancer_id,
    kind: row.kind,
    day: row.day,
    segments: JSON.parse(row.segments) as TimeSegment[],
    manual:
      row.manual_from !== null && row.manual_to !== null
        ? { from: row.manual_from, to: row.manual_to }
        : null,
    memo: row.memo,
    billable: row.billable === 1,
    billedMs: row.billed_ms,
    rate: money(row.rate_minor),
    amount: money(row.amount_minor),
    status: row.status,
    createdAt: row.created_at,
    _deleted: row.deleted === 1,
  };
}

/** What identifies an entry and what it was recorded at: fixed once the server has it. */
const immutable = ['contractId', 'freelancerId', 'kind', 'day', 'rate', 'createdAt'] as const;

const approvedWeek = (week: string) =>
  `is in the week of ${week}, which the client approved: its time can no longer change`;

/**
 * Time entries: written by the contract's freelancer, pulled read-only by its client. The
 * status is the server's, following the client's reviews (server/time/week-status.ts); an
 * approved week's time is final.
 */
export const timeEntriesSpec: SyncSpec<'timeEntries'> = {
  ...contractTimeReads('timeEntries', fromRow),
  async authorize(db, user, incoming, existing) {
    const problems: Problem[] = [];
    const contract = await timeContract(db, (existing ?? incoming).contractId);
    if (existing) {
      if (existing.freelancerId !== user.userId) {
        return refuseDeviceWrite(incoming, existing, sameDocument, {
          create: '',
          change:
            'only the freelancer changes their time; the client approves or disputes it with a time review',
        });
      }
      problems.push(...unchangedFields(incoming, existing, immutable, sameDocument));
      if (incoming.status !== existing.status) {
        problems.push(['/status', 'is set by the server from the client’s reviews']);
      }
      if (problems.length > 0) return denied(...problems);
      const week = weekOfDay(existing.day);
      if (await isWeekApproved(db, existing.contractId, week)) {
        return refuseDeviceWrite(incoming, existing, sameDocument, {
          create: '',
          change: approvedWeek(week),
        });
      }
    } else {
      if (incoming.freelancerId !== user.userId) {
        problems.push(['/freelancerId', 'must be you: time is recorded by who worked it']);
      }
      if (contract?.freelancer_id !== user.userId) {
        problems.push(['/contractId', 'is not a contract you work on as its freelancer']);
      }
      if (problems.length > 0) return denied(...problems);
      if (incoming.status !== 'pending') {
        problems.push(['/status', 'must be pending: the server sets it from the client’s reviews']);
      }
      const week = weekOfDay(incoming.day);
      if (await isWeekApproved(db, incoming.contractId, week)) {
        problems.push(['/day', approvedWeek(week)]);
      }
    }
    if (!contract) return denied(['/contractId', 'is not a contract']);
    if (!existing) problems.push(...rateProblems(incoming, contract));
    // A tombstone bills nothing: only who may delete it, and when, matters (checked above).
    if (!incoming._deleted) problems.push(...entryContentProblems(incoming, contract, Date.now()));
    problems.push(
      ...inactiveTimeProblems(incoming, existing, await inactivePeriods(db, contract.id)),
    );
    return problems.length ? denied(...problems) : allowed;
  },
  async write({ trx }, document, _existing, seq) {
    const contract = await timeContract(trx, document.contractId);
    if (!contract) throw new Error(`time entry ${document.id} names no contract`);
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      contract_id: document.contractId,
      freelancer_id: document.freelancerId,
      kind: document.kind,
      day: document.day,
      week: weekOfDay(document.day),
      segments: JSON.stringify(document.segments),
      manual_from: document.manual?.from ?? null,
      manual_to: document.manual?.to ?? null,
      memo: document.memo,
      billable: flag(document.billable),
      billed_ms: document.billedMs,
      // Rate and amount are checked to be in the contract's currency (or absent).
      currency: contract.currency,
      rate_minor: document.rate?.amountMinor ?? null,
      amount_minor: document.amount?.amountMinor ?? null,
      status: document.status,
      created_at: document.createdAt,
    };
    await upsertDocumentRow(trx, 'time_entries', row);
  },
};
