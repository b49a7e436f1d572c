import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { TimeEntryDocument, TimeReviewDocument } from '../../shared/sync/documents.ts';
import { trackedEntryId } from '../../shared/time/stable-ids.ts';
import {
  checkManualTime,
  manualEntryDocument,
} from '../../src-renderer/features/time/manual-time-model.ts';
import {
  approvalDocument,
  disputeDocuments,
  disputeProblem,
} from '../../src-renderer/features/time/review-model.ts';
import {
  buildTimesheet,
  shiftWeek,
  timesheetCsv,
  timesheetFileName,
  weekDays,
} from '../../src-renderer/features/time/timesheet-model.ts';
import { workLogDocument } from '../../src-renderer/features/time/work-log-model.ts';
import { clientId, freelancerId, hourlyContract } from '../support/hourly-contract.ts';

process.env.TZ = 'Europe/Berlin';

const contract = { ...hourlyContract, projectTitle: '=Owl drawings' };

const contractId = hourlyContract.id;
const me = freelancerId;
const client = clientId;
const rate = hourlyContract.rate;
const hour = 3_600_000;

function tracked(
  day: string,
  slots: string[],
  status: TimeEntryDocument['status'],
  active: number | null = 5,
) {
  const segments = slots.map((time) => ({
    start: `${day}T${time}:00.000Z`,
    billedMs: 600_000,
    trackedMinutes: 10,
    activeMinutes: active,
    memo: '',
    removed: false,
  }));
  const billedMs = segments.length * 600_000;
  return {
    id: trackedEntryId(contractId, me, day),
    updatedAt: `${day}T20:00:00.000Z`,
    contractId,
    freelancerId: me,
    kind: 'tracked',
    day,
    segments,
    manual: null,
    memo: '',
    billable: true,
    billedMs,
    rate,
    amount: { amountMinor: Math.round((billedMs / hour) * 4_500), currency: 'EUR' },
    status,
    createdAt: `${day}T20:00:00.000Z`,
  } satisfies TimeEntryDocument;
}

describe('the weekly timesheet', () => {
  // Monday 16 November 2026: six slots (1 h) approved on Monday, three on Wednesday of which
  // one is disputed, a manual half hour on Friday, and time outside the week.
  const monday = tracked(
    '2026-11-16',
    ['09:00', '09:10', '09:20', '09:30', '09:40', '09:50'],
    'approved',
  );
  const wednesday = tracked('2026-11-18', ['14:00', '14:10', '14:20'], 'disputed', null);
  const manual = manualEntryDocument({
    contract,
    freelancerId: me,
    from: Date.parse('2026-11-20T10:00:00.000Z'),
    to: Date.parse('2026-11-20T10:30:00.000Z'),
    memo: 'Call with the client',
    now: '2026-11-20T11:00:00.000Z',
    newId: () => '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d70',
  });
  const nextWeek = tracked('2026-11-23', ['09:00'], 'pending');
  const [dispute] = disputeDocuments({
    contractId,
    slots: [{ entryId: wednesday.id, start: '2026-11-18T14:10:00.000Z' }],
    reason: '  Not my project  ',
    reviewerId: client,
    now: '2026-11-19T08:00:00.000Z',
    newId: () => '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d71',
  });
  const reviews: TimeReviewDocument[] = dispute ? [dispute] : [];
  const sheet = buildTimesheet({
    week: '2026-11-16',
    currency: 'EUR',
    priced: true,
    entries: [monday, wednesday, manual, nextWeek],
    reviews,
  });

  it('sums each UTC day of the week and the week', () => {
    expect(sheet.days.map((d) => d.day)).toEqual(weekDays('2026-11-16'));
    expect(sheet.days[0]).toMatchObject({
      trackedMs: hour,
      approvedMs: hour,
      disputedMs: 0,
      amountMinor: 4_500,
    });
    expect(sheet.days[2]).toMatchObject({
      trackedMs: 1_800_000,
      approvedMs: 0,
      disputedMs: 600_000,
      measuredMinutes: 0,
    });
    expect(sheet.days[4]).toMatchObject({ manualMs: 1_800_000, trackedMs: 0, amountMinor: 2_250 });
    expect(sheet.total).toMatchObject({
      trackedMs: 1.5 * hour,
      manualMs: 0.5 * hour,
      approvedMs: hour,
      disputedMs: 600_000,
      amountMinor: 4_500 + 2_250 + 2_250,
    });
    expect(dispute).toMatchObject({ week: '2026-11-16', reason: 'Not my project', status: 'open' });
  });

  it('stops counting a dispute once it is withdrawn', () => {
    const withdrawn = reviews.map((r) => ({ ...r, status: 'withdrawn' as const }));
    const again = buildTimesheet({
      week: '2026-11-16',
      currency: 'EUR',
      priced: true,
      entries: [wednesday],
      reviews: withdrawn,
    });
    expect(again.total.disputedMs).toBe(0);
  });

  it('exports CSV a spreadsheet reads back: a row per day, a total, formulas defused', () => {
    const csv = timesheetCsv(sheet, contract.projectTitle);
    const parsed = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual([
      'Contract',
      'Date (UTC)',
      'Tracked hours',
      'Manual hours',
      'Approved hours',
      'Disputed hours',
      'Activity %',
      'Amount',
      'Currency',
    ]);
    expect(parsed).toHaveLength(9);
    expect(parsed[1]).toEqual([
      "'=Owl drawings",
      '2026-11-16',
      '1.00',
      '0.00',
      '1.00',
      '0.00',
      '50',
      '45.00',
      'EUR',
    ]);
    expect(parsed[3]).toEqual([
      "'=Owl drawings",
      '2026-11-18',
      '0.50',
      '0.00',
      '0.00',
      '0.17',
      '',
      '22.50',
      'EUR',
    ]);
    expect(parsed[8]).toEqual([
      "'=Owl drawings",
      'Total',
      '1.50',
      '0.50',
      '1.00',
      '0.17',
      '50',
      '90.00',
      'EUR',
    ]);
    expect(csv).toContain('\r\n');
    expect(timesheetFileName(contract.projectTitle, '2026-11-16')).toBe(
      'timesheet-owl-drawings-2026-11-16.csv',
    );
  });

  it('leaves amounts out on fixed-price contracts and steps weeks by Mondays', () => {
    const fixed = buildTimesheet({
      week: '2026-11-16',
      currency: 'EUR',
      priced: false,
      entries: [monday],
      reviews: [],
    });
    expect(Papa.parse<string[]>(timesheetCsv(fixed, 'Fixed').trim()).data[0]).not.toContain(
      'Amount',
    );
    expect(shiftWeek('2026-11-16', 1)).toBe('2026-11-23');
    expect(shiftWeek('2026-03-23', 1)).toBe('2026-03-30');
  });
});

