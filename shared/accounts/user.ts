import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { moneySchema } from '../money/money.ts';

export const roleSchema = z.enum(['client', 'freelancer', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** Who may sign themselves up; admins are made by other admins. */
export const signUpRoleSchema = z.enum(['client', 'freelancer']);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an email address').max(254));

export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters');

export const personNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE');

export const timezoneSchema = z
  .string()
  .refine((zone) => isIanaTimezone(zone), 'must be an IANA time zone such as Europe/Berlin');

function isIanaTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A rate someone asks for their hours. Zero is no offer a marketplace can show (it reads as
 * "free"): having no rate is said with null, and any rate that is given is more than nothing.
 */
export const hourlyRateSchema = moneySchema.extend({
  amountMinor: z.int().min(1, 'must be more than 0').max(Number.MAX_SAFE_INTEGER),
});

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.email(),
    name: z.string(),
    role: roleSchema,
    headline: z.string().nullable(),
    bio: z.string().nullable(),
    country: z.string().nullable(),
    timezone: z.string().nullable(),
    hourlyRate: moneySchema.nullable(),
    /** Whether the owner proved the address by following the mailed link. */
    emailVerified: z.boolean(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'User' });

export type User = z.infer<typeof userSchema>;

export const updateProfileInputSchema = z
  .object({
    name: personNameSchema,
    headline: z.string().trim().max(140).nullable(),
    bio: z.string().trim().max(5000).nullable(),
    country: countrySchema.nullable(),
    timezone: timezoneSchema.nullable(),
    hourlyRate: hourlyRateSchema.nullable(),
  })
  .partial()
  .strict()
  .meta({ id: 'UpdateProfileInput' });

export type UpdateProfileInput = z.infer<typeof updateProfileInputSchema>;
