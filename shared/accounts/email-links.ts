import { z } from 'zod';
import { emailSchema, passwordSchema } from './user.ts';

/** The token of an emailed link, as it appears in the link (base64url of 32 bytes). */
export const emailLinkTokenSchema = z
  .string()
  .trim()
  .min(20, 'must be the token from the link')
  .max(200, 'must be the token from the link');

export const verifyEmailInputSchema = z
  .object({ token: emailLinkTokenSchema })
  .meta({ id: 'VerifyEmailInput' });

export const passwordResetRequestInputSchema = z
  .object({ email: emailSchema })
  .meta({ id: 'PasswordResetRequestInput' });

export const passwordResetInputSchema = z
  .object({ token: emailLinkTokenSchema, newPassword: passwordSchema })
  .meta({ id: 'PasswordResetInput' });

/** The one answer to a reset request, whether or not the address has an account. */
export const passwordResetRequestedSchema = z
  .object({ message: z.string() })
  .meta({ id: 'PasswordResetRequested' });

export const passwordResetRequestedMessage =
  'If an account uses this address, a link to reset its password is on its way.';
