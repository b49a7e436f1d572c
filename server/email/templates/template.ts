import type { ReactElement } from 'react';
import { render } from '@react-email/render';
import type { z } from 'zod';

/** Languages with a message catalogue; every template has every one. */
export type Locale = 'en';

/** What the sender knows about one mail beyond its data. */
export interface MailContext {
  /** The signed link that stops this kind of mail; null for mails one cannot opt out of. */
  unsubscribeUrl: string | null;
}

/** One kind of mail: its typed data and how it looks in each language. */
export interface EmailTemplate<D> {
  name: string;
  data: z.ZodType<D>;
  compose(data: D, locale: Locale, mail: MailContext): { subject: string; body: ReactElement };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export async function renderTemplate<D>(
  template: EmailTemplate<D>,
  data: D,
  locale: Locale = 'en',
  mail: MailContext = { unsubscribeUrl: null },
): Promise<RenderedEmail> {
  const { subject, body } = template.compose(data, locale, mail);
  const [html, text] = await Promise.all([render(body), render(body, { plainText: true })]);
  return { subject, html, text };
}
