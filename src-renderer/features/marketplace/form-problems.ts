import type { z } from 'zod';
import { ProblemError } from '../../../shared/api/problem.ts';
import { formatMoney } from '../../../shared/money/money.ts';
import { readableError } from '../../api/problems.ts';
import { sentence } from '../../ui/forms.ts';

/** Maps a path into the request body (`['budget', 'min', 'amountMinor']`) to a form field. */
export type FieldFor = (path: readonly string[]) => string | undefined;

/** `/milestonePlan/0/amount/amountMinor` → `['milestonePlan', '0', 'amount', 'amountMinor']`. */
export function pointerPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Shared messages count money in minor units ("must sum to the bid of 240000 minor units");
 * where the form knows the currency, they are said as money ("€2,400.00") instead.
 */
export function inMoney(detail: string, currency: string | undefined): string {
  if (!currency) return detail;
  const money = (amount: string) => formatMoney({ amountMinor: Number(amount), currency });
  return detail.replace(
    /\b(\d+) minor units?(?:, not (\d+)\b)?/g,
    (_, amount: string, other: string | undefined) =>
      other === undefined ? money(amount) : `${money(amount)}, not ${money(other)}`,
  );
}

/**
 * Puts a refused request's field errors on the fields they are about, whatever their depth
 * (a milestone's amount inside a plan). Returns the message for the form as a whole, or null
 * when every error found its field. What was typed stays as it was.
 */
export function applyServerErrors(
  error: unknown,
  setFieldError: (field: string, message: string) => void,
  fieldFor: FieldFor,
  currency?: string,
): string | null {
  if (!(error instanceof ProblemError) || !error.problem.errors?.length) {
    return readableError(error);
  }
  const leftOver: string[] = [];
  for (const fieldError of error.problem.errors) {
    const field = fieldFor(pointerPath(fieldError.pointer));
    if (field) setFieldError(field, sentence(inMoney(fieldError.detail, currency)));
    else leftOver.push(`${fieldError.pointer || 'Request'}: ${fieldError.detail}`);
  }
  return leftOver.length ? leftOver.join(' ') : null;
}

/** The same placing for the shared schema's own issues, checked before anything is sent. */
export function schemaErrors(
  schema: z.ZodType,
  input: unknown,
  fieldFor: FieldFor,
  currency?: string,
): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = fieldFor(issue.path.map(String));
    if (field) errors[field] ??= sentence(inMoney(issue.message, currency));
  }
  return errors;
}
