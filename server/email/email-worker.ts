import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { EmailJobsTable } from '../db/schema.ts';
import type { MailTransport } from './mail-transport.ts';
import { isTemplateName, renderStoredEmail } from './templates/index.ts';
import type { RenderedEmail } from './templates/template.ts';

export interface EmailWorkerOptions {
  db: Db;
  transport: MailTransport;
  from: string;
  maxAttempts: number;
  retryBaseMs: number;
  logger: Logger;
  /** How long a claimed job is ours; after it another worker may take it again. */
  leaseMs?: number;
  batchSize?: number;
}

export interface WorkerRun {
  sent: number;
  retried: number;
  dead: number;
}

export interface EmailWorker {
  /** Delivers every job due at `now` that this worker manages to claim. */
  runOnce(now?: Date): Promise<WorkerRun>;
  /** Runs every `intervalMs` until stopped. */
  start(intervalMs: number): void;
  /** Stops the timer and waits for a run in progress, so no claimed job is left behind. */
  stop(): Promise<void>;
}

const maxRetryDelayMs = 6 * 60 * 60 * 1000;

/** Failures no retry can fix: the job is dead-lettered at once. */
class PermanentFailure extends Error {}

/**
 * The in-process delivery worker over the `email_jobs` outbox.
 *
 * Claiming is a conditional update (same status and attempt count as read), so of two workers
 * racing for one job exactly one wins. A job is marked sent right after the SMTP server accepted
 * it; if the process dies between the accept and that update, the lease runs out and the job is
 * sent once more. The Message-ID is the same both times, so receivers can drop the repeat.
 */
export function createEmailWorker(options: EmailWorkerOptions): EmailWorker {
  const { db, transport, logger } = options;
  const leaseMs = options.leaseMs ?? 5 * 60 * 1000;
  const batchSize = options.batchSize ?? 20;
  const domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'megilance.local';
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function claim(job: Pick<EmailJobsTable, 'id' | 'status' | 'attempts'>, now: Date) {
    const result = await db.kysely
      .updateTable('email_jobs')
      .set({
        status: 'sending',
        attempts: job.attempts + 1,
        next_attempt_at: new Date(now.getTime() + leaseMs).toISOString(),
      })
      .where('id', '=', job.id)
      .where('status', '=', job.status)
      .where('attempts', '=', job.attempts)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async function deliver(job: EmailJobsTable): Promise<void> {
    if (!isTemplateName(job.template)) {
      throw new PermanentFailure(`unknown template "${job.template}"`);
    }
    let rendered: RenderedEmail;
    try {
      rendered = await renderStoredEmail[job.template](JSON.parse(job.data), {
        unsubscribeUrl: null,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new PermanentFailure(`cannot render: ${detail}`);
    }
    await transport.send({
      from: options.from,
      to: job.recipient,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: `<${job.id}@${domain}>`,
    });
  }

  async function settle(job: EmailJobsTable, attempts: number, now: Date, error: unknown) {
    const permanent = error instanceof PermanentFailure;
    const dead = permanent || attempts >= options.maxAttempts;
    const delay = Math.min(options.retryBaseMs * 2 ** (attempts - 1), maxRetryDelayMs);
    const message = error instanceof Error ? error.message : String(error);
    await db.kysely
      .updateTable('email_jobs')
      .set({
        status: dead ? 'dead' : 'queued',
        next_attempt_at: new Date(now.getTime() + (dead ? 0 : delay)).toISOString(),
        last_error: message.slice(0, 1000),
      })
      .where('id', '=', job.id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempts)
      .execute();
    logger[dead ? 'error' : 'warn'](
      { emailJob: job.id, template: job.template, attempts, err: error },
      dead ? 'email dead-lettered' : 'email delivery failed, will retry',
    );
    return dead;
  }

  async function runOnce(now: Date = new Date()): Promise<WorkerRun> {
    const run: WorkerRun = { sent: 0, retried: 0, dead: 0 };
    const due = await db.kysely
      .selectFrom('email_jobs')
      .selectAll()
      .where('status', 'in', ['queued', 'sending'])
      .where('next_attempt_at', '<=', now.toISOString())
      .orderBy('next_attempt_at')
      .limit(batchSize)
      .execute();
    for (const job of due) {
      if (!(await claim(job, now))) continue;
      const attempts = job.attempts + 1;
      try {
        await deliver(job);
      } catch (error) {
        if (await settle(job, attempts, now, error)) run.dead += 1;
        else run.retried += 1;
        continue;
      }
      await db.kysely
        .updateTable('email_jobs')
        .set({ status: 'sent', sent_at: new Date().toISOString(), last_error: null })
        .where('id', '=', job.id)
        .where('status', '=', 'sending')
        .where('attempts', '=', attempts)
        .execute();
      run.sent += 1;
    }
    return run;
  }

  function schedule(intervalMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      const current = runOnce().catch((error: unknown) => {
        logger.error({ err: error }, 'email worker run failed');
      });
      running = current.then(() => schedule(intervalMs));
    }, intervalMs);
  }

  return {
    runOnce: (now) => {
      const current = runOnce(now);
      running = Promise.all([running, current.catch(() => undefined)]);
      return current;
    },
    start: (intervalMs) => {
      stopped = false;
      schedule(intervalMs);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
