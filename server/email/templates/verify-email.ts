import { z } from 'zod';
import { actionButton, emailLayout, linkFallback, paragraph } from './layout.ts';
import type { EmailTemplate, Locale } from './template.ts';

const data = z.object({ name: z.string().min(1), link: z.url(), expiresInHours: z.int() });
type VerifyEmailData = z.infer<typeof data>;

interface VerifyEmailMessages {
  subject: string;
  preview: string;
  heading: string;
  greeting: (name: string) => string;
  intro: string;
  button: string;
  fallback: string;
  expiry: (hours: number) => string;
  footer: string;
}

const messages: Record<Locale, VerifyEmailMessages> = {
  en: {
    subject: 'Confirm your email address',
    preview: 'One click to confirm your MegiLance email address.',
    heading: 'Confirm your email address',
    greeting: (name) => `Hi ${name},`,
    intro:
      'Please confirm that this is your email address. Payments and proposals open once it is confirmed.',
    button: 'Confirm email address',
    fallback: 'Or open this link:',
    expiry: (hours) => `The link works once and expires in ${hours} hours.`,
    footer: 'If you did not create a MegiLance account, ignore this message.',
  },
};

export const verifyEmailTemplate: EmailTemplate<VerifyEmailData> = {
  name: 'verify-email',
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
          paragraph(m.expiry(input.expiresInHours)),
        ],
        footer: m.footer,
      }),
    };
  },
};
