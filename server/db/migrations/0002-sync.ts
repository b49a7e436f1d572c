import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * The synced collections. Each table has the document's id, the server sequence of its last
 * change (the pull checkpoint), a tombstone flag, and the document's fields as columns;
 * lists and maps are JSON text, flags are 0/1 integers on both dialects (better-sqlite3
 * cannot bind booleans). `sync_counters` holds each collection's last sequence.
 */
export function syncMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sync_counters')
        .addColumn('collection', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .execute();
      for (const collection of ['settings', 'conversations', 'messages', 'notifications']) {
        await sql`insert into sync_counters (collection, seq) values (${collection}, 0)`.execute(
          db,
        );
      }

      await db.schema
        .createTable('user_settings')
        .addColumn('id', t.id, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('theme', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('week_starts_on', 'integer', (c) => c.notNull())
        .addColumn('desktop_notifications', 'integer', (c) => c.notNull())
        .addColumn('notification_sound', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('conversations')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('participants', 'text', (c) => c.notNull())
        .addColumn('contract_id', t.id)
        .addColumn('project_id', t.id)
        .addColumn('created_by', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      // Who may see a conversation and its messages: one row per participant.
      await db.schema
        .createTable('conversation_participants')
        .addColumn('conversation_id', t.id, (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('conversation_participants_pk', ['conversation_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('conversation_participants_user_idx')
        .on('conversation_participants')
        .columns(['user_id', 'conversation_id'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id'))
        .addColumn('sender_id', t.id, (c) => c.notNull().references('users.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('attachments', 'text', (c) => c.notNull())
        .addColumn('sent_at', t.instant, (c) => c.notNull())
        .addColumn('edited_at', t.instant)
        .addColumn('receipts', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('messages_conversation_seq_idx')
        .on('messages')
        .columns(['conversation_id', 'seq'])
        .execute();

      // Which blobs a message references, so a blob is served only to those who may see one.
      await db.schema
        .createTable('message_attachments')
        .addColumn('message_id', t.id, (c) =>
          c.notNull().references('messages.id').onDelete('cascade'),
        )
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('message_attachments_pk', ['message_id', 'hash'])
        .execute();
      await db.schema
        .createIndex('message_attachments_hash_idx')
        .on('message_attachments')
        .column('hash')
        .execute();

      await db.schema
        .createTable('notifications')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('link', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('read_at', t.instant)
        .execute();
      await db.schema
        .createIndex('notifications_user_seq_idx')
        .on('notifications')
        .columns(['user_id', 'seq'])
        .execute();

      for (const table of ['user_settings', 'conversations', 'messages']) {
        await db.schema.createIndex(`${table}_seq_idx`).on(table).column('seq').execute();
      }

      await db.schema
        .createTable('blobs')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      // Who uploaded a blob may always read it back.
      await db.schema
        .createTable('blob_uploads')
        .addColumn('hash', 'text', (c) => c.notNull().references('blobs.hash').onDelete('cascade'))
        .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_uploads_pk', ['hash', 'user_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'blob_uploads',
        'blobs',
        'notifications',
        'message_attachments',
        'messages',
        'conversation_participants',
        'conversations',
        'user_settings',
        'sync_counters',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
