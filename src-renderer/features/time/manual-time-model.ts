import { format, isValid, parse } from 'date-fns';
import { v4 as uuidV4 } from 'uuid';
import type { ContractDocument, TimeEntryDocument } from '../../../shared/sync/documents.ts';
import { slotMs, utcDay } from '../../../shared/time/slots.ts';
import { amountFor } from '../../../shared/time/amounts.ts';
import { contractRate } from './hand-off-model.ts';

/**
 * Manual time: a stretch the freelancer enters by hand on a day of the diary, where the
 * contract allows it. It is flagged "Manual" everywhere the client sees it, has no activity
 * or screenshots, and may not overlap time already recorded.
 */
export interface ManualTimeFields {
  /** The diary's local day, `YYYY-MM-DD`. */
  date: string;
  /** Local wall times, `HH:mm`. */
  from: string;
  to: string;
  memo: string;
}

export type ManualTimeErrors = Partial<Record<'from' | 'to' | 'memo', string>>;

export const maxManualMemo = 2000;

function wallTime(date: string, time: string): number | 'missing' | 'invalid' | 'skipped' {
  if (!time) return 'missing';
  const parsed = parse(`${date} ${time}`, 'yyyy-MM-dd HH:mm', new Date(0));
  if (!isValid(parsed)) return 'invalid';
  // 02:30 on the night clocks spring forward does not exist: the parser moves it an hour.
  if (format(parsed, 'HH:mm') !== time) return 'skipped';
  return parsed.getTime();
}

const timeMessages = {
  missing: { from: 'Enter when you started.', to: 'Enter when you stopped.' },
  invalid: { from: 'Enter a time such as 09:30.', to: 'Enter a time such as 17:45.' },
  skipped: {
    from: 'This time does not exist on this day: the clocks changed.',
    to: 'This time does not exist on this day: the clocks changed.',
  },
} as const;

/** A recorded stretch on the contract: tracked slots and other manual entries. */
function recordedStretches(entries: readonly TimeEntryDocument[]) {
  const stretches: Array<{ from: number; to: number }> = [];
  for (const entry of entries) {
    if (entry.kind === 'manual' && entry.manual) {
      stretches.push({ from: Date.parse(entry.manual.from), to: Date.parse(entry.manual.to) });
      continue;
    }
    for (const segment of entry.segments) {
      if (segment.removed || segment.billedMs === 0) continue;
      const start = Date.parse(segment.start);
      stretches.push({ from: start, to: start + slotMs });
    }
  }
  return stretches;
}

/** The stretch the fields describe, or what is wrong with them, field by field. */
export function checkManualTime(
  fields: ManualTimeFields,
  context: { now: number; entries: readonly TimeEntryDocument[] },
): { ok: true; from: number; to: number; memo: string } | { ok: false; errors: ManualTimeErrors } {
  const errors: ManualTimeErrors = {};
  const from = wallTime(fields.date, fields.from);
  const to = wallTime(fields.date, fields.to);
  if (typeof from !== 'number') errors.from = timeMessages[from].from;
  if (typeof to !== 'number') errors.to = timeMessages[to].to;
  const memo = fields.memo.trim();
  if (memo.length === 0) errors.memo = 'Say what you worked on: the client sees it.';
  else if (memo.length > maxManualMemo) {
    errors.memo = `Keep it under ${maxManualMemo} characters.`;
  }
  if (typeof from === 'number' && typeof to === 'number') {
    if (to <= from) errors.to = 'The end must be after the start.';
    else if (to > context.now) errors.to = 'Manual time cannot end in the future.';
    else {
      const clash = recordedStretches(context.entries).find(
        (stretch) => stretch.from < to && stretch.to > from,
      );
      if (clash) {
        errors.from = `Overlaps time already recorded (${format(clash.from, 'HH:mm')}–${format(clash.to, 'HH:mm')}).`;
      }
    }
  }
  if (typeof from !== 'number' || typeof to !== 'number' || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, from, to, memo };
}

export function manualEntryDocument(input: {
  contract: ContractDocument;
  freelancerId: string;
  from: number;
  to: number;
  memo: string;
  now: string;
  newId?: () => string;
}): TimeEntryDocument {
  const rate = contractRate(input.contract);
  const billedMs = input.to - input.from;
  return {
    id: (input.newId ?? uuidV4)(),
    updatedAt: input.now,
    contractId: input.contract.id,
    freelancerId: input.freelancerId,
    kind: 'manual',
    day: utcDay(input.from),
    segments: [],
    manual: { from: new Date(input.from).toISOString(), to: new Date(input.to).toISOString() },
    memo: input.memo,
    billable: true,
    billedMs,
    rate,
    amount: rate ? amountFor(billedMs, rate) : null,
    status: 'pending',
    createdAt: input.now,
  };
}
