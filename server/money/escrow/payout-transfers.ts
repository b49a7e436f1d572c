import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { freelancerPending } from '../ledger/accounts.ts';
import { accountBalance, freelancersHolding } from '../ledger/balances.ts';
import { LedgerError, postTransaction } from '../ledger/ledger.ts';
import type { PaymentRail } from '../rails/payment-rail.ts';
import { transferPosting } from './escrow-postings.ts';

/** The freelancer's payout account at the rail, when it can receive transfers. */
export type PayoutAccountLookup = (userId: string) => Promise<{ accountId: string } | null>;

/**
 * Released money waits in `freelancer_pending` until it is transferred to the freelancer's
 * payout account: right after each release, and again when a payout account becomes able
 * to receive (call `transferPending` from there). One transfer per currency moves all that
 * is pending. The rail's idempotency key names the pending state (the last ledger
 * transaction on the pending account), so a retry of the same state never transfers twice;
 * transfers of one freelancer run one at a time in this process.
 */
export class PayoutTransfers {
  private readonly db: Db;
  private readonly rail: PaymentRail;
  private readonly payoutAccountFor: PayoutAccountLookup;
  private readonly logger: Logger;
  private readonly afterTransfer: (freelancerId: string) => Promise<void>;
  private readonly running = new Map<string, Promise<void>>();

  constructor(deps: {
    db: Db;
    rail: PaymentRail;
    payoutAccountFor: PayoutAccountLookup;
    logger: Logger;
    /** After money moved: book what the provider already paid out (the sandbox, at once). */
    afterTransfer?: (freelancerId: string) => Promise<void>;
  }) {
    this.db = deps.db;
    this.rail = deps.rail;
    this.payoutAccountFor = deps.payoutAccountFor;
    this.logger = deps.logger;
    this.afterTransfer = deps.afterTransfer ?? (() => Promise.resolve());
  }

  /** After a release: transfer what can be, never failing the release itself. */
  async afterRelease(freelancerId: string): Promise<void> {
    try {
      await this.transferPending(freelancerId);
    } catch (error) {
      this.logger.warn(
        { err: error, freelancerId },
        'transfer after release failed; money stays pending',
      );
    }
  }

  /**
   * Tries every freelancer with money pending (the sweep calls it): a payout account that
   * became active since (the sandbox's onboarding page, a missed webhook) receives it now.
   */
  async retryAllPending(): Promise<void> {
    for (const freelancerId of await freelancersHolding(this.db.kysely, 'freelancer_pending')) {
      await this.afterRelease(freelancerId);
    }
  }

  /** Transfers everything pending for the freelancer, per currency; returns what moved. */
  transferPending(freelancerId: string): Promise<Array<{ currency: string; amountMinor: number }>> {
    const previous = this.running.get(freelancerId) ?? Promise.resolve();
    const run = previous.then(async () => {
      const moved = await this.transferNow(freelancerId);
      if (moved.length > 0) await this.afterTransfer(freelancerId);
      return moved;
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.running.set(freelancerId, settled);
    void settled.then(() => {
      if (this.running.get(freelancerId) === settled) this.running.delete(freelancerId);
    });
    return run;
  }

  private async transferNow(freelancerId: string) {
    const account = await this.payoutAccountFor(freelancerId);
    if (!account) return [];
    const db = this.db.kysely;
    const pendingAccounts = await db
      .selectFrom('ledger_accounts')
      .select(['id', 'currency'])
      .where('kind', '=', 'freelancer_pending')
      .where('owner_key', 'like', `${freelancerId}/%`)
      .execute();
    const moved: Array<{ currency: string; amountMinor: number }> = [];
    for (const pending of pendingAccounts) {
      const balance = await accountBalance(db, freelancerPending(freelancerId, pending.currency));
      const amount = Number(balance?.balanceMinor ?? 0n);
      if (amount <= 0) continue;
      const last = await db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.max('transaction_id').as('last'))
        .where('account_id', '=', pending.id)
        .executeTakeFirst();
      const transfer = await this.rail.transfer({
        accountId: account.accountId,
        amountMinor: amount,
        currency: pending.currency,
        idempotencyKey: `transfer/${freelancerId}/${pending.currency}/${String(last?.last ?? 0)}`,
        metadata: { freelancerId, currency: pending.currency },
      });
      try {
        await db.transaction().execute((trx) =>
          postTransaction(
            trx,
            transferPosting({
              transferId: transfer.id,
              freelancerId,
              currency: pending.currency,
              amountMinor: transfer.amountMinor,
            }),
          ),
        );
        moved.push({ currency: pending.currency, amountMinor: transfer.amountMinor });
      } catch (error) {
        // Posted already by an earlier run with the same state: nothing more to do.
        if (!(error instanceof LedgerError && error.code === 'duplicate')) throw error;
      }
    }
    return moved;
  }
}
