import type { Selectable } from 'kysely';
import type { WireDocument } from '../../../shared/sync/documents.ts';
import type { UserSettingsTable } from '../../db/schema.ts';
import { allowed, denied, flag, pullPage, type SyncSpec, upsertDocumentRow } from '../spec.ts';

type Settings = WireDocument<'settings'>;

function fromRow(row: Selectable<UserSettingsTable>): Settings {
  return {
    id: row.id,
    updatedAt: row.updated_at,
    theme: row.theme as Settings['theme'],
    locale: row.locale,
    weekStartsOn: row.week_starts_on,
    desktopNotifications: Boolean(row.desktop_notifications),
    notificationSound: Boolean(row.notification_sound),
    _deleted: Boolean(row.deleted),
  };
}

/** One settings document per user, whose id is the user's id; only its owner sees or edits it. */
export const settingsSpec: SyncSpec<'settings'> = {
  collection: 'settings',
  async find(db, id) {
    const row = await db
      .selectFrom('user_settings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  },
  pull: (db, userId, afterSeq, limit) =>
    pullPage(
      db.selectFrom('user_settings').selectAll().where('id', '=', userId),
      'seq',
      afterSeq,
      limit,
      fromRow,
    ),
  canSee: (_db, userId, document) => Promise.resolve(document.id === userId),
  authorize(_db, user, incoming) {
    if (incoming.id !== user.userId) {
      return Promise.resolve(
        denied(['/id', 'must be your user id: settings are one document per user']),
      );
    }
    if (incoming._deleted)
      return Promise.resolve(denied(['/_deleted', 'settings cannot be deleted']));
    return Promise.resolve(allowed);
  },
  async write({ trx }, document, _existing, seq) {
    const row = {
      id: document.id,
      seq,
      deleted: flag(document._deleted),
      updated_at: document.updatedAt,
      theme: document.theme,
      locale: document.locale,
      week_starts_on: document.weekStartsOn,
      desktop_notifications: flag(document.desktopNotifications),
      notification_sound: flag(document.notificationSound),
    };
    await upsertDocumentRow(trx, 'user_settings', row);
  },
  audience: (_db, document) => Promise.resolve([document.id]),
};
