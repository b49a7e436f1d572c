import type { WireDocument } from '../../shared/sync/documents.ts';
import { amountFor, billedOfSegments } from '../../shared/time/amounts.ts';
import { dayMs, minuteMs, slotMs, utcDay } from '../../shared/time/slots.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import { sameDocument } from '../../shared/sync/merge.ts';
import type { Money } from '../../shared/money/money.ts';
import { contractRate, type TimeContract } from './time-contract.ts';

type TimeEntry = WireDocument<'timeEntries'>;
export type Problem = [pointer: string, detail: string];

/**
 * How far a device's clock may run ahead of the server's before its time counts as "in the
 * future", and behind it before a contract's first slot counts as "before it started".
 */
export const clockSkewMs = 5 * minuteMs;

const formatMoney = (money: Money) => `${money.amountMinor} ${money.currency} minor units`;

/**
 * What a time entry must say for its numbers to be true: its slots or manual stretch well
 * formed and inside its day and the contract's life, its billed time their sum, its amount that
 * time at its rate. `now` is the server's clock. Pointers are into the document.
 */
export function entryContentProblems(
  entry: TimeEntry,
  contract: TimeContract,
  now: number,
): Problem[] {
  const problems: Problem[] = [];
  const earliest = Date.parse(contract.created_at) - clockSkewMs;
  let billed: { ms: number; what: string } | null = null;

  if (entry.kind === 'tracked') {
    if (entry.manual !== null) problems.push(['/manual', 'must be null on tracked time']);
    if (entry.id !== trackedEntryId(entry.contractId, entry.freelancerId, entry.day)) {
      problems.push([
        '/id',
        'must be trackedEntryId(contractId, freelancerId, day): one tracked entry per contract and UTC day',
      ]);
    }
    problems.push(...segmentProblems(entry, earliest, now));
    billed = { ms: billedOfSegments(entry.segments), what: 'the sum of its kept slots' };
  } else {
    if (contract.manual_time_allowed !== 1) {
      problems.push(['/kind', 'this contract does not allow manual time']);
    }
    if (entry.segments.length > 0) problems.push(['/segments', 'must be empty on manual time']);
    if (entry.manual === null) {
      problems.push(['/manual', 'manual time needs its from and to']);
    } else {
      problems.push(...manualProblems(entry.manual, entry.day, earliest, now));
      const ms = Date.parse(entry.manual.to) - Date.parse(entry.manual.from);
      if (ms > 0) billed = { ms, what: 'to − from' };
    }
  }
  if (billed && entry.billedMs !== billed.ms) {
    problems.push(['/billedMs', `must be ${billed.ms}: ${billed.what}`]);
  }

  const expected = entry.billable && entry.rate ? amountFor(entry.billedMs, entry.rate) : null;
  if (!sameDocument(entry.amount, expected)) {
    problems.push([
      '/amount',
      expected
        ? `must be ${formatMoney(expected)}: billedMs at the rate, rounded once`
        : entry.rate
          ? 'must be null: the time is not billable'
          : 'must be null: time without a rate (a fixed-price contract) has no amount',
    ]);
  }
  return problems;
}

/** The rate a new entry must carry: the contract's, or none on a fixed-price contract. */
export function rateProblems(entry: TimeEntry, contract: TimeContract): Problem[] {
  const rate = contractRate(contract);
  if (sameDocument(entry.rate, rate)) return [];
  return [
    [
      '/rate',
      rate
        ? `must be the contract’s rate, ${formatMoney(rate)} an hour`
        : 'must be null: a fixed-price contract has no hourly rate',
    ],
  ];
}

function segmentProblems(entry: TimeEntry, earliest: number, now: number): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<number>();
  entry.segments.forEach((segment, index) => {
    const at = `/segments/${index}`;
    const start = Date.parse(segment.start);
    if (start % slotMs !== 0) {
      problems.push([`${at}/start`, 'must start a 10-minute slot (UTC)']);
    } else if (utcDay(start) !== entry.day) {
      problems.push([`${at}/start`, `must lie in the entry’s UTC day, ${entry.day}`]);
    } else if (seen.has(start)) {
      problems.push([`${at}/start`, 'repeats a slot: each slot appears once']);
    } else if (start > now + clockSkewMs) {
      problems.push([`${at}/start`, 'is in the future']);
    } else if (start + slotMs <= earliest) {
      problems.push([`${at}/start`, 'is before the contract started']);
    }
    seen.add(start);
    if (segment.activeMinutes !== null && segment.activeMinutes > segment.trackedMinutes) {
      problems.push([`${at}/activeMinutes`, 'cannot exceed trackedMinutes']);
    }
  });
  return problems;
}

function manualProblems(
  manual: { from: string; to: string },
  day: string,
  earliest: number,
  now: number,
): Problem[] {
  const problems: Problem[] = [];
  const from = Date.parse(manual.from);
  const to = Date.parse(manual.to);
  if (utcDay(from) !== day) {
    problems.push(['/day', `must be the UTC day manual.from falls on, ${utcDay(from)}`]);
  }
  if (from < earliest) problems.push(['/manual/from', 'is before the contract started']);
  if (to <= from) problems.push(['/manual/to', 'must be after from']);
  else if (to - from > dayMs) problems.push(['/manual/to', 'must be at most 24 hours after from']);
  if (to > now + clockSkewMs) problems.push(['/manual/to', 'is in the future']);
  return problems;
}

/**
 * A paused or ended contract takes no new time: not a new entry, not a slot more, not more
 * billed time, not a manual stretch moved elsewhere, not a deleted entry brought back.
 * Deleting time and editing memos stay possible.
 */
export function addedTimeProblems(
  incoming: TimeEntry,
  existing: TimeEntry | null,
  status: 'paused' | 'ended',
): Problem[] {
  if (incoming._deleted) return [];
  const detail = `adds time to a ${status} contract; time is recorded only while it is active`;
  if (!existing) return [['/contractId', `is ${status}: it takes no new time entries`]];
  if (existing._deleted) return [['/_deleted', detail]];
  const problems: Problem[] = [];
  const before = new Set(existing.segments.map((s) => Date.parse(s.start)));
  incoming.segments.forEach((segment, index) => {
    if (!before.has(Date.parse(segment.start))) problems.push([`/segments/${index}`, detail]);
  });
  if (incoming.billedMs > existing.billedMs) problems.push(['/billedMs', detail]);
  if (!sameDocument(incoming.manual, existing.manual)) problems.push(['/manual', detail]);
  return problems;
}
