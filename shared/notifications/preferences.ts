import { z } from 'zod';

/**
 * What a user can be told about, each with its own choice of channels. `account-security`
 * (verification, reset, lockout, two-factor changes) always mails: it is never a preference.
 */
export const notificationKinds = [
  'project-posted',
  'proposal-received',
  'proposal-accepted',
  'proposal-rejected',
  'contract-created',
  'milestone-submitted',
  'milestone-approved',
  'payment-received',
  'invoice-generated',
  'invoice-paid',
  'dispute-opened',
  'review-received',
  'message-received',
  'support-ticket',
  'money-activity',
  'weekly-digest',
] as const;

export const notificationKindSchema = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** Instant: a mail per event (messages batched). Digest: held for the weekly digest. */
export const emailCadenceSchema = z.enum(['instant', 'digest']);
export type EmailCadence = z.infer<typeof emailCadenceSchema>;

export const channelChoiceSchema = z
  .object({
    inApp: z.boolean(),
    email: z.boolean(),
    desktop: z.boolean(),
    cadence: emailCadenceSchema,
  })
  .strict();
export type ChannelChoice = z.infer<typeof channelChoiceSchema>;

export const notificationPreferencesSchema = z
  .object(
    Object.fromEntries(notificationKinds.map((kind) => [kind, channelChoiceSchema])) as Record<
      NotificationKind,
      typeof channelChoiceSchema
    >,
  )
  .strict()
  .meta({ id: 'NotificationPreferences' });
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/** What a user who never chose gets: everything, at once; the digest by email only. */
export function defaultChoice(kind: NotificationKind): ChannelChoice {
  if (kind === 'weekly-digest')
    return { inApp: false, email: true, desktop: false, cadence: 'digest' };
  return { inApp: true, email: true, desktop: true, cadence: 'instant' };
}

export function defaultPreferences(): NotificationPreferences {
  return Object.fromEntries(
    notificationKinds.map((kind) => [kind, defaultChoice(kind)]),
  ) as NotificationPreferences;
}
