import { z } from 'zod';
import { sessionSchema, type ChangePasswordInput } from '../../../shared/accounts/auth.ts';
import { passwordResetRequestedSchema } from '../../../shared/accounts/email-links.ts';
import { userSchema, type UpdateProfileInput } from '../../../shared/accounts/user.ts';
import { api } from './api.ts';
import { setUser } from './session-store.ts';

/** The account endpoints of `/api/v1/auth`, each answer checked against the shared schema. */

export async function refreshCurrentUser() {
  const user = await api.json('GET', '/auth/me', userSchema);
  setUser(user);
  return user;
}

export async function updateProfile(input: UpdateProfileInput) {
  const user = await api.json('PATCH', '/auth/me', userSchema, input);
  setUser(user);
  return user;
}

/** Also signs out every other device of this account (the server revokes their sessions). */
export function changePassword(input: ChangePasswordInput) {
  return api.send('POST', '/auth/password', input);
}

/** Mails a new verification link; the earlier ones stop working. */
export function resendVerificationEmail() {
  return api.send('POST', '/auth/verify-email/resend');
}

/** The same answer whether or not the address has an account (the server says so in words). */
export function requestPasswordReset(email: string) {
  return api.json('POST', '/auth/password-reset/request', passwordResetRequestedSchema, { email });
}

export function listSessions() {
  return api.json('GET', '/auth/sessions', z.array(sessionSchema));
}

export function revokeSession(id: string) {
  return api.send('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
}

export function revokeOtherSessions() {
  return api.json('POST', '/auth/sessions/revoke-others', z.object({ revoked: z.int() }));
}
