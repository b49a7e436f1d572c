import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { emailTemplates, type TemplateData, type TemplateName } from './templates/index.ts';

export interface EmailRequest<N extends TemplateName> {
  to: string;
  template: N;
  data: TemplateData<N>;
  /** Names the cause; a second job with the same key is dropped (the first one stands). */
  dedupeKey: string;
  /** When the job is first due; now by default. */
  now?: Date;
}

/**
 * Queues a mail inside the caller's transaction: it is sent if and only if the change that
 * caused it commits. The data is checked against the template's schema here, so a bad job
 * fails its cause instead of dying later in the worker.
 */
export async function enqueueEmail<N extends TemplateName>(
  trx: Kysely<Database>,
  request: EmailRequest<N>,
): Promise<void> {
  const template = emailTemplates[request.template];
  const data: unknown = template.data.parse(request.data);
  const now = (request.now ?? new Date()).toISOString();
  await trx
    .insertInto('email_jobs')
    .values({
      id: randomUUID(),
      recipient: request.to,
      template: request.template,
      data: JSON.stringify(data),
      dedupe_key: request.dedupeKey,
      status: 'queued',
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .execute();
}
