import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import {
  emailSchema,
  passwordSchema,
  personNameSchema,
  signUpRoleSchema,
  userSchema,
} from './user.ts';

export const deviceNameSchema = z.string().trim().min(1).max(100);

export const registerInputSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    name: personNameSchema,
    role: signUpRoleSchema,
    deviceName: deviceNameSchema.optional(),
  })
  .meta({ id: 'RegisterInput' });

export const loginInputSchema = z
  .object({
    email: emailSchema,
    // Not the sign-up rules: an old password that predates them must still be able to sign in.
    password: z.string().min(1, 'must not be empty').max(200),
    deviceName: deviceNameSchema.optional(),
  })
  .meta({ id: 'LoginInput' });

export const refreshInputSchema = z
  .object({ refreshToken: z.string().min(1).max(200) })
  .meta({ id: 'RefreshInput' });

export const logoutInputSchema = z
  .object({ refreshToken: z.string().min(1).max(200).optional() })
  .meta({ id: 'LogoutInput' });

export const changePasswordInputSchema = z
  .object({
    currentPassword: z.string().min(1, 'must not be empty').max(200),
    newPassword: passwordSchema,
  })
  .meta({ id: 'ChangePasswordInput' });

export const tokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    /** Seconds until the access token expires. */
    expiresIn: z.int(),
  })
  .meta({ id: 'TokenPair' });

export const authResultSchema = tokenPairSchema
  .extend({ user: userSchema })
  .meta({ id: 'AuthResult' });

export const sessionSchema = z
  .object({
    id: z.uuid(),
    deviceName: z.string(),
    userAgent: z.string().nullable(),
    ipAddress: z.string().nullable(),
    createdAt: instantSchema,
    lastSeenAt: instantSchema,
    current: z.boolean(),
  })
  .meta({ id: 'Session' });

export const sessionIdParamsSchema = z.object({ id: z.uuid() });

export type RegisterInput = z.infer<typeof registerInputSchema>;
export type LoginInput = z.infer<typeof loginInputSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordInputSchema>;
export type TokenPair = z.infer<typeof tokenPairSchema>;
export type AuthResult = z.infer<typeof authResultSchema>;
export type Session = z.infer<typeof sessionSchema>;
