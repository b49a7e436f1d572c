import { z } from 'zod';
import {
  authResultSchema,
  changePasswordInputSchema,
  loginInputSchema,
  logoutInputSchema,
  refreshInputSchema,
  registerInputSchema,
  sessionIdParamsSchema,
  sessionSchema,
  tokenPairSchema,
} from '../../shared/accounts/auth.ts';
import { twoFactorChallengeSchema } from '../../shared/accounts/two-factor.ts';
import { updateProfileInputSchema, userSchema } from '../../shared/accounts/user.ts';
import { problems } from '../http/problem.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import type { AccountService } from './accounts.ts';
import type { SessionService } from './sessions.ts';

const tags = ['Accounts'];

export function accountRoutes(accounts: AccountService, sessions: SessionService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/register',
      summary: 'Create an account and sign in',
      tags,
      auth: false,
      body: registerInputSchema,
      responses: { 201: { description: 'Signed up', schema: authResultSchema } },
      handle: async ({ body, meta }) => ({
        status: 201,
        body: await accounts.register(body, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with email and password',
      tags,
      auth: false,
      body: loginInputSchema,
      responses: {
        200: {
          description: 'Signed in, or (two-factor accounts) a challenge for POST /auth/login/2fa',
          schema: z.union([authResultSchema, twoFactorChallengeSchema]),
        },
      },
      handle: async ({ body, meta }) => ({ status: 200, body: await accounts.login(body, meta) }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      summary: 'Trade a refresh token for new tokens (the presented one is spent)',
      tags,
      auth: false,
      body: refreshInputSchema,
      responses: { 200: { description: 'New token pair', schema: tokenPairSchema } },
      handle: async ({ body, meta }) => ({
        status: 200,
        body: await sessions.refresh(body.refreshToken, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out this session (by access token, or by refresh token when it expired)',
      tags,
      auth: 'optional',
      body: logoutInputSchema,
      responses: { 204: { description: 'Signed out' } },
      handle: async ({ auth, body, meta }) => {
        if (auth) await sessions.revoke(auth, auth.sessionId, meta);
        else if (body.refreshToken) await sessions.revokeByRefreshToken(body.refreshToken, meta);
        else throw problems.unauthenticated();
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/auth/me',
      summary: 'The signed-in user',
      tags,
      auth: true,
      responses: { 200: { description: 'The user', schema: userSchema } },
      handle: async ({ auth }) => ({ status: 200, body: await accounts.me(auth) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/auth/me',
      summary: 'Update the profile of the signed-in user',
      tags,
      auth: true,
      body: updateProfileInputSchema,
      responses: { 200: { description: 'The updated user', schema: userSchema } },
      handle: async ({ auth, body, meta }) => ({
        status: 200,
        body: await accounts.updateProfile(auth, body, meta),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/password',
      summary: 'Change the password; every other session is signed out',
      tags,
      auth: true,
      body: changePasswordInputSchema,
      responses: { 204: { description: 'Password changed' } },
      handle: async ({ auth, body, meta }) => {
        await accounts.changePassword(auth, body, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/auth/sessions',
      summary: 'The active sessions of the signed-in user',
      tags,
      auth: true,
      responses: {
        200: { description: 'Sessions, most recently seen first', schema: z.array(sessionSchema) },
      },
      handle: async ({ auth }) => ({ status: 200, body: await sessions.list(auth) }),
    }),
    defineRoute({
      method: 'delete',
      path: '/auth/sessions/:id',
      summary: 'Revoke one session of the signed-in user',
      tags,
      auth: true,
      params: sessionIdParamsSchema,
      responses: { 204: { description: 'Revoked' } },
      handle: async ({ auth, params, meta }) => {
        await sessions.revoke(auth, params.id, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/sessions/revoke-others',
      summary: 'Revoke every session of the signed-in user but this one',
      tags,
      auth: true,
      responses: {
        200: { description: 'How many were revoked', schema: z.object({ revoked: z.int() }) },
      },
      handle: async ({ auth, meta }) => ({
        status: 200,
        body: { revoked: await sessions.revokeOthers(auth, meta) },
      }),
    }),
  ];
}
