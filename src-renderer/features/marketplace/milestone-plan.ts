import type { MilestoneInput } from '../../../shared/marketplace/proposals.ts';
import type { Money } from '../../../shared/money/money.ts';
import { amountText, parseAmount } from './money-fields.ts';

/** One milestone as a form edits it; `key` keeps React rows stable while others are removed. */
export type MilestoneRow = { key: string; title: string; amount: string; dueDate: string };

export const newMilestoneRow = (title = '', amount = ''): MilestoneRow => ({
  key: crypto.randomUUID(),
  title,
  amount,
  dueDate: '',
});

export function milestoneRowsOf(
  plan: readonly { title: string; amount: Money; dueDate: string | null }[],
): MilestoneRow[] {
  return plan.map((item) => ({
    key: crypto.randomUUID(),
    title: item.title,
    amount: amountText(item.amount.amountMinor, item.amount.currency),
    dueDate: item.dueDate ?? '',
  }));
}

type Built = { ok: true; plan: MilestoneInput[] } | { ok: false; errors: Record<string, string> };

/** Rows to the API's milestones, with a field error for each amount that is not one. */
export function buildMilestones(rows: readonly MilestoneRow[], currency: string): Built {
  const errors: Record<string, string> = {};
  const plan: MilestoneInput[] = [];
  rows.forEach((row, index) => {
    const amount = parseAmount(row.amount, currency);
    if (!amount.ok) errors[`milestones.${index}.amount`] = amount.error;
    else if (amount.amountMinor === null) errors[`milestones.${index}.amount`] = 'Enter an amount';
    else {
      plan.push({
        title: row.title,
        amount: { amountMinor: amount.amountMinor, currency },
        dueDate: row.dueDate || null,
      });
    }
  });
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, plan };
}

/** A path inside a milestone list (`['0', 'amount', 'amountMinor']`) → its form field. */
export function milestoneFieldFor(rest: readonly string[]): string {
  const [index, field] = rest;
  if (index === undefined || !/^\d+$/.test(index)) return 'milestones';
  if (field === 'title' || field === 'dueDate') return `milestones.${index}.${field}`;
  if (field === 'amount') return `milestones.${index}.amount`;
  return 'milestones';
}

/** The sum of the amounts that parse, for showing against the bid while typing. */
export function plannedTotal(rows: readonly MilestoneRow[], currency: string): number {
  return rows.reduce((sum, row) => {
    const amount = parseAmount(row.amount, currency);
    return sum + (amount.ok && amount.amountMinor !== null ? amount.amountMinor : 0);
  }, 0);
}
