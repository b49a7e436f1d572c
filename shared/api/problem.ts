import { z } from 'zod';

/**
 * RFC 9457 problem details: the one error envelope of the whole API.
 * `type` is a URN per kind of problem so clients can branch on it without parsing prose.
 */
export const problemTypes = {
  malformedJson: 'urn:megilance:problem:malformed-json',
  unsupportedMediaType: 'urn:megilance:problem:unsupported-media-type',
  payloadTooLarge: 'urn:megilance:problem:payload-too-large',
  validation: 'urn:megilance:problem:validation',
  notFound: 'urn:megilance:problem:not-found',
  emailTaken: 'urn:megilance:problem:email-taken',
  invalidCredentials: 'urn:megilance:problem:invalid-credentials',
  unauthenticated: 'urn:megilance:problem:unauthenticated',
  tokenExpired: 'urn:megilance:problem:token-expired',
  tokenInvalid: 'urn:megilance:problem:token-invalid',
  sessionRevoked: 'urn:megilance:problem:session-revoked',
  refreshTokenReused: 'urn:megilance:problem:refresh-token-reused',
  /** A wrong or expired second-factor code (TOTP or backup code). */
  twoFactorCodeInvalid: 'urn:megilance:problem:two-factor-code-invalid',
  /** A TOTP code whose time step was already used by this account: a replay (401). */
  twoFactorCodeReused: 'urn:megilance:problem:two-factor-code-reused',
  /** A sign-in challenge token that is unknown, expired, spent or out of tries: sign in again. */
  twoFactorChallengeInvalid: 'urn:megilance:problem:two-factor-challenge-invalid',
  /** An emailed link's token (verification, password reset) unknown, used or expired (400). */
  accountTokenInvalid: 'urn:megilance:problem:account-token-invalid',
  /** Proposals and money need a confirmed email address first (403). */
  emailNotVerified: 'urn:megilance:problem:email-not-verified',
  forbidden: 'urn:megilance:problem:forbidden',
  /** A status change the lifecycle does not allow; `allowed` lists the ones it does. */
  invalidTransition: 'urn:megilance:problem:invalid-transition',
  /** A write that conflicts with what exists (a taken slug, a closed project). */
  conflict: 'urn:megilance:problem:conflict',
  /** A sync push that depends on a document still on its way: retry shortly, nothing is lost. */
  syncPending: 'urn:megilance:problem:sync-pending',
  /** A live socket already watches as many projects as it may (`MAX_WATCHED_PROJECTS`). */
  watchLimit: 'urn:megilance:problem:watch-limit',
  /** A money command without a usable `Idempotency-Key` header (400). */
  idempotencyKeyRequired: 'urn:megilance:problem:idempotency-key-required',
  /** An `Idempotency-Key` reused for a different request (422). */
  idempotencyKeyReused: 'urn:megilance:problem:idempotency-key-reused',
  /** The first request with this `Idempotency-Key` is still running: retry shortly (409). */
  idempotencyInProgress: 'urn:megilance:problem:idempotency-in-progress',
  /** The payment provider declined or failed the charge (402); the detail says why. */
  paymentFailed: 'urn:megilance:problem:payment-failed',
  /** The ledger refused a movement (insufficient balance, unbalanced, currency mismatch). */
  ledgerRefused: 'urn:megilance:problem:ledger-refused',
  /** A webhook whose signature is missing or does not verify (400); nothing was recorded. */
  webhookSignature: 'urn:megilance:problem:webhook-signature',
  /** Too many requests in a window (429); `Retry-After` and the detail say when to retry. */
  rateLimited: 'urn:megilance:problem:rate-limited',
  /** A new password zxcvbn scores below 3 (422); `warning` and `suggestions` say why. */
  weakPassword: 'urn:megilance:problem:weak-password',
  /** A new password equal to one of the last five of this account (422). */
  passwordReused: 'urn:megilance:problem:password-reused',
  unavailable: 'urn:megilance:problem:unavailable',
  network: 'urn:megilance:problem:network',
  internal: 'urn:megilance:problem:internal',
} as const;

export type ProblemType = (typeof problemTypes)[keyof typeof problemTypes];

export const fieldErrorSchema = z.object({
  /** RFC 6901 JSON pointer into the request body or query, e.g. `/email`. */
  pointer: z.string(),
  detail: z.string(),
});

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(fieldErrorSchema).optional(),
    /** On an invalid transition: the statuses that may follow the current one. */
    allowed: z.array(z.string()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type Problem = z.infer<typeof problemSchema>;
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const problemContentType = 'application/problem+json';

/** Thrown on the client side when a call answered with a problem, so callers can branch on `type`. */
export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
  }
}
