import { z } from 'zod';
import { emailLayout, paragraph } from './layout.ts';
import type { EmailTemplate, Locale } from './template.ts';

const data = z.object({ name: z.string().min(1) });
type WelcomeData = z.infer<typeof data>;

interface WelcomeMessages {
  subject: string;
  preview: string;
  heading: (name: string) => string;
  intro: string;
  next: string;
  footer: string;
}

const messages: Record<Locale, WelcomeMessages> = {
  en: {
    subject: 'Welcome to MegiLance',
    preview: 'Your MegiLance account is ready.',
    heading: (name) => `Welcome, ${name}!`,
    intro: 'Your MegiLance account is ready.',
    next: 'Open the MegiLance app to complete your profile, browse projects or post your own. A separate message asks you to confirm your email address.',
    footer: 'You receive this because you created a MegiLance account.',
  },
};

export const welcomeTemplate: EmailTemplate<WelcomeData> = {
  name: 'welcome',
  data,
  compose(input, locale) {
    const m = messages[locale];
    return {
      subject: m.subject,
      body: emailLayout({
        lang: locale,
        preview: m.preview,
        heading: m.heading(input.name),
        children: [paragraph(m.intro), paragraph(m.next)],
        footer: m.footer,
      }),
    };
  },
};
