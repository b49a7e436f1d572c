import { randomUUID } from 'node:crypto';
import type { AuthResult } from '../../shared/accounts/auth.ts';
import type { WireDocument } from '../../shared/sync/documents.ts';
import { client } from './http.ts';

/** Builders for synced documents as a device would create them. */
export interface Person {
  id: string;
  name: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

let counter = 0;

export async function signUp(baseUrl: string, name: string): Promise<Person> {
  counter += 1;
  const email = `${name.toLowerCase()}-${Date.now()}-${counter}@example.com`;
  const answer = await client(baseUrl).post<AuthResult>('/auth/register', {
    json: { email, password: 'a long enough password', name, role: 'freelancer' },
  });
  if (answer.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(answer.body)}`);
  return {
    id: answer.body.user.id,
    name,
    email,
    accessToken: answer.body.accessToken,
    refreshToken: answer.body.refreshToken,
  };
}

export const now = () => new Date().toISOString();

export function conversationBetween(
  creator: Person,
  ...others: Person[]
): WireDocument<'conversations'> {
  const at = now();
  return {
    id: randomUUID(),
    updatedAt: at,
    kind: others.length > 1 ? 'group' : 'direct',
    title: null,
    participants: [creator, ...others].map((p) => ({ id: p.id, name: p.name })),
    contractId: null,
    projectId: null,
    createdBy: creator.id,
    createdAt: at,
    _deleted: false,
  };
}

export function messageIn(
  conversation: { id: string },
  sender: Person,
  body: string,
  extra: Partial<WireDocument<'messages'>> = {},
): WireDocument<'messages'> {
  const at = now();
  return {
    id: randomUUID(),
    updatedAt: at,
    conversationId: conversation.id,
    senderId: sender.id,
    body,
    attachments: [],
    sentAt: at,
    editedAt: null,
    receipts: {},
    _deleted: false,
    ...extra,
  };
}

export function settingsOf(
  person: Person,
  extra: Partial<WireDocument<'settings'>> = {},
): WireDocument<'settings'> {
  return {
    id: person.id,
    updatedAt: now(),
    theme: 'auto',
    locale: 'en-GB',
    weekStartsOn: 1,
    desktopNotifications: true,
    notificationSound: false,
    _deleted: false,
    ...extra,
  };
}
