import {
  formatMajorAmount,
  minorUnitDigits,
  parseMajorAmount,
} from '../../../shared/money/money.ts';

export type AmountResult = { ok: true; amountMinor: number | null } | { ok: false; error: string };

/**
 * What a person typed into an amount field ("1,250.50") as minor units of the currency, or
 * the reason it is not an amount. Empty means "no amount". No float arithmetic on the way.
 */
export function parseAmount(text: string, currency: string): AmountResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, amountMinor: null };
  try {
    return { ok: true, amountMinor: parseMajorAmount(trimmed, currency) };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (message.includes('too large')) return { ok: false, error: 'That amount is too large' };
    if (message.includes('decimal places')) {
      const digits = minorUnitDigits(currency);
      return {
        ok: false,
        error:
          digits === 0
            ? `${currency} amounts are whole numbers`
            : `${currency} amounts have at most ${digits} decimal places`,
      };
    }
    return { ok: false, error: 'Enter an amount such as 850.00' };
  }
}

/** Minor units back to the text the field shows ("85000" EUR → "850.00"). */
export function amountText(amountMinor: number | null | undefined, currency: string): string {
  return amountMinor === null || amountMinor === undefined
    ? ''
    : formatMajorAmount(amountMinor, currency);
}
