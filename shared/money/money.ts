import { z } from 'zod';

/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for JPY)
 * plus its ISO 4217 code. Never a float: sums of floats drift, sums of integers prove.
 */
export const currencySchema = z
  .string()
  .refine((code) => isKnownCurrency(code), 'must be an ISO 4217 code such as USD');

export const moneySchema = z
  .object({
    amountMinor: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    currency: currencySchema,
  })
  .meta({ id: 'Money', description: 'An amount in the minor unit of an ISO 4217 currency' });

export type Money = z.infer<typeof moneySchema>;

let knownCurrencies: ReadonlySet<string> | undefined;

/** ISO 4217 codes this runtime knows; the list is built once, not per validation. */
export function isKnownCurrency(code: string): boolean {
  try {
    knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
    return knownCurrencies.has(code);
  } catch {
    return false;
  }
}

/** Digits after the decimal point for a currency (2 for USD, 0 for JPY, 3 for KWD). */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** Parses a user-typed major amount ("1,234.5") into minor units without float arithmetic. */
export function parseMajorAmount(text: string, currency: string): number {
  const digits = minorUnitDigits(currency);
  const cleaned = text.replace(/[\s,]/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) throw new RangeError(`"${text}" is not an amount`);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw new RangeError(`${currency} has ${digits} decimal places; "${text}" has more`);
  }
  const minor =
    BigInt(match[1] ?? '0') * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`"${text}" is too large`);
  return Number(minor);
}

/**
 * Minor units back to the text a person would type ("8500" USD → "85.00"), with string
 * arithmetic only, so it is the exact inverse of `parseMajorAmount`.
 */
export function formatMajorAmount(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const text = String(amountMinor).padStart(digits + 1, '0');
  if (digits === 0) return text;
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function formatMoney(money: Money, locale = 'en'): string {
  const digits = minorUnitDigits(money.currency);
  // Formatting is the only place a minor amount becomes a fraction, and it is display-only.
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amountMinor / 10 ** digits,
  );
}
