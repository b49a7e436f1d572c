import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type {
  Attachment,
  Participant,
  Receipt,
  WireDocument,
} from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { MessagesTable } from '../../db/schema.ts';
import {
  allowed,
  denied,
  flag,
  unchangedFields,
  pullPage,
  type SyncSpec,
  upsertDocumentRow,
} from '../spec.ts';
import type { SyncWriteContext } from '../write-context.ts';
import { isParticipant, participantIds } from './conversations.ts';

type Message = WireDocument<'messages'>;

function fromRow(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    conversationId: row.conversation_id,
    senderId: row.sender_id,
    body: row.body,
    attachments: JSON.parse(row.attachments) as Attachment[],
    sentAt: row.sent_at,
    editedAt: row.edited_at,
    receipts: JSON.parse(row.receipts) as Record<string, Receipt>,
    _deleted: Boolean(row.deleted),
  };
}

const immutable = ['conversationId', 'senderId', 'sentAt'] as const;
const sendersOwn = ['body', 'attachments', 'editedAt'] as const;

/** Each person writes only their own receipt. */
function othersReceiptsChanged(incoming: Message, existing: Message | null, userId: string) {
  const before = existing?.receipts ?? {};
  const ids = new Set([...Object.keys(incoming.receipts), ...Object.keys(before)]);
  return [...ids]
    .filter((id) => id !== userId && !sameDocument(incoming.receipts[id], before[id]))
    .map((id) => [`/receipts/${id}`, 'only that person can set their receipt'] as [string, string]);
}

export const messagesSpec: SyncSpec<'messages'> = {
  collection: 'messages',
  async find(db, id) {
    const row = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  },
  pull: (db, userId, afterSeq, limit) =>
    pullPage(
      db
        .selectFrom('messages as m')
        .innerJoin('conversation_participants as p', 'p.conversation_id', 'm.conversation_id')
        .selectAll('m')
        .where('p.user_id', '=', userId),
      'm.seq',
      afterSeq,
      limit,
      fromRow,
    ),
  canSee: (db, userId, document) => isParticipant(db, document.conversationId, userId),
  async authorize(db, user, incoming, existing) {
    const problems = othersReceiptsChanged(incoming, existing, user.userId);
    if (!existing) {
      const conversation = await db
        .selectFrom('conversations')
        .select('id')
        .where('id', '=', incoming.conversationId)
        .executeTakeFirst();
      // Conversations and messages replicate separately: the conversation may be on its way.
      if (!conversation)
        return { allowed: false, pending: 'its conversation has not reached the server yet' };
      if (!(await isParticipant(db, incoming.conversationId, user.userId))) {
        problems.push(['/conversationId', 'you are not in this conversation']);
      }
      if (incoming.senderId !== user.userId) problems.push(['/senderId', 'must be you']);
      return problems.length ? denied(...problems) : allowed;
    }
    problems.push(...unchangedFields(incoming, existing, immutable, sameDocument));
    if (existing.senderId !== user.userId) {
      problems.push(
        ...unchangedFields(incoming, existing, sendersOwn, sameDocument).map(
          ([pointer]) => [pointer, 'only the sender can change it'] as [string, string],
        ),
      );
      if (incoming._deleted && !existing._deleted)
        problems.push(['/_deleted', 'only the sender can delete it']);
    }
    return problems.length ? denied(...problems) : allowed;
  },
  async write(context, document, existing, seq) {
    const { trx } = context;
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      conversation_id: document.conversationId,
      sender_id: document.senderId,
      body: document.body,
      attachments: JSON.stringify(document.attachments),
      sent_at: document.sentAt,
      edited_at: document.editedAt,
      receipts: JSON.stringify(document.receipts),
    };
    await upsertDocumentRow(trx, 'messages', row);
    if (!sameDocument(document.attachments, existing?.attachments ?? [])) {
      await trx.deleteFrom('message_attachments').where('message_id', '=', document.id).execute();
      const hashes = [...new Set(document.attachments.map((a) => a.hash))];
      if (hashes.length > 0) {
        await trx
          .insertInto('message_attachments')
          .values(hashes.map((hash) => ({ message_id: document.id, hash })))
          .execute();
      }
    }
    if (!existing && !document._deleted) await notifyRecipients(context, document);
    else if (
      existing &&
      !existing._deleted &&
      (document._deleted || document.body !== existing.body)
    ) {
      await revisePreviews(context, existing, document);
    }
  },
  audience: (db, document) => participantIds(db, document.conversationId),
};

/**
 * A new message leaves each other participant one unread notification per conversation,
 * updated with the latest message rather than piling up one per message.
 */
async function notifyRecipients(context: SyncWriteContext, message: Message) {
  const { trx } = context;
  const conversation = await trx
    .selectFrom('conversations')
    .select(['participants', 'title'])
    .where('id', '=', message.conversationId)
    .executeTakeFirstOrThrow();
  const participants = JSON.parse(conversation.participants) as Participant[];
  const sender = participants.find((p) => p.id === message.senderId)?.name ?? 'Someone';
  const recipients = participants.filter((p) => p.id !== message.senderId);
  if (recipients.length === 0) return;

  const link = `/messages/${message.conversationId}`;
  const preview = previewOf(message);
  const now = new Date().toISOString();
  for (const recipient of recipients) {
    const unread = await trx
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', recipient.id)
      .where('link', '=', link)
      .where('read_at', 'is', null)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    const row = {
      id: unread?.id ?? randomUUID(),
      seq: await context.stamp('notifications', [recipient.id]),
      deleted: 0,
      updated_at: now,
      user_id: recipient.id,
      kind: 'message',
      title: conversation.title
        ? `${sender} in ${conversation.title}`
        : `New message from ${sender}`,
      body: preview,
      link,
      created_at: now,
      read_at: null,
    };
    await upsertDocumentRow(trx, 'notifications', row);
  }
}

const previewOf = (message: Message) =>
  message.body.trim() ? message.body.trim().slice(0, 140) : 'Sent an attachment';

/**
 * An unread notification quoting a message must not keep text its sender has since changed
 * or taken back: it is rewritten to the new text, or to say the message was deleted.
 */
async function revisePreviews(context: SyncWriteContext, before: Message, after: Message) {
  const { trx } = context;
  const stale = await trx
    .selectFrom('notifications')
    .select(['id', 'user_id'])
    .where('link', '=', `/messages/${before.conversationId}`)
    .where('body', '=', previewOf(before))
    .where('read_at', 'is', null)
    .where('deleted', '=', 0)
    .execute();
  for (const notification of stale) {
    await trx
      .updateTable('notifications')
      .set({
        body: after._deleted ? 'A message was deleted' : previewOf(after),
        seq: await context.stamp('notifications', [notification.user_id]),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', notification.id)
      .execute();
  }
}
