import { useEffect, useMemo } from 'react';
import { combineLatest, map, of, switchMap, type Observable } from 'rxjs';
import { nowIso } from '../../../shared/api/time.ts';
import type {
  Attachment,
  ConversationDocument,
  MessageDocument,
  Participant,
} from '../../../shared/sync/documents.ts';
import type { SyncEngine } from '../../sync/engine.ts';
import { useObservable, useSyncEngine } from '../../sync/SyncProvider.tsx';
import { useSessionStore } from '../session/session-store.ts';
import {
  byTimeSent,
  editedFields,
  editProblem,
  isUndeliveredTo,
  isUnreadBy,
  literalPattern,
  myReceiptAfter,
  unreadCounts,
} from './messages-model.ts';

/**
 * Messages' view of the device database: live queries as hooks, and the few writes the screen
 * makes (a conversation, a message, edits and deletions of my own messages, my own receipts).
 * Everything here works offline; the sync engine carries it to the server and the other
 * devices when it can.
 */

export type ConversationSummary = {
  conversation: ConversationDocument;
  last: MessageDocument | null;
  unread: number;
  /** When anything last happened in it, for ordering the list. */
  activeAt: string;
};

const emptyMap: ReadonlyMap<string, never> = new Map<string, never>();
const emptySet: ReadonlySet<string> = new Set();

export function useMe(): string | null {
  return useSessionStore((state) => state.user?.id ?? null);
}

/** Messages from others I have not read yet, across every conversation (live). */
function unread$(engine: SyncEngine): Observable<MessageDocument[]> {
  const me = engine.userId;
  return engine.db.messages
    .find({
      selector: { senderId: { $ne: me }, [`receipts.${me}.readAt`]: { $eq: null } },
    })
    .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON()).filter((m) => isUnreadBy(m, me))));
}

/** Unread counts per conversation, and in all. */
export function useUnreadCounts(): { byConversation: Map<string, number>; total: number } {
  const engine = useSyncEngine();
  const source = useMemo(
    () => (engine ? unread$(engine).pipe(map((m) => unreadCounts(m, engine.userId))) : null),
    [engine],
  );
  const byConversation = useObservable(source, null) ?? new Map<string, number>();
  let total = 0;
  for (const count of byConversation.values()) total += count;
  return { byConversation, total };
}

/** Every conversation with its last message and unread count, most recently active first. */
export function useConversationSummaries(): ConversationSummary[] | null {
  const engine = useSyncEngine();
  const source = useMemo(() => {
    if (!engine) return null;
    const { db, userId } = engine;
    const withLast$ = db.conversations.find({ sort: [{ createdAt: 'desc' }] }).$.pipe(
      switchMap((docs) =>
        docs.length === 0
          ? of([])
          : combineLatest(
              docs.map((doc) =>
                db.messages
                  .findOne({ selector: { conversationId: doc.id }, sort: [{ sentAt: 'desc' }] })
                  .$.pipe(
                    map((last) => ({
                      conversation: doc.toMutableJSON(),
                      last: last ? last.toMutableJSON() : null,
                    })),
                  ),
              ),
            ),
      ),
    );
    return combineLatest([withLast$, unread$(engine)]).pipe(
      map(([rows, unread]) => {
        const counts = unreadCounts(unread, userId);
        return rows
          .map(({ conversation, last }): ConversationSummary => ({
            conversation,
            last,
            unread: counts.get(conversation.id) ?? 0,
            activeAt:
              last && last.sentAt > conversation.createdAt ? last.sentAt : conversation.createdAt,
          }))
          .sort(
            (a, b) =>
              b.activeAt.localeCompare(a.activeAt) ||
              a.conversation.id.localeCompare(b.conversation.id),
          );
      }),
    );
  }, [engine]);
  return useObservable(source, null);
}

export function useConversation(id: string): ConversationDocument | null | undefined {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.conversations
            .findOne(id)
            .$.pipe(map((doc) => (doc ? doc.toMutableJSON() : null)))
        : null,
    [engine, id],
  );
  // undefined while the first answer is on its way; null when there is no such conversation.
  return useObservable<ConversationDocument | null | undefined>(source, undefined);
}

/** How many of a thread's latest messages are kept on screen. */
export const threadWindow = 500;

