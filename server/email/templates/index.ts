import { passwordResetTemplate } from './password-reset.ts';
import { renderTemplate, type EmailTemplate, type RenderedEmail } from './template.ts';
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
export const renderStoredEmail: Record<TemplateName, (data: unknown) => Promise<RenderedEmail>> = {
  welcome: (data) => renderTemplate(welcomeTemplate, welcomeTemplate.data.parse(data)),
  'verify-email': (data) =>
    renderTemplate(verifyEmailTemplate, verifyEmailTemplate.data.parse(data)),
  'password-reset': (data) =>
    renderTemplate(passwordResetTemplate, passwordResetTemplate.data.parse(data)),
};
