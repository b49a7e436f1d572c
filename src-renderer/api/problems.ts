import {
  ProblemError,
  problemSchema,
  problemTypes,
  type FieldError,
  type Problem,
} from '../../shared/api/problem.ts';

/**
 * What we tell a person for each kind of problem. The server's own `detail` is written for
 * developers as much as for users, so the kinds a person can meet in normal use get our words.
 */
const readableByType: Partial<Record<string, string>> = {
  [problemTypes.invalidCredentials]: 'Email or password is incorrect.',
  [problemTypes.emailTaken]: 'An account with this email already exists. Sign in instead?',
  [problemTypes.network]: 'Cannot reach the MegiLance server. Check your connection and try again.',
  [problemTypes.unavailable]: 'The MegiLance server is busy or down for a moment. Try again soon.',
  [problemTypes.tokenExpired]: 'Your session expired. Sign in again to continue.',
  [problemTypes.tokenInvalid]: 'Your session is no longer valid. Sign in again to continue.',
  [problemTypes.sessionRevoked]: 'This device was signed out. Sign in again to continue.',
  [problemTypes.refreshTokenReused]:
    'For your safety this session was ended because its sign-in was used twice. Sign in again.',
  [problemTypes.unauthenticated]: 'You are signed out. Sign in to continue.',
  [problemTypes.forbidden]: 'Your account is not allowed to do that.',
  [problemTypes.notFound]: 'That no longer exists. It may have been removed on another device.',
  [problemTypes.internal]: 'Something went wrong on our side. Try again in a moment.',
  [problemTypes.idempotencyInProgress]:
    'This payment request is still being processed. Wait a moment and look again before retrying.',
  [problemTypes.emailNotVerified]:
    'Confirm your email address first: open the link we emailed you, or use “Resend email” in the banner at the top.',
  [problemTypes.accountTokenInvalid]:
    'This link is no longer valid: it was used, replaced by a newer one or expired. Ask for a new one.',
  [problemTypes.passwordReused]:
    'You used this password recently. Choose one that is not among your last five.',
};

/** Problems that mean the person is no longer signed in (as opposed to a wrong password). */
export const signedOutProblemTypes: ReadonlySet<string> = new Set([
  problemTypes.tokenExpired,
  problemTypes.tokenInvalid,
  problemTypes.sessionRevoked,
  problemTypes.refreshTokenReused,
  problemTypes.unauthenticated,
]);

export function readableProblem(problem: Problem): string {
  if (problem.type === problemTypes.validation) {
    const first = problem.errors?.[0];
    if (first && problem.errors?.length === 1) return `${fieldLabel(first)} ${first.detail}.`;
    return 'Some fields need attention.';
  }
  // A network problem's own detail names the server and the cause (refused, timed out).
  if (problem.type === problemTypes.network && problem.detail) return problem.detail;
  // Too many attempts: the detail says what ran out and how many seconds to wait.
  if (problem.type === problemTypes.rateLimited) {
    return problem.detail ?? 'Too many attempts in a short time. Wait a minute and try again.';
  }
  // A weak password: the detail carries zxcvbn's advice on what to change.
  if (problem.type === problemTypes.weakPassword) {
    return problem.detail ?? 'This password is too easy to guess. Add another uncommon word.';
  }
  return readableByType[problem.type] ?? problem.detail ?? problem.title;
}

/** A readable sentence for anything a call can throw. */
export function readableError(error: unknown): string {
  if (error instanceof ProblemError) return readableProblem(error.problem);
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * A refused status move in words: the reason, then the moves the server's 409 says are
 * allowed now (someone moved first), each by its label, or `noneAllowed` when there are none.
 */
export function refusedMoveText(
  error: unknown,
  labels: Readonly<Record<string, string>>,
  noneAllowed: string,
): string {
  const allowed = error instanceof ProblemError ? error.problem.allowed : undefined;
  if (!allowed) return readableError(error);
  const moves = allowed.map((status) => labels[status] ?? status).join(', ');
  return `${readableError(error)} Allowed now: ${moves || noneAllowed}.`;
}

/** `/hourlyRate/amountMinor` → `hourlyRate`: the form field a pointer is about. */
export function fieldOfPointer(pointer: string): string {
  return pointer.split('/').filter(Boolean)[0] ?? '';
}

function fieldLabel(error: FieldError): string {
  const field = fieldOfPointer(error.pointer);
  if (!field) return 'The request';
  const words = field.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Reads a problem body defensively: anything unexpected becomes a generic problem of that status. */
export async function problemFromResponse(response: Response): Promise<Problem> {
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall through to the generic problem.
  }
  const parsed = problemSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const unavailable = response.status === 502 || response.status === 503 || response.status === 504;
  return {
    type: unavailable ? problemTypes.unavailable : problemTypes.internal,
    title: `The server answered ${response.status} ${response.statusText}`.trim(),
    status: response.status,
  };
}
