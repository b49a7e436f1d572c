import type { Logger } from 'pino';
import type { InvoiceService } from './invoice-service.ts';

/**
 * Marks sent invoices overdue once their due date has passed: at start, then every
 * `intervalMs`. Overdue is a stored status (not computed on read) so that both parties'
 * devices, which read invoices offline, see it through sync.
 */
export function startOverdueSweep(
  invoices: InvoiceService,
  intervalMs: number,
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = running
      .then(async () => {
        const changed = await invoices.markOverdue();
        if (changed > 0) logger.info({ changed }, 'invoices marked overdue');
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'overdue invoice sweep failed');
      });
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
