import type { z } from 'zod';
import { actionButton, emailLayout, linkFallback, paragraph } from './layout.ts';
import type { EmailTemplate, Locale } from './template.ts';

/** What every "click this link to …" mail says; `expiry` reads its lifetime from the data. */
export interface LinkActionMessages<D> {
  subject: string;
  preview: string;
  heading: string;
  greeting: (name: string) => string;
  intro: string;
  button: string;
  fallback: string;
  expiry: (data: D) => string;
  footer: string;
}

/**
 * The shape shared by mails that carry one single-use link (confirm an address, reset a
 * password): greeting, why, the button, the bare link for clients that hide buttons, when it
 * expires.
 */
export function linkActionTemplate<D extends { name: string; link: string }>(
  name: string,
  data: z.ZodType<D>,
  messages: Record<Locale, LinkActionMessages<D>>,
): EmailTemplate<D> {
  return {
    name,
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
            paragraph(m.expiry(input)),
          ],
          footer: m.footer,
        }),
      };
    },
  };
}
