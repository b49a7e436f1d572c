import type { Kysely } from 'kysely';
import { problemTypes } from '../../../shared/api/problem.ts';
import {
  lineAmount,
  type InvoiceLine,
  type InvoiceLineInput,
} from '../../../shared/money/invoices.ts';
import { dayStart } from '../../../shared/time/slots.ts';
import type { Database } from '../../db/schema.ts';
import { HttpProblem } from '../../http/problem.ts';

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const nothingToBill = (detail: string) =>
  new HttpProblem(409, problemTypes.conflict, 'Nothing to invoice', detail);

/** Lines written by hand: each amount is quantity × unit price, rounded half up once. */
export function manualLines(lines: readonly InvoiceLineInput[]): InvoiceLine[] {
  return lines.map((line, index) => {
    let amountMinor: number;
    try {
      amountMinor = lineAmount(line.quantityThousandths, line.unitPriceMinor);
    } catch {
      const detail = 'quantity × unit price is too large to be represented exactly';
      throw new HttpProblem(
        422,
        problemTypes.validation,
        'Invalid input',
        `Line ${index + 1}: ${detail}.`,
        {
          errors: [{ pointer: `/lines/${index}`, detail }],
        },
      );
    }
    return {
      description: line.description,
      quantityThousandths: line.quantityThousandths,
      unitPriceMinor: line.unitPriceMinor,
      amountMinor,
    };
  });
}

/** Billed milliseconds as thousandths of an hour, rounded half up. */
const hoursThousandths = (billedMs: number): number => Math.floor((billedMs + 1_800) / 3_600);

/**
 * A week's approved, billable time as one line per UTC day (and rate, should the rate have
 * changed within a day). Each line's amount is the sum of that day's entries' `amount_minor`,
 * the billed amounts the time module computed (shared/time/amounts.ts, rounded once per entry),
 * so the invoice bills exactly what the client approved. Disputed and pending time is left out.
 */
export async function weekLines(
  db: Kysely<Database>,
  contractId: string,
  week: string,
): Promise<InvoiceLine[]> {
  const entries = await db
    .selectFrom('time_entries')
    .select(['day', 'billed_ms', 'rate_minor', 'amount_minor'])
    .where('contract_id', '=', contractId)
    .where('week', '=', week)
    .where('status', '=', 'approved')
    .where('deleted', '=', 0)
    .where('billable', '=', 1)
    .where('amount_minor', 'is not', null)
    .where('rate_minor', 'is not', null)
    .orderBy('day')
    .orderBy('id')
    .execute();
  const groups = new Map<string, { day: string; rate: number; billedMs: number; amount: number }>();
  for (const entry of entries) {
    const rate = entry.rate_minor ?? 0;
    const key = `${entry.day}/${rate}`;
    const group = groups.get(key) ?? { day: entry.day, rate, billedMs: 0, amount: 0 };
    group.billedMs += Number(entry.billed_ms);
    group.amount += Number(entry.amount_minor ?? 0);
    groups.set(key, group);
  }
  const lines = [...groups.values()]
    .filter((group) => group.billedMs > 0)
    .map((group) => ({
      description: `Hours worked on ${weekdays[new Date(dayStart(group.day)).getUTCDay()] ?? ''} ${group.day}`,
      quantityThousandths: hoursThousandths(group.billedMs),
      unitPriceMinor: group.rate,
      amountMinor: group.amount,
    }));
  if (lines.length === 0) {
    throw nothingToBill(
      `The week of ${week} has no approved billable time on this contract: the client approves a finished week first.`,
    );
  }
  return lines;
}

/** A released milestone as one line: its title, once, at its amount. */
export async function milestoneLines(
  db: Kysely<Database>,
  contractId: string,
  milestoneId: string,
): Promise<InvoiceLine[]> {
  const milestone = await db
    .selectFrom('milestones')
    .select(['title', 'amount_minor', 'status'])
    .where('id', '=', milestoneId)
    .where('contract_id', '=', contractId)
    .executeTakeFirst();
  if (!milestone) {
    throw new HttpProblem(
      422,
      problemTypes.validation,
      'Invalid input',
      'The milestone is not one of this contract’s.',
      {
        errors: [{ pointer: '/source/milestoneId', detail: 'is not a milestone of this contract' }],
      },
    );
  }
  if (milestone.status !== 'released') {
    throw nothingToBill(
      `The milestone “${milestone.title}” is ${milestone.status}; only a released milestone is invoiced.`,
    );
  }
  const amount = Number(milestone.amount_minor);
  return [
    {
      description: milestone.title,
      quantityThousandths: 1_000,
      unitPriceMinor: amount,
      amountMinor: amount,
    },
  ];
}
