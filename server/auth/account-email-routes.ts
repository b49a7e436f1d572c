import {
  passwordResetInputSchema,
  passwordResetRequestInputSchema,
  passwordResetRequestedSchema,
  verifyEmailInputSchema,
} from '../../shared/accounts/email-links.ts';
import { userSchema } from '../../shared/accounts/user.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import type { AccountEmailService } from './account-email.ts';

const tags = ['Accounts'];

export function accountEmailRoutes(service: AccountEmailService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/verify-email',
      summary: 'Verify the email address with the token from the mailed link',
      tags,
      auth: false,
      body: verifyEmailInputSchema,
      responses: { 200: { description: 'Verified; the user', schema: userSchema } },
      handle: async ({ body, meta }) => ({
        status: 200,
        body: await service.verifyEmail(body.token, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/verify-email/resend',
      summary: 'Mail a new verification link (earlier links stop working)',
      tags,
      auth: true,
      responses: { 202: { description: 'A new link is on its way' } },
      handle: async ({ auth, meta }) => {
        await service.resendVerification(auth, meta);
        return { status: 202 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/password-reset/request',
      summary: 'Mail a password reset link (the same answer whether or not the address is known)',
      tags,
      auth: false,
      body: passwordResetRequestInputSchema,
      responses: {
        202: { description: 'Accepted', schema: passwordResetRequestedSchema },
      },
      handle: async ({ body, meta }) => ({
        status: 202,
        body: await service.requestPasswordReset(body.email, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/password-reset',
      summary: 'Set a new password with the token from the mailed link; signs out every session',
      tags,
      auth: false,
      body: passwordResetInputSchema,
      responses: { 204: { description: 'Password reset' } },
      handle: async ({ body, meta }) => {
        await service.resetPassword(body.token, body.newPassword, meta);
        return { status: 204 };
      },
    }),
  ];
}
