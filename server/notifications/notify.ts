import { randomUUID } from 'node:crypto';
import type { NotificationKind } from '../../shared/notifications/preferences.ts';
import { enqueueEmail } from '../email/email-jobs.ts';
import type { TemplateData, TemplateName } from '../email/templates/index.ts';
import type { SyncWriteContext } from '../sync/write-context.ts';

/** A mail that goes with a notification: its template, data and the cause it dedupes on. */
export type EmailIntent = {
  [N in TemplateName]: { template: N; data: TemplateData<N>; dedupeKey: string };
}[TemplateName];

export interface NotificationInput {
  userId: string;
  /** Which of the user's preferences decides the channels. */
  kind: NotificationKind;
  title: string;
  body: string;
  /** An in-app route to open (`/contracts/…`), or null. */
  link: string | null;
  /** The mail to queue as well, when the user's preferences let email through. */
  email?: EmailIntent;
}

/**
 * Tells a user something happened (a payment failed, a dispute opened), inside the synced
 * transaction of the change itself: the notification (and its mail) exists exactly when the
 * change does, and reaches the user's devices with the next pull.
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
  if (input.email) {
    const user = await sync.trx
      .selectFrom('users')
      .select('email')
      .where('id', '=', input.userId)
      .executeTakeFirstOrThrow();
    await enqueueEmail(sync.trx, { to: user.email, ...input.email });
  }
}
