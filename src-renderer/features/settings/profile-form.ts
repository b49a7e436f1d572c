import {
  updateProfileInputSchema,
  type UpdateProfileInput,
  type User,
} from '../../../shared/accounts/user.ts';
import { minorUnitDigits, parseMajorAmount, type Money } from '../../../shared/money/money.ts';
import { sentence } from '../../ui/forms.ts';
import { formatMajorAmount } from '../../../shared/money/money.ts';

/** The profile as the form edits it: text boxes hold strings, pickers hold a code or null. */
export type ProfileValues = {
  name: string;
  headline: string;
  bio: string;
  country: string | null;
  timezone: string | null;
  rateAmount: string;
  rateCurrency: string;
};

export const defaultCurrency = 'USD';

export function profileValuesOf(user: User): ProfileValues {
  return {
    name: user.name,
    headline: user.headline ?? '',
    bio: user.bio ?? '',
    country: user.country,
    timezone: user.timezone,
    rateAmount: user.hourlyRate
      ? formatMajorAmount(user.hourlyRate.amountMinor, user.hourlyRate.currency)
      : '',
    rateCurrency: user.hourlyRate?.currency ?? defaultCurrency,
  };
}

/** Body property → form field, for placing the server's field errors. */
export function profileFieldFor(property: string): string | undefined {
  if (property === 'hourlyRate') return 'rateAmount';
  return ['name', 'headline', 'bio', 'country', 'timezone'].includes(property)
    ? property
    : undefined;
}

type RateResult = { ok: true; rate: Money | null } | { ok: false; error: string };

export function parseRate(values: ProfileValues): RateResult {
  if (values.rateAmount.trim() === '') return { ok: true, rate: null };
  try {
    const amountMinor = parseMajorAmount(values.rateAmount.trim(), values.rateCurrency);
    return { ok: true, rate: { amountMinor, currency: values.rateCurrency } };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (message.includes('too large')) return { ok: false, error: 'That amount is too large' };
    if (message.includes('decimal places')) {
      const digits = minorUnitDigits(values.rateCurrency);
      return {
        ok: false,
        error:
          digits === 0
            ? `${values.rateCurrency} amounts are whole numbers`
            : `${values.rateCurrency} amounts have at most ${digits} decimal places`,
      };
    }
    return { ok: false, error: 'Enter an amount such as 85.50' };
  }
}

/**
 * Empty text means "clear it": the API takes null for every optional field. A freelancer's
 * headline, about text and rate belong to their marketplace profile and are edited (only)
 * on its own tab, so `accountOnly` leaves them out rather than send stale copies back.
 */
export function profileInputOf(
  values: ProfileValues,
  rate: Money | null,
  accountOnly = false,
): UpdateProfileInput {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  const account = {
    name: values.name.trim(),
    country: values.country,
    timezone: values.timezone,
  };
  if (accountOnly) return account;
  return {
    ...account,
    headline: orNull(values.headline),
    bio: orNull(values.bio),
    hourlyRate: rate,
  };
}

/**
 * The shared schema's checks on exactly what Save will send: with `accountOnly` (a freelancer's
 * tab, where the rate is not shown) the rate is neither sent nor checked, so a stored rate the
 * rules no longer take cannot block a change of name behind a field nobody sees.
 */
export function validateProfile(
  values: ProfileValues,
  accountOnly = false,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const rate = accountOnly ? ({ ok: true, rate: null } as const) : parseRate(values);
  if (!rate.ok) errors.rateAmount = rate.error;
  const result = updateProfileInputSchema.safeParse(
    profileInputOf(values, rate.ok ? rate.rate : null, accountOnly),
  );
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = profileFieldFor(String(issue.path[0] ?? ''));
      if (field) errors[field] ??= sentence(issue.message);
    }
  }
  return errors;
}