/** A thread's latest messages in reading order (live). */
export function useThreadMessages(conversationId: string): MessageDocument[] | null {
  const engine = useSyncEngine();
  const source = useMemo(
    () =>
      engine
        ? engine.db.messages
            .find({
              selector: { conversationId },
              sort: [{ sentAt: 'desc' }],
              limit: threadWindow,
            })
            .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON()).sort(byTimeSent)))
        : null,
    [engine, conversationId],
  );
  return useObservable(source, null);
}

export type SearchHit = { message: MessageDocument; conversation: ConversationDocument | null };

/** Messages whose text contains `term` (any case), newest first, across every conversation. */
export function useMessageSearch(term: string, limit = 50): SearchHit[] | null {
  const engine = useSyncEngine();
  const trimmed = term.trim();
  const source = useMemo(() => {
    if (!engine || trimmed === '') return null;
    const { db } = engine;
    return combineLatest([
      db.messages.find({
        selector: { body: { $regex: literalPattern(trimmed), $options: 'i' } },
        sort: [{ sentAt: 'desc' }],
        limit,
      }).$,
      db.conversations.find().$,
    ]).pipe(
      map(([messages, conversations]) => {
        const byId = new Map(conversations.map((doc) => [doc.id, doc.toMutableJSON()]));
        return messages.map((doc) => {
          const message = doc.toMutableJSON();
          return { message, conversation: byId.get(message.conversationId) ?? null };
        });
      }),
    );
  }, [engine, trimmed, limit]);
  return useObservable(source, null);
}

export function usePendingIds(): ReadonlySet<string> {
  return useObservable(useSyncEngine()?.pendingIds$, emptySet);
}

export function useFailed(): ReadonlyMap<string, string> {
  return useObservable(useSyncEngine()?.failed$, emptyMap);
}

export function usePresence(): ReadonlyMap<string, boolean> {
  return useObservable(useSyncEngine()?.presence$, emptyMap);
}

/** This device has no connection to the server: presence and typing are unknown. */
export function useDeviceOffline(): boolean {
  const engine = useSyncEngine();
  const source = useMemo(
    () => (engine ? engine.state$.pipe(map((state) => state.kind === 'offline')) : null),
    [engine],
  );
  return useObservable(source, false);
}

/** Who (other than me) is typing in this conversation right now. */
export function useTypingUserIds(conversationId: string): string[] {
  const engine = useSyncEngine();
  const typing = useObservable(engine?.typing$, emptyMap);
  const ids = typing.get(conversationId);
  return ids ? [...ids].filter((id) => id !== engine?.userId).sort() : [];
}

export function newConversation(
  me: Participant,
  other: Participant,
  now = nowIso(),
): ConversationDocument {
  return {
    id: crypto.randomUUID(),
    updatedAt: now,
    kind: 'direct',
    title: null,
    participants: [me, other],
    contractId: null,
    projectId: null,
    createdBy: me.id,
    createdAt: now,
  };
}

