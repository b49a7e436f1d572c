import {
  MAX_PROFILE_SKILLS,
  updateFreelancerProfileInputSchema,
  type FreelancerProfile,
  type SkillLevel,
  type UpdateFreelancerProfileInput,
} from '../../../shared/marketplace/profiles.ts';
import { slugify } from '../../../shared/marketplace/taxonomy.ts';
import { schemaErrors, type FieldFor } from '../marketplace/form-problems.ts';
import { amountText, parseAmount } from '../marketplace/money-fields.ts';

/** One skill row: the name as the marketplace spells it (or as typed when new) and a level. */
export type SkillRow = { name: string; level: SkillLevel };

/**
 * What a freelancer edits of their marketplace profile in one save: the account's headline,
 * about text and rate (the same columns `PATCH /auth/me` sets) and the whole skill list.
 */
export type FreelancerProfileValues = {
  headline: string;
  bio: string;
  rateAmount: string;
  rateCurrency: string;
  skills: SkillRow[];
};

/** Newly added skills start here: the middle says least about a skill not yet weighed. */
export const defaultSkillLevel: SkillLevel = 'intermediate';

export function freelancerProfileValuesOf(
  profile: FreelancerProfile,
  defaultCurrency: string,
): FreelancerProfileValues {
  const currency = profile.hourlyRate?.currency ?? defaultCurrency;
  return {
    headline: profile.headline ?? '',
    bio: profile.bio ?? '',
    rateAmount: amountText(profile.hourlyRate?.amountMinor, currency),
    rateCurrency: currency,
    skills: profile.skills.map((skill) => ({ name: skill.name, level: skill.level })),
  };
}

/** A request body's path → the form field showing it (`/skills/2/level` → `skills.2.level`). */
export const freelancerProfileFieldFor: FieldFor = ([first, second, third]) => {
  if (first === 'headline' || first === 'bio') return first;
  if (first === 'hourlyRate') return second === 'currency' ? 'rateCurrency' : 'rateAmount';
  if (first === 'skills') {
    if (second === undefined) return 'skills';
    if (third === 'name' || third === 'level') return `skills.${second}.${third}`;
    return `skills.${second}.name`;
  }
  return undefined;
};

type Built =
  { ok: true; input: UpdateFreelancerProfileInput } | { ok: false; errors: Record<string, string> };

/** The request body, or why the typed rate is not an amount. Empty text clears a field. */
export function buildFreelancerProfileInput(values: FreelancerProfileValues): Built {
  const rate = parseAmount(values.rateAmount, values.rateCurrency);
  if (!rate.ok) return { ok: false, errors: { rateAmount: rate.error } };
  return { ok: true, input: inputOf(values, rate.amountMinor) };
}

function inputOf(
  values: FreelancerProfileValues,
  rateMinor: number | null,
): UpdateFreelancerProfileInput {
  const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
  return {
    headline: orNull(values.headline),
    bio: orNull(values.bio),
    hourlyRate:
      rateMinor === null ? null : { amountMinor: rateMinor, currency: values.rateCurrency },
    skills: values.skills.map((skill) => ({ name: skill.name.trim(), level: skill.level })),
  };
}

/** The checks the server makes on the same body, shown before anything is sent. */
export function validateFreelancerProfile(values: FreelancerProfileValues): Record<string, string> {
  const built = buildFreelancerProfileInput(values);
  const errors = schemaErrors(
    updateFreelancerProfileInputSchema,
    built.ok ? built.input : inputOf(values, null),
    freelancerProfileFieldFor,
    values.rateCurrency,
  );
  if (!built.ok) Object.assign(errors, built.errors);
  return errors;
}

/**
 * Why a typed skill cannot join the list, or null when it can. Names compare by slug, as the
 * server compares them (`react` and `React` are one skill).
 */
export function skillRefusal(skills: readonly SkillRow[], name: string): string | null {
  const slug = slugify(name.trim());
  if (name.trim() === '') return 'Type a skill first';
  if (!slug) return 'A skill needs letters or digits';
  if (name.trim().length > 60) return 'A skill name has at most 60 characters';
  if (skills.some((skill) => slugify(skill.name) === slug)) return 'That skill is already listed';
  if (skills.length >= MAX_PROFILE_SKILLS) {
    return `A profile lists at most ${MAX_PROFILE_SKILLS} skills`;
  }
  return null;
}

/**
 * The name to list for what was typed: the marketplace's own spelling when it knows the
 * skill (`typescript` → `TypeScript`), so a profile does not create near-duplicates.
 */
export function canonicalSkillName(typed: string, known: readonly string[]): string {
  const slug = slugify(typed.trim());
  return known.find((name) => slugify(name) === slug) ?? typed.trim();
}
