import type { z } from 'zod';
import { fieldErrors } from '../shared/api/field-errors.ts';
import { ProblemError, problemTypes, type Problem } from '../shared/api/problem.ts';

/** Problems the desktop host itself raises (the server's own problems pass through untouched). */

export function validationProblem(error: z.ZodError, channel: string): Problem {
  const errors = fieldErrors(error);
  return {
    type: problemTypes.validation,
    title: 'Invalid input',
    status: 422,
    detail: `The input of ${channel} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`,
    errors,
  };
}

export function networkProblem(detail: string): Problem {
  return { type: problemTypes.network, title: 'Server unreachable', status: 503, detail };
}

export function unauthenticatedProblem(detail: string): Problem {
  return { type: problemTypes.unauthenticated, title: 'Not signed in', status: 401, detail };
}

export function forbiddenProblem(detail: string): Problem {
  return { type: problemTypes.forbidden, title: 'Forbidden', status: 403, detail };
}

export function internalProblem(detail: string): Problem {
  return { type: problemTypes.internal, title: 'Internal error', status: 500, detail };
}

/** Anything thrown becomes a Problem: a ProblemError keeps its own, anything else is internal. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  const message = error instanceof Error ? error.message : String(error);
  return internalProblem(`The desktop host failed unexpectedly: ${message}`);
}
