import type { Selectable } from 'kysely';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import { sameDocument } from '../../../shared/sync/merge.ts';
import type { NotificationsTable } from '../../db/schema.ts';
import {
  allowed,
  denied,
  flag,
  unchangedFields,
  pullPage,
  type SyncSpec,
  upsertDocumentRow,
} from '../spec.ts';

type Notification = WireDocument<'notifications'>;

function fromRow(row: Selectable<NotificationsTable>): Notification {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    userId: row.user_id,
    kind: row.kind as Notification['kind'],
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.created_at,
    readAt: row.read_at,
    _deleted: Boolean(row.deleted),
  };
}

const serverOwned = ['userId', 'kind', 'title', 'body', 'link', 'createdAt'] as const;

/** The server writes notifications; their owner may only mark them read or dismiss them. */
export const notificationsSpec: SyncSpec<'notifications'> = {
  collection: 'notifications',
  async find(db, id) {
    const row = await db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  },
  pull: (db, userId, afterSeq, limit) =>
    pullPage(
      db.selectFrom('notifications').selectAll().where('user_id', '=', userId),
      'seq',
      afterSeq,
      limit,
      fromRow,
    ),
  canSee: (_db, userId, document) => Promise.resolve(document.userId === userId),
  authorize(_db, _user, incoming, existing) {
    if (!existing) return Promise.resolve(denied(['', 'notifications are created by the server']));
    const problems = unchangedFields(incoming, existing, serverOwned, sameDocument);
    return Promise.resolve(problems.length ? denied(...problems) : allowed);
  },
  async write({ trx }, document, _existing, seq) {
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      user_id: document.userId,
      kind: document.kind,
      title: document.title,
      body: document.body,
      link: document.link,
      created_at: document.createdAt,
      read_at: document.readAt,
    };
    await upsertDocumentRow(trx, 'notifications', row);
  },
  audience: (_db, document) => Promise.resolve([document.userId]),
};