describe('manual time', () => {
  const now = Date.parse('2026-11-20T18:00:00.000Z');
  const fields = { date: '2026-11-20', from: '11:00', to: '11:30', memo: 'Call' };
  const existing = [tracked('2026-11-20', ['09:00'], 'pending')];

  it('turns local wall times into an instant range and a flagged, priced entry', () => {
    const checked = checkManualTime(fields, { now, entries: existing });
    expect(checked).toEqual({
      ok: true,
      from: Date.parse('2026-11-20T10:00:00.000Z'),
      to: Date.parse('2026-11-20T10:30:00.000Z'),
      memo: 'Call',
    });
  });

  it('says what is wrong, field by field', () => {
    const problems = (over: Partial<typeof fields>, at = now) => {
      const checked = checkManualTime({ ...fields, ...over }, { now: at, entries: existing });
      return checked.ok ? {} : checked.errors;
    };
    expect(problems({ from: '', to: '', memo: ' ' })).toEqual({
      from: 'Enter when you started.',
      to: 'Enter when you stopped.',
      memo: 'Say what you worked on: the client sees it.',
    });
    expect(problems({ to: '10:30' })).toEqual({ to: 'The end must be after the start.' });
    expect(problems({}, Date.parse('2026-11-20T10:15:00.000Z'))).toEqual({
      to: 'Manual time cannot end in the future.',
    });
    // 09:00 UTC is 10:00 in Berlin: tracked already.
    expect(problems({ from: '10:05', to: '10:20' })).toEqual({
      from: 'Overlaps time already recorded (10:00–10:10).',
    });
    expect(
      problems(
        { date: '2026-03-29', from: '02:30', to: '03:30' },
        Date.parse('2026-04-01T00:00:00Z'),
      ),
    ).toEqual({
      from: 'This time does not exist on this day: the clocks changed.',
    });
  });
});

describe('reviews and work logs', () => {
  it('approves a week under the one id every device derives, and asks a reason for disputes', () => {
    const approval = approvalDocument({
      contractId,
      week: '2026-11-16',
      reviewerId: client,
      now: '2026-11-23T08:00:00.000Z',
    });
    expect(approval).toMatchObject({ kind: 'approval', slots: [], status: 'open' });
    expect(
      approvalDocument({ contractId, week: '2026-11-16', reviewerId: client, now: 'x' }).id,
    ).toBe(approval.id);
    expect(disputeProblem(0, 'why')).toBe('Select the slots you dispute first.');
    expect(disputeProblem(2, '  ')).toBe('Say why you dispute these slots.');
    expect(disputeProblem(2, 'Not mine')).toBe(null);
  });

  it('stores a work log only when it says something new', () => {
    const input = {
      contractId,
      freelancerId: me,
      day: '2026-11-20',
      now: '2026-11-20T18:00:00.000Z',
    };
    expect(
      workLogDocument(null, { ...input, fields: { tasksDone: ' ', blockers: '', notes: '' } }),
    ).toBe(null);
    const log = workLogDocument(null, {
      ...input,
      fields: { tasksDone: 'Owls ', blockers: '', notes: '' },
    });
    expect(log).toMatchObject({ tasksDone: 'Owls', day: '2026-11-20' });
    if (!log) throw new Error('no log');
    expect(
      workLogDocument(log, { ...input, fields: { tasksDone: 'Owls', blockers: '', notes: '' } }),
    ).toBe(null);
    expect(
      workLogDocument(log, {
        ...input,
        fields: { tasksDone: 'Owls', blockers: 'No brief', notes: '' },
      }),
    ).toMatchObject({
      id: log.id,
      blockers: 'No brief',
    });
  });
});