/** My direct conversation with this person, if one exists (created here or on any device). */
export async function findDirectConversation(
  engine: SyncEngine,
  otherId: string,
): Promise<ConversationDocument | null> {
  const docs = await engine.db.conversations.find({ selector: { kind: 'direct' } }).exec();
  const found = docs
    .map((doc) => doc.toMutableJSON())
    .filter(
      (conversation) =>
        conversation.participants.length === 2 &&
        conversation.participants.some((p) => p.id === otherId) &&
        conversation.participants.some((p) => p.id === engine.userId),
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return found[0] ?? null;
}

export async function startConversation(
  engine: SyncEngine,
  me: Participant,
  other: Participant,
): Promise<ConversationDocument> {
  const existing = await findDirectConversation(engine, other.id);
  if (existing) return existing;
  const conversation = newConversation(me, other);
  await engine.db.conversations.insert(conversation);
  return conversation;
}

let lastSentAt = '';

/** Now, but strictly after the last message written here: two quick sends keep their order. */
function nextSentAt(): string {
  let now = nowIso();
  if (now <= lastSentAt) now = new Date(Date.parse(lastSentAt) + 1).toISOString();
  lastSentAt = now;
  return now;
}

/** Written here, sent when the engine can: the engine shows it pending until the server has it. */
export async function sendMessage(
  engine: SyncEngine,
  conversationId: string,
  body: string,
  attachments: Attachment[],
): Promise<MessageDocument> {
  const now = nextSentAt();
  const message: MessageDocument = {
    id: crypto.randomUUID(),
    updatedAt: now,
    conversationId,
    senderId: engine.userId,
    body,
    attachments,
    sentAt: now,
    editedAt: null,
    receipts: {},
  };
  await engine.db.messages.insert(message);
  return message;
}

/** One of my own messages as this device holds it now; anything else is refused here. */
async function myMessage(engine: SyncEngine, messageId: string) {
  const doc = await engine.db.messages.findOne(messageId).exec();
  if (!doc) throw new Error('This message is no longer on this device; it may have been deleted.');
  if (doc.senderId !== engine.userId) {
    throw new Error('Only the person who sent a message can change it.');
  }
  return doc;
}

/**
 * Replaces the text of one of my messages, marked as edited now. Written here first like any
 * message (pending until the server has it); an edit made meanwhile on another of my devices
 * is settled by the messages' merge: the later edit keeps its text. Resolves false when the
 * text did not change (nothing written).
 */
export async function editMessage(
  engine: SyncEngine,
  messageId: string,
  body: string,
): Promise<boolean> {
  const doc = await myMessage(engine, messageId);
  const problem = editProblem(body, doc);
  if (problem) throw new Error(problem);
  if (!editedFields(doc, body, nowIso())) return false;
  // On the latest revision: receipts from the other side may have arrived since it was read.
  await doc.incrementalModify((data) => {
    const fields = editedFields(data, body, nowIso());
    return fields ? { ...data, ...fields } : data;
  });
  return true;
}

/**
 * Deletes one of my messages: RxDB keeps a tombstone that syncs like any change, so it goes
 * from every device of everyone in the conversation, and the server keeps the tombstone.
 */
export async function deleteMessage(engine: SyncEngine, messageId: string): Promise<void> {
  const doc = await myMessage(engine, messageId);
  await doc.incrementalRemove();
}

/** Receipt writes on their way, by `${messageId}:${kind}`: a live query re-emitting meanwhile
 * must not write the same receipt twice (each write is a new revision that syncs). */
const inFlight = new Set<string>();

/**
 * Writes my receipt on messages from others: delivered (this device has them) and, with
 * `read`, read. Only my own entry, and only forward; messages already marked are left alone,
 * so a live query feeding this settles instead of looping.
 */
export async function markReceipts(
  engine: SyncEngine,
  messageIds: readonly string[],
  read: boolean,
): Promise<void> {
  const me = engine.userId;
  const kind = read ? 'read' : 'delivered';
  const ids = messageIds.filter((id) => !inFlight.has(`${id}:${kind}`));
  if (ids.length === 0) return;
  for (const id of ids) inFlight.add(`${id}:${kind}`);
  try {
    const docs = await engine.db.messages.findByIds(ids).exec();
    const now = nowIso();
    await Promise.all(
      [...docs.values()].map(async (doc) => {
        if (doc.senderId === me || !myReceiptAfter(doc.receipts[me], now, read)) return;
        await doc.incrementalModify((data) => {
          const next = myReceiptAfter(data.receipts[me], now, read);
          if (!next) return data;
          return { ...data, receipts: { ...data.receipts, [me]: next }, updatedAt: now };
        });
      }),
    );
  } finally {
    for (const id of ids) inFlight.delete(`${id}:${kind}`);
  }
}

/**
 * While signed in, anywhere in the app: every message from someone else that reaches this
 * device gets my "delivered" receipt, so its sender sees ✓ even before I open the thread.
 */
export function useDeliveryReceipts(): void {
  const engine = useSyncEngine();
  useEffect(() => {
    if (!engine) return;
    const me = engine.userId;
    const subscription = engine.db.messages
      .find({
        selector: { senderId: { $ne: me }, [`receipts.${me}.deliveredAt`]: { $eq: null } },
      })
      .$.subscribe((docs) => {
        const ids = docs.filter((doc) => isUndeliveredTo(doc, me)).map((doc) => doc.id);
        if (ids.length === 0) return;
        markReceipts(engine, ids, false).catch(() => {
          // The database is closing (signed out): the next session marks them.
        });
      });
    return () => subscription.unsubscribe();
  }, [engine]);
}
