import { randomUUID } from 'node:crypto';
import type { SyncWriteContext } from '../sync/write-context.ts';

export interface NotificationInput {
  userId: string;
  title: string;
  body: string;
  /** An in-app route to open (`/contracts/…`), or null. */
  link: string | null;
}

/**
 * Tells a user something happened (a payment failed, a dispute opened), inside the synced
 * transaction of the change itself: the notification exists exactly when the change does,
 * and reaches the user's devices with the next pull.
 */
export async function notify(sync: SyncWriteContext, input: NotificationInput): Promise<void> {
  const now = new Date().toISOString();
  await sync.trx
    .insertInto('notifications')
    .values({
      id: randomUUID(),
      seq: await sync.stamp('notifications', [input.userId]),
      deleted: 0,
      updated_at: now,
      user_id: input.userId,
      kind: 'system',
      title: input.title.slice(0, 200),
      body: input.body.slice(0, 2000),
      link: input.link,
      created_at: now,
      read_at: null,
    })
    .execute();
}
