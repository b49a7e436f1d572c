import type { z } from 'zod';
import { ProblemError } from '../../shared/api/problem.ts';
import { fieldOfPointer, readableError } from '../api/problems.ts';

/** `must be an email address` → `Must be an email address`: shared messages are fragments. */
export function sentence(fragment: string): string {
  return fragment.charAt(0).toUpperCase() + fragment.slice(1);
}

/**
 * A Mantine form `validate` function from a shared zod schema, so the form checks exactly what
 * the server will check. Errors land on the field named by the issue's first path segment.
 */
export function validateWith<T>(
  schema: z.ZodType,
  toInput: (values: T) => unknown,
  messages: Partial<Record<string, string>> = {},
) {
  return (values: T): Record<string, string> => {
    const result = schema.safeParse(toInput(values));
    if (result.success) return {};
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      errors[field] ??= messages[field] ?? sentence(issue.message);
    }
    return errors;
  };
}

/**
 * Puts a server problem's field errors (`errors: [{pointer: '/email', detail}]`) on the form's
 * fields. Returns the message to show for the form as a whole, or null when every error found
 * its field. `fieldFor` maps a top-level body property to a form field, undefined if none.
 */
export function applyProblemToForm(
  error: unknown,
  setFieldError: (field: string, message: string) => void,
  fieldFor: (property: string) => string | undefined,
): string | null {
  if (!(error instanceof ProblemError) || !error.problem.errors?.length) {
    return readableError(error);
  }
  const leftOver: string[] = [];
  for (const fieldError of error.problem.errors) {
    const field = fieldFor(fieldOfPointer(fieldError.pointer));
    if (field) setFieldError(field, sentence(fieldError.detail));
    else leftOver.push(`${fieldError.pointer || 'Request'}: ${fieldError.detail}`);
  }
  return leftOver.length ? leftOver.join(' ') : null;
}
