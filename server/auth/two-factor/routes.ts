import { authResultSchema } from '../../../shared/accounts/auth.ts';
import {
  backupCodesSchema,
  secondStepInputSchema,
  disableTwoFactorInputSchema,
  twoFactorCodeInputSchema,
  twoFactorSetupSchema,
  twoFactorStatusSchema,
} from '../../../shared/accounts/two-factor.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { TwoFactorService } from './two-factor-service.ts';

const tags = ['Two-factor authentication'];

/** Enrolment and management; the sign-in step itself is `POST /auth/login/2fa`. */
export function twoFactorRoutes(twoFactor: TwoFactorService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login/2fa',
      summary: 'Second sign-in step: the challenge token from /auth/login and a code',
      tags,
      // The challenge token is the credential here, in the body: never a bearer token.
      auth: false,
      body: secondStepInputSchema,
      responses: { 200: { description: 'Signed in', schema: authResultSchema } },
      handle: async ({ body, meta }) => ({
        status: 200,
        body: await twoFactor.completeSignIn(body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/auth/2fa',
      summary: 'Whether two-factor authentication is on, and how many backup codes are left',
      tags,
      auth: true,
      responses: { 200: { description: 'The status', schema: twoFactorStatusSchema } },
      handle: async ({ auth }) => ({ status: 200, body: await twoFactor.status(auth) }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/2fa/setup',
      summary: 'Issue a TOTP secret (with QR code); it takes effect only once confirmed',
      tags,
      auth: true,
      responses: { 200: { description: 'The pending secret', schema: twoFactorSetupSchema } },
      handle: async ({ auth, meta }) => ({ status: 200, body: await twoFactor.setup(auth, meta) }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/2fa/confirm',
      summary: 'Turn two-factor authentication on with a code; answers ten backup codes, once',
      tags,
      auth: true,
      body: twoFactorCodeInputSchema,
      responses: { 200: { description: 'Turned on', schema: backupCodesSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 200,
        body: await twoFactor.confirm(auth, body.code, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/2fa/backup-codes/regenerate',
      summary: 'Replace every backup code by ten new ones (needs a current code)',
      tags,
      auth: true,
      body: twoFactorCodeInputSchema,
      responses: { 200: { description: 'The new codes, shown once', schema: backupCodesSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 200,
        body: await twoFactor.regenerateBackupCodes(auth, body.code, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/2fa/disable',
      summary: 'Turn two-factor authentication off (needs the password and a code)',
      tags,
      auth: true,
      body: disableTwoFactorInputSchema,
      responses: { 204: { description: 'Turned off' } },
      handle: async ({ auth, body, meta }) => {
        await twoFactor.disable(auth, body, meta);
        return { status: 204 };
      },
    }),
  ];
}
