import { z } from 'zod';
import { linkActionTemplate } from './link-action.ts';

const data = z.object({ name: z.string().min(1), link: z.url(), expiresInHours: z.int() });

export const verifyEmailTemplate = linkActionTemplate('verify-email', data, {
  en: {
    subject: 'Confirm your email address',
    preview: 'One click to confirm your MegiLance email address.',
    heading: 'Confirm your email address',
    greeting: (name) => `Hi ${name},`,
    intro:
      'Please confirm that this is your email address. Payments and proposals open once it is confirmed.',
    button: 'Confirm email address',
    fallback: 'Or open this link:',
    expiry: ({ expiresInHours }) => `The link works once and expires in ${expiresInHours} hours.`,
    footer: 'If you did not create a MegiLance account, ignore this message.',
  },
});
