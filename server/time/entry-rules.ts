import type { TimeSegment, WireDocument } from '../../shared/sync/documents.ts';
import { amountFor, billedOfSegments } from '../../shared/time/amounts.ts';
import { dayMs, minuteMs, slotMs, utcDay } from '../../shared/time/slots.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import { sameDocument } from '../../shared/sync/merge.ts';
import type { Money } from '../../shared/money/money.ts';
import { contractRate, type InactivePeriod, type TimeContract } from './time-contract.ts';

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
 * Time counts only while its contract is active. What a push adds (a new slot, more billed time
 * in a slot, a slot no longer removed, a new or moved manual stretch, a deleted entry brought
 * back) must lie outside every stretch in which the contract was paused or ended: time tracked
 * offline before the client paused or ended it lands whenever the device syncs, time tracked
 * inside a stretch never does, even once the contract is active again. The edges of a stretch
 * give the device's clock the same tolerance as the rest of these rules. Deleting time, taking
 * time away and editing memos stay possible at any time.
 */
export function inactiveTimeProblems(
  incoming: TimeEntry,
  existing: TimeEntry | null,
  periods: readonly InactivePeriod[],
): Problem[] {
  if (incoming._deleted || periods.length === 0) return [];
  // A deleted entry brought back adds all its time again, as a new one does.
  const before = existing && !existing._deleted ? existing : null;
  const problems: Problem[] = [];
  const counted = (segment: TimeSegment) => (segment.removed ? 0 : segment.billedMs);
  const billedBefore = new Map(
    (before?.segments ?? []).map((segment) => [Date.parse(segment.start), counted(segment)]),
  );
  incoming.segments.forEach((segment, index) => {
    const start = Date.parse(segment.start);
    if (counted(segment) <= (billedBefore.get(start) ?? 0)) return;
    const inside = inactiveDetail(periods, start, start + slotMs, 'this slot');
    if (inside) problems.push([`/segments/${index}`, inside]);
  });
  if (incoming.manual && !(before && sameDocument(incoming.manual, before.manual))) {
    const { from, to } = incoming.manual;
    const inside = inactiveDetail(periods, Date.parse(from), Date.parse(to), 'this stretch');
    if (inside) problems.push(['/manual', inside]);
  }
  return problems;
}

/**
 * Why time from `start` to `end` cannot count, naming the first inactive stretch it reaches
 * into by more than the clock skew; null when it lies outside them all.
 */
export function inactiveDetail(
  periods: readonly InactivePeriod[],
  start: number,
  end: number,
  what: string,
): string | null {
  const period = periods.find(
    (p) => end > p.from + clockSkewMs && (p.to === null || start < p.to - clockSkewMs),
  );
  if (!period) return null;
  const from = new Date(period.from).toISOString();
  const where =
    period.to === null
      ? `runs past ${from}, when the contract was ${period.kind}`
      : // Only a pause is ever resumed: a closed stretch was a pause.
        `falls between ${from} and ${new Date(period.to).toISOString()}, while the contract was paused`;
  return `${what} ${where}: time is recorded only while a contract is active`;
}
