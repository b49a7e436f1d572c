import type {
  ConversationDocument,
  MessageDocument,
  Participant,
  Receipt,
} from '../../../shared/sync/documents.ts';

/**
 * The rules of the Messages screen as plain functions over synced documents: who a
 * conversation is with, what counts as unread, which receipt a bubble shows, where the day
 * separators go. No React, no RxDB, so they read (and test) on their own.
 */

/** The people in a conversation other than me; everyone if I am somehow not in it. */
export function otherParticipants(
  conversation: Pick<ConversationDocument, 'participants'>,
  me: string,
): Participant[] {
  const others = conversation.participants.filter((participant) => participant.id !== me);
  return others.length > 0 ? others : conversation.participants;
}

/** Its own title, else the names of the others: "Grace Hopper", "Grace Hopper, Alan Turing". */
export function conversationTitle(
  conversation: Pick<ConversationDocument, 'participants' | 'title'>,
  me: string,
): string {
  if (conversation.title) return conversation.title;
  return otherParticipants(conversation, me)
    .map((participant) => participant.name)
    .join(', ');
}

export function participantName(
  conversation: Pick<ConversationDocument, 'participants'> | undefined,
  userId: string,
): string {
  return conversation?.participants.find((participant) => participant.id === userId)?.name ?? '';
}

/** A message from someone else that I have not read on any of my devices. */
export function isUnreadBy(message: Pick<MessageDocument, 'senderId' | 'receipts'>, me: string) {
  return message.senderId !== me && !message.receipts[me]?.readAt;
}

/** A message from someone else that has not yet been marked as reaching any of my devices. */
export function isUndeliveredTo(
  message: Pick<MessageDocument, 'senderId' | 'receipts'>,
  me: string,
) {
  return message.senderId !== me && !message.receipts[me]?.deliveredAt;
}

/** Unread messages per conversation id. */
export function unreadCounts(
  messages: readonly Pick<MessageDocument, 'conversationId' | 'senderId' | 'receipts'>[],
  me: string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (!isUnreadBy(message, me)) continue;
    counts.set(message.conversationId, (counts.get(message.conversationId) ?? 0) + 1);
  }
  return counts;
}

/**
 * My receipt entry after this device has the message (and, with `read`, showed it): receipts
 * only move forward, and only my own entry is ever written (the server refuses the others).
 */
export function myReceiptAfter(
  current: Receipt | undefined,
  now: string,
  read: boolean,
): Receipt | null {
  const deliveredAt = current?.deliveredAt ?? now;
  const readAt = current?.readAt ?? (read ? now : null);
  if (current && current.deliveredAt === deliveredAt && current.readAt === readAt) return null;
  return { deliveredAt, readAt };
}

/**
 * What one of my own messages shows. Pending and failed come from the sync engine (still in
 * this device's outbox, or refused); the rest from the recipients' receipts: read as soon as
 * anyone read it, delivered as soon as it reached any of their devices.
 */
export type OwnMessageStatus =
  | { kind: 'pending' }
  | { kind: 'failed'; reason: string }
  | { kind: 'sent' }
  | { kind: 'delivered' }
  | { kind: 'read' };

export function ownMessageStatus(
  message: Pick<MessageDocument, 'id' | 'senderId' | 'receipts'>,
  pendingIds: ReadonlySet<string>,
  failed: ReadonlyMap<string, string>,
): OwnMessageStatus {
  const reason = failed.get(message.id);
  if (reason !== undefined) return { kind: 'failed', reason };
  if (pendingIds.has(message.id)) return { kind: 'pending' };
  const receipts = Object.entries(message.receipts)
    .filter(([userId]) => userId !== message.senderId)
    .map(([, receipt]) => receipt);
  if (receipts.some((receipt) => receipt.readAt)) return { kind: 'read' };
  if (receipts.some((receipt) => receipt.deliveredAt)) return { kind: 'delivered' };
  return { kind: 'sent' };
}

