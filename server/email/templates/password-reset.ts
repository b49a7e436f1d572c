import { z } from 'zod';
import { actionButton, emailLayout, linkFallback, paragraph } from './layout.ts';
import type { EmailTemplate, Locale } from './template.ts';

const data = z.object({ name: z.string().min(1), link: z.url(), expiresInMinutes: z.int() });
type PasswordResetData = z.infer<typeof data>;

interface PasswordResetMessages {
  subject: string;
  preview: string;
  heading: string;
  greeting: (name: string) => string;
  intro: string;
  button: string;
  fallback: string;
  expiry: (minutes: number) => string;
  footer: string;
}

const messages: Record<Locale, PasswordResetMessages> = {
  en: {
    subject: 'Reset your MegiLance password',
    preview: 'A link to choose a new MegiLance password.',
    heading: 'Reset your password',
    greeting: (name) => `Hi ${name},`,
    intro:
      'Someone asked to reset the password of your MegiLance account. Choose a new one here; every device signed in to your account will be signed out.',
    button: 'Choose a new password',
    fallback: 'Or open this link:',
    expiry: (minutes) => `The link works once and expires in ${minutes} minutes.`,
    footer: 'If you did not ask for this, ignore this message: your password stays as it is.',
  },
};

export const passwordResetTemplate: EmailTemplate<PasswordResetData> = {
  name: 'password-reset',
  data,
  compose(input, locale) {
    const m = messages[locale];
    return {
      subject: m.subject,
      body: emailLayout({
        lang: locale,
        preview: m.preview,
        heading: m.heading,
        children: [
          paragraph(m.greeting(input.name)),
          paragraph(m.intro),
          actionButton(input.link, m.button),
          linkFallback(m.fallback, input.link),
          paragraph(m.expiry(input.expiresInMinutes)),
        ],
        footer: m.footer,
      }),
    };
  },
};
