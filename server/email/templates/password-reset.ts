import { z } from 'zod';
import { linkActionTemplate } from './link-action.ts';

const data = z.object({ name: z.string().min(1), link: z.url(), expiresInMinutes: z.int() });

export const passwordResetTemplate = linkActionTemplate('password-reset', data, {
  en: {
    subject: 'Reset your MegiLance password',
    preview: 'A link to choose a new MegiLance password.',
    heading: 'Reset your password',
    greeting: (name) => `Hi ${name},`,
    intro:
      'Someone asked to reset the password of your MegiLance account. Choose a new one here; every device signed in to your account will be signed out.',
    button: 'Choose a new password',
    fallback: 'Or open this link:',
    expiry: ({ expiresInMinutes }) =>
      `The link works once and expires in ${expiresInMinutes} minutes.`,
    footer: 'If you did not ask for this, ignore this message: your password stays as it is.',
  },
});
