import { passwordResetTemplate } from './password-reset.ts';
import {
  renderTemplate,
  type EmailTemplate,
  type MailContext,
  type RenderedEmail,
} from './template.ts';
import { verifyEmailTemplate } from './verify-email.ts';
import { welcomeTemplate } from './welcome.ts';

/** Every template by name; a job names one and carries its data. */
export const emailTemplates = {
  welcome: welcomeTemplate,
  'verify-email': verifyEmailTemplate,
  'password-reset': passwordResetTemplate,
} as const;

export type TemplateName = keyof typeof emailTemplates;

export type TemplateData<N extends TemplateName> =
  (typeof emailTemplates)[N] extends EmailTemplate<infer D> ? D : never;

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(emailTemplates, name);
}

/** Renders a stored job's data; throws a ZodError when it does not fit the template. */
export const renderStoredEmail: Record<
  TemplateName,
  (data: unknown, mail: MailContext) => Promise<RenderedEmail>
> = {
  welcome: (data, mail) =>
    renderTemplate(welcomeTemplate, welcomeTemplate.data.parse(data), 'en', mail),
  'verify-email': (data, mail) =>
    renderTemplate(verifyEmailTemplate, verifyEmailTemplate.data.parse(data), 'en', mail),
  'password-reset': (data, mail) =>
    renderTemplate(passwordResetTemplate, passwordResetTemplate.data.parse(data), 'en', mail),
};
