import { join } from 'node:path';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { AnyRoute } from '../http/route.ts';
import { emailAdminRoutes } from './admin-routes.ts';
import { devMailboxRouter } from './dev-mailbox.ts';
import { createEmailWorker, type EmailWorker } from './email-worker.ts';
import { fileTransport, smtpTransport, type MailTransport } from './mail-transport.ts';

export { enqueueEmail } from './email-jobs.ts';

export interface EmailCapability {
  worker: EmailWorker;
  transport: MailTransport;
  /** Where the file transport writes (the embedded default); null with SMTP. */
  mailFolder: string | null;
  routes: AnyRoute[];
  pages: Router[];
  /** Starts the worker's timer (after the server listens), unless its interval is 0. */
  start(): void;
  close(): Promise<void>;
}

/** Transactional email: the outbox worker, its transport, the admin view, the dev mailbox. */
export function createEmailCapability(deps: {
  db: Db;
  config: Pick<Config, 'email' | 'dataDir'>;
  logger: Logger;
}): EmailCapability {
  const { email } = deps.config;
  const mailFolder = email.smtpUrl ? null : join(deps.config.dataDir, 'mail');
  const transport = mailFolder ? fileTransport(mailFolder) : smtpTransport(email.smtpUrl ?? '');
  const worker = createEmailWorker({
    db: deps.db,
    transport,
    from: email.from,
    maxAttempts: email.maxAttempts,
    retryBaseMs: email.retryBaseMs,
    logger: deps.logger,
  });
  return {
    worker,
    transport,
    mailFolder,
    routes: emailAdminRoutes(deps.db),
    pages: mailFolder ? [devMailboxRouter(mailFolder)] : [],
    start: () => {
      if (email.workerIntervalMs > 0) worker.start(email.workerIntervalMs);
    },
    close: async () => {
      await worker.stop();
      transport.close();
    },
  };
}
