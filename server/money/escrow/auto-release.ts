import type { Logger } from 'pino';
import { automaticActor } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import { purgeExpiredIdempotencyKeys } from '../idempotency/idempotent-route.ts';
import { heldOf } from '../refunds/escrow-state.ts';
import { releaseEscrow } from './escrow-release.ts';
import type { EscrowSettings } from './escrow-service.ts';
import { isoWeekEnd, weekTimeAmount } from './hourly-weeks.ts';
import type { PayoutSync } from './payout-sync.ts';
import type { PayoutTransfers } from './payout-transfers.ts';

const dayMs = 24 * 60 * 60 * 1000;

export interface AutoReleaseDeps {
  db: Db;
  writes: SyncedWrites;
  settings: EscrowSettings;
  transfers: PayoutTransfers;
  payouts: PayoutSync;
  logger: Logger;
}

export interface AutoReleased {
  escrowId: string;
  amountMinor: number;
}

/** The ledger reference of an escrow's automatic release: at most one per escrow. */
export const autoReleaseId = (escrowId: string) => `auto/${escrowId}`;

/**
 * The clients' silence counts as approval once the review period is over:
 * - a submitted milestone past its review deadline is released in full;
 * - an hourly week, once the week ended and the review period passed, releases the week's
 *   billable time that is not disputed, capped at what is held (the rest stays for a refund).
 * Disputed escrows are frozen and skipped. Each escrow is released automatically at most
 * once (ledger reference `auto/<escrowId>`), and the release is the same compare-and-set as
 * the client's, so a sweep racing a click moves the money once.
 */
export async function runAutoRelease(
  deps: AutoReleaseDeps,
  now = Date.now(),
): Promise<AutoReleased[]> {
  const db = deps.db.kysely;
  const released: AutoReleased[] = [];
  const milestones = await db
    .selectFrom('escrows')
    .selectAll()
    .where('status', '=', 'submitted')
    .where('milestone_id', 'is not', null)
    .where('review_deadline', '<=', new Date(now).toISOString())
    .execute();
  const weeks = await db
    .selectFrom('escrows')
    .selectAll()
    .where('status', '=', 'funded')
    .where('week', 'is not', null)
    .execute();
  const reviewMs = deps.settings.reviewDays * dayMs;
  for (const row of [...milestones, ...weeks]) {
    let amount = heldOf(row);
    if (row.week !== null) {
      if (isoWeekEnd(row.week) + reviewMs > now) continue;
      const auto = await db
        .selectFrom('ledger_transactions')
        .select('id')
        .where('kind', '=', 'escrow.release')
        .where('reference', '=', autoReleaseId(row.id))
        .executeTakeFirst();
      if (auto) continue;
      // Time already paid for by the client's own releases is not paid twice.
      const billed = await weekTimeAmount(db, row.contract_id, row.week, 'undisputed');
      amount = Math.min(amount, billed - row.released_minor);
    }
    if (amount <= 0) continue;
    try {
      await releaseEscrow(
        deps.writes,
        deps.settings,
        row,
        amount,
        autoReleaseId(row.id),
        automaticActor,
      );
      released.push({ escrowId: row.id, amountMinor: amount });
      await deps.transfers.afterRelease(row.freelancer_id);
    } catch (error) {
      // Someone released, refunded or disputed it meanwhile: the next sweep looks again.
      if (!(error instanceof HttpProblem)) throw error;
      deps.logger.info({ escrowId: row.id, detail: error.message }, 'auto release skipped');
    }
  }
  return released;
}

/** Runs the sweep every `intervalMs` (and forgets expired idempotency keys); `stop()` ends it. */
export function startAutoReleaseSweep(
  deps: AutoReleaseDeps,
  intervalMs = 60_000,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      try {
        await runAutoRelease(deps);
        await deps.transfers.retryAllPending();
        // Payouts whose webhook was missed (or never sent: the sandbox has none).
        await deps.payouts.syncAllAvailable();
        await purgeExpiredIdempotencyKeys(deps.db);
      } catch (error) {
        deps.logger.error({ err: error }, 'auto-release sweep failed');
      }
    });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
