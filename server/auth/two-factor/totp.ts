import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP per RFC 6238 through otplib: HMAC-SHA-1, 30-second steps from the Unix epoch. The
 * product issues 6-digit codes; the digit count is a parameter so the RFC's 8-digit test
 * vectors run through this same module.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one: a phone clock a little off still works. */
export const TOTP_WINDOW_STEPS = 1;

type Digits = 6 | 7 | 8;

/** A new secret of 20 random bytes (the RFC 4226 recommended length), base32 encoded. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpStep(epochSeconds: number): number {
  return Math.floor(epochSeconds / TOTP_PERIOD_SECONDS);
}

/** The code for the step containing `epochSeconds`; `secret` is base32, or raw bytes. */
export function totpCode(
  secret: string | Uint8Array,
  epochSeconds: number,
  digits: Digits = TOTP_DIGITS,
): Promise<string> {
  return generate({
    secret,
    epoch: epochSeconds,
    digits,
    period: TOTP_PERIOD_SECONDS,
    algorithm: 'sha1',
  });
}

export type TotpCheck = { valid: true; step: number } | { valid: false };

/**
 * Whether `code` belongs to the current step or one within `windowSteps` of it, and which.
 * The caller decides about replays: a step must be newer than the last one accepted.
 */
export async function checkTotp(
  secret: string,
  code: string,
  epochSeconds: number,
  windowSteps: number = TOTP_WINDOW_STEPS,
): Promise<TotpCheck> {
  // otplib's tolerance is in seconds around `epoch`; from the start of the current step,
  // ±windowSteps periods covers exactly the steps either side and no further.
  const stepStart = totpStep(epochSeconds) * TOTP_PERIOD_SECONDS;
  const result = await verify({
    secret,
    token: code,
    epoch: stepStart,
    epochTolerance: windowSteps * TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    algorithm: 'sha1',
  });
  return result.valid
    ? { valid: true, step: totpStep(stepStart) + result.delta }
    : { valid: false };
}

/** The `otpauth://` URI authenticator apps read from the QR code. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return generateURI({
    issuer,
    label: account,
    secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}