export const ownStatusLabels: Record<OwnMessageStatus['kind'], string> = {
  pending: 'Waiting to send',
  failed: 'Not sent',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

/** The longest text a message may carry (the documents' schema says the same). */
export const maxMessageLength = 10_000;

/** Why this text cannot replace a message's body, or null when it can. */
export function editProblem(
  body: string,
  message: Pick<MessageDocument, 'attachments'>,
): string | null {
  if (body.trim().length === 0 && message.attachments.length === 0) {
    return 'A message needs some text. To take it back, delete it instead.';
  }
  if (body.length > maxMessageLength) {
    return `A message can hold up to ${maxMessageLength.toLocaleString()} characters.`;
  }
  return null;
}

/**
 * What an edit of my message writes: the new text, stamped as edited now, or null when the
 * text did not change (nothing to write, nothing to sync). The edit time never goes back
 * behind the message's last one, so an edit made here always counts as later than the one it
 * replaced, even on a clock that was set back (concurrent edits merge by it).
 */
export function editedFields(
  message: Pick<MessageDocument, 'body' | 'editedAt' | 'updatedAt'>,
  body: string,
  now: string,
): Pick<MessageDocument, 'body' | 'editedAt' | 'updatedAt'> | null {
  const text = body.trim();
  if (text === message.body) return null;
  const editedAt = afterBoth(now, message.editedAt);
  return { body: text, editedAt, updatedAt: afterBoth(editedAt, message.updatedAt) };
}

/** `now`, or a millisecond after `previous` when the clock says otherwise. */
function afterBoth(now: string, previous: string | null): string {
  if (previous === null || now > previous) return now;
  return new Date(Date.parse(previous) + 1).toISOString();
}

/** Messages in the order people expect to read them: when they were written, then by id. */
export function byTimeSent(
  a: Pick<MessageDocument, 'sentAt' | 'id'>,
  b: Pick<MessageDocument, 'sentAt' | 'id'>,
): number {
  return a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id);
}

export type ThreadItem<M> =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'message'; key: string; message: M; firstOfRun: boolean };

/**
 * The thread as it is drawn: a separator before each new local day, and each message marked
 * when it starts a run (a new sender, or more than five minutes after the previous one).
 */
export function threadItems<M extends Pick<MessageDocument, 'id' | 'senderId' | 'sentAt'>>(
  messages: readonly M[],
  dayLabel: (iso: string) => string = formatDay,
): ThreadItem<M>[] {
  const items: ThreadItem<M>[] = [];
  let previous: M | undefined;
  for (const message of messages) {
    const day = localDayKey(message.sentAt);
    const newDay = !previous || localDayKey(previous.sentAt) !== day;
    if (newDay) items.push({ kind: 'day', key: `day-${day}`, label: dayLabel(message.sentAt) });
    const firstOfRun =
      newDay ||
      !previous ||
      previous.senderId !== message.senderId ||
      Date.parse(message.sentAt) - Date.parse(previous.sentAt) > 5 * 60_000;
    items.push({ kind: 'message', key: message.id, message, firstOfRun });
    previous = message;
  }
  return items;
}

function localDayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

const weekdayAndDate = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

/** "Today", "Yesterday", "Monday 17 November", "3 March 2025". */
export function formatDay(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const days = Math.round(
    (startOfDay(now).getTime() - startOfDay(date).getTime()) / (24 * 3600_000),
  );
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return weekdayAndDate.format(date);
  return date.getFullYear() === now.getFullYear()
    ? weekdayAndDate.format(date)
    : fullDate.format(date);
}

/** "14:05" today, "12 Nov" before: for the conversation list. */
export function formatListTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return startOfDay(date).getTime() === startOfDay(now).getTime()
    ? timeOnly.format(date)
    : shortDate.format(date);
}

export function formatTime(iso: string): string {
  return timeOnly.format(new Date(iso));
}

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** What a conversation list shows for a message: its text, else what is attached. */
export function messagePreview(
  message: Pick<MessageDocument, 'body' | 'attachments' | 'senderId'>,
  me: string,
): string {
  const text = message.body.trim().replace(/\s+/g, ' ');
  const attached =
    message.attachments.length === 1
      ? `📎 ${message.attachments[0]?.name ?? 'file'}`
      : message.attachments.length > 1
        ? `📎 ${message.attachments.length} files`
        : '';
  const content = text || attached;
  return message.senderId === me ? `You: ${content}` : content;
}

/** A search term as an RxDB `$regex` string that matches it literally. */
export function literalPattern(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "1.2 MB": for attachment sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit] ?? 'GB'}`;
}

/** The names of the people typing in a conversation, me excluded, as one line. */
export function typingLine(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}
