import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { deviceNameSchema } from './auth.ts';

/**
 * Two-factor authentication: TOTP (RFC 6238, 6 digits, 30 s) plus single-use backup codes.
 * One schema per payload, shared by the server, the OpenAPI document, the app and the tests.
 */

/** What an authenticator app shows; spaces (as some apps group the digits) are dropped. */
export const totpCodeSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be the 6-digit code from your authenticator app'));

/** Backup codes are 12 base32 letters in groups of four; case, spaces and dashes are forgiven. */
export const backupCodeSchema = z
  .string()
  .max(40)
  .transform((value) => value.replace(/[\s-]+/g, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z2-7]{12}$/, 'must be one of your backup codes (xxxx-xxxx-xxxx)'));

export const twoFactorMethodSchema = z.enum(['totp', 'backup_code']);

export const twoFactorStatusSchema = z
  .object({
    enabled: z.boolean(),
    /** A secret was issued by setup and awaits its confirming code. */
    pending: z.boolean(),
    enabledAt: instantSchema.nullable(),
    backupCodesLeft: z.int().min(0),
  })
  .meta({ id: 'TwoFactorStatus' });

export const twoFactorSetupSchema = z
  .object({
    /** Base32, for typing into an authenticator app by hand. */
    secret: z.string(),
    otpauthUri: z.string(),
    /** The otpauth URI as a PNG QR code (`data:image/png;base64,…`). */
    qrCodeDataUrl: z.string(),
  })
  .meta({ id: 'TwoFactorSetup' });

export const twoFactorCodeInputSchema = z
  .object({ code: totpCodeSchema })
  .meta({ id: 'TwoFactorCodeInput' });

export const backupCodesSchema = z
  .object({
    /** Shown once: only their hashes are kept. */
    backupCodes: z.array(z.string()).length(10),
  })
  .meta({ id: 'BackupCodes' });

/** Exactly one of a current code or a backup code. */
const oneSecondFactor = <T extends { code?: string; backupCode?: string }>(value: T) =>
  (value.code === undefined) !== (value.backupCode === undefined);
const oneSecondFactorError = {
  message: 'send either `code` (authenticator app) or `backupCode`, not both',
  path: ['code'],
};

export const disableTwoFactorInputSchema = z
  .object({
    password: z.string().min(1, 'must not be empty').max(200),
    code: totpCodeSchema.optional(),
    backupCode: backupCodeSchema.optional(),
  })
  .refine(oneSecondFactor, oneSecondFactorError)
  .meta({ id: 'DisableTwoFactorInput' });

/** The answer to a correct password when the account has two-factor authentication on. */
export const twoFactorChallengeSchema = z
  .object({
    twoFactorRequired: z.literal(true),
    /** Good only for `POST /auth/login/2fa`, once, for `expiresIn` seconds. */
    challengeToken: z.string(),
    methods: z.array(twoFactorMethodSchema),
    expiresIn: z.int(),
  })
  .meta({ id: 'TwoFactorChallenge' });

const secondStepFields = z.object({
  challengeToken: z.string().min(1).max(200),
  code: totpCodeSchema.optional(),
  backupCode: backupCodeSchema.optional(),
});

/** What the person supplies at the second step (the desktop host adds its device name). */
export const secondStepCodeSchema = secondStepFields
  .refine(oneSecondFactor, oneSecondFactorError)
  .meta({ id: 'SecondStepCode' });

export const secondStepInputSchema = secondStepFields
  .extend({ deviceName: deviceNameSchema.optional() })
  .refine(oneSecondFactor, oneSecondFactorError)
  .meta({ id: 'SecondStepInput' });

export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;
export type TwoFactorSetup = z.infer<typeof twoFactorSetupSchema>;
export type BackupCodes = z.infer<typeof backupCodesSchema>;
export type DisableTwoFactorInput = z.infer<typeof disableTwoFactorInputSchema>;
export type TwoFactorChallenge = z.infer<typeof twoFactorChallengeSchema>;
export type SecondStepInput = z.infer<typeof secondStepInputSchema>;
export type SecondStepCode = z.input<typeof secondStepCodeSchema>;
