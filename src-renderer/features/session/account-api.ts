import { z } from 'zod';
import { sessionSchema, type ChangePasswordInput } from '../../../shared/accounts/auth.ts';
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

export function listSessions() {
  return api.json('GET', '/auth/sessions', z.array(sessionSchema));
}

export function revokeSession(id: string) {
  return api.send('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
}

export function revokeOtherSessions() {
  return api.json('POST', '/auth/sessions/revoke-others', z.object({ revoked: z.int() }));
}
