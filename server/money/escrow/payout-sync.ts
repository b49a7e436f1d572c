import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import { formatMoney } from '../../../shared/money/money.ts';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { notify } from '../../notifications/notify.ts';
import { freelancerAvailable } from '../ledger/accounts.ts';
import { accountBalance, freelancersHolding } from '../ledger/balances.ts';
import { postTransaction } from '../ledger/ledger.ts';
import type { PaymentRail, RailPayout } from '../rails/payment-rail.ts';
import type { WebhookRegistry } from '../webhooks/webhook-registry.ts';
import { payoutPosting } from './escrow-postings.ts';

export interface BookedPayout {
  payoutId: string;
  currency: string;
  amountMinor: number;
}

/**
 * Money leaves `freelancer_available` when the provider pays it out of the freelancer's
 * payout account to their bank. The provider's payouts are the truth: each one with status
 * `paid` is booked once (`payout.paid`, reference = the provider's payout id). Triggers:
 * Stripe's `payout.paid` webhook, right after each transfer (the sandbox pays a transfer
 * out at once), and the sweep, for freelancers who still have money available (a missed
 * webhook). Bookings of one freelancer run one at a time in this process, so the cap below
 * is computed against a balance nobody else here is changing.
 */
export class PayoutSync {
  private readonly db: Db;
  private readonly rail: PaymentRail;
  private readonly logger: Logger;
  private readonly running = new Map<string, Promise<void>>();

  constructor(deps: { db: Db; rail: PaymentRail; logger: Logger }) {
    this.db = deps.db;
    this.rail = deps.rail;
    this.logger = deps.logger;
  }

  /** The freelancer owning a payout account on this rail; null when it is not ours. */
  async freelancerOf(accountId: string): Promise<string | null> {
    const row = await this.db.kysely
      .selectFrom('payout_accounts')
      .select('user_id')
      .where('rail', '=', this.rail.name)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row?.user_id ?? null;
  }

  /** Books the paid payouts of the freelancer's payout account not booked yet. */
  syncFreelancer(freelancerId: string): Promise<BookedPayout[]> {
    return this.serialized(freelancerId, async () => {
      const account = await this.db.kysely
        .selectFrom('payout_accounts')
        .select('account_id')
        .where('user_id', '=', freelancerId)
        .where('rail', '=', this.rail.name)
        .executeTakeFirst();
      if (!account) return [];
      // Asked outside any transaction: network calls never hold SQLite's write lock.
      const payouts = await this.rail.listPayouts(account.account_id);
      return this.db.kysely
        .transaction()
        .execute((trx) => this.bookPaid(trx, freelancerId, payouts));
    });
  }

  /** After a transfer: book what the provider paid out, never failing the transfer itself. */
  async afterTransfer(freelancerId: string): Promise<void> {
    try {
      await this.syncFreelancer(freelancerId);
    } catch (error) {
      this.logger.warn({ err: error, freelancerId }, 'payout sync after transfer failed');
    }
  }

  /** Every freelancer with money available (the sweep): catches up on missed webhooks. */
  async syncAllAvailable(): Promise<void> {
    for (const freelancerId of await freelancersHolding(this.db.kysely, 'freelancer_available')) {
      await this.afterTransfer(freelancerId);
    }
  }

  /**
   * Books each `paid` payout not booked yet, inside the caller's transaction.
   *
   * A payout may be larger than what our ledger holds for the freelancer: a Stripe Express
   * account can also receive money that did not come from us (another platform, a top-up),
   * and one payout can sweep it all. Our ledger only knows our money, so we book at most
   * what is available and log the difference: booking all of it would drive
   * `freelancer_available` negative (the ledger refuses that, and the webhook would then
   * fail on every delivery), and skipping the payout entirely would leave our part of it
   * shown as available forever. A payout that finds nothing available is skipped with a log
   * line; it is looked at again by the next sync (known gap: if our money arrives in
   * between, that old payout would be booked against it).
   */
  async bookPaid(
    trx: Transaction<Database>,
    freelancerId: string,
    payouts: readonly RailPayout[],
  ): Promise<BookedPayout[]> {
    const booked: BookedPayout[] = [];
    // Oldest first: the money went out in that order.
    for (const payout of [...payouts].reverse()) {
      if (payout.status !== 'paid') continue;
      const already = await trx
        .selectFrom('ledger_transactions')
        .select('id')
        .where('kind', '=', 'payout.paid')
        .where('reference', '=', payout.id)
        .executeTakeFirst();
      if (already) continue;
      const balance = await accountBalance(trx, freelancerAvailable(freelancerId, payout.currency));
      const available = Number(balance?.balanceMinor ?? 0n);
      const amountMinor = Math.min(payout.amountMinor, available);
      if (amountMinor <= 0) {
        this.logger.warn(
          { freelancerId, payoutId: payout.id, payoutMinor: payout.amountMinor, available },
          'payout not booked: nothing of ours is available (money that did not come from us)',
        );
        continue;
      }
      if (amountMinor < payout.amountMinor) {
        this.logger.warn(
          {
            freelancerId,
            payoutId: payout.id,
            payoutMinor: payout.amountMinor,
            bookedMinor: amountMinor,
          },
          'payout larger than the available balance: booked what is ours, the rest did not come from us',
        );
      }
      await postTransaction(
        trx,
        payoutPosting({
          payoutId: payout.id,
          freelancerId,
          rail: this.rail.name,
          currency: payout.currency,
          amountMinor,
        }),
      );
      booked.push({ payoutId: payout.id, currency: payout.currency, amountMinor });
    }
    return booked;
  }

  /** Runs `work` after any other booking of the same freelancer in this process. */
  serialized<T>(freelancerId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.running.get(freelancerId) ?? Promise.resolve();
    const run = previous.then(work);
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
}

/** The payout a Connect event is about: the event names the connected account it came from. */
function payoutEventOf(event: { account?: string | undefined; data: { object: unknown } }) {
  const object = event.data.object as {
    id?: unknown;
    amount?: unknown;
    currency?: unknown;
    failure_message?: unknown;
  };
  if (typeof event.account !== 'string' || typeof object.id !== 'string') return null;
  return {
    accountId: event.account,
    payoutId: object.id,
    amountMinor: typeof object.amount === 'number' ? object.amount : null,
    currency: typeof object.currency === 'string' ? object.currency.toUpperCase() : null,
    failureMessage: typeof object.failure_message === 'string' ? object.failure_message : null,
  };
}

/**
 * Stripe's Connect events about payouts to a freelancer's bank. `payout.paid`: the payouts
 * are read afresh from Stripe (a late or repeated delivery books nothing new) and booked in
 * the transaction that records the event. `payout.failed`: nothing is booked (the money is
 * still in the payout account, Stripe retries or the freelancer fixes their bank details);
 * the freelancer is told, once.
 */
export function registerPayoutWebhooks(registry: WebhookRegistry, payouts: PayoutSync): void {
  registry.on('payout.paid', async ({ event, rail, applyOnce }) => {
    const about = payoutEventOf(event);
    if (!about) return;
    const freelancerId = await payouts.freelancerOf(about.accountId);
    // Not one of our freelancers' accounts.
    if (!freelancerId) return;
    await payouts.serialized(freelancerId, async () => {
      const listed = await rail.listPayouts(about.accountId);
      await applyOnce(async (sync) => {
        await payouts.bookPaid(sync.trx, freelancerId, listed);
      });
    });
  });

  registry.on('payout.failed', async ({ event, rail, applyOnce }) => {
    const about = payoutEventOf(event);
    if (!about) return;
    const freelancerId = await payouts.freelancerOf(about.accountId);
    if (!freelancerId) return;
    const listed = (await rail.listPayouts(about.accountId)).find((p) => p.id === about.payoutId);
    // Stripe's current word wins over the event's snapshot (it may have been retried since).
    if (listed && listed.status !== 'failed') return;
    const amountMinor = listed?.amountMinor ?? about.amountMinor;
    const currency = listed?.currency ?? about.currency;
    const amount =
      amountMinor !== null && currency !== null ? formatMoney({ amountMinor, currency }) : null;
    await applyOnce(async (sync) => {
      await notify(sync, {
        userId: freelancerId,
        kind: 'money-activity',
        title: 'A payout to your bank failed',
        body: [
          `The payout${amount ? ` of ${amount}` : ''} to your bank account did not go through`,
          about.failureMessage ? ` (${about.failureMessage})` : '',
          '. The money stays in your payout account; check your bank details in Payments settings.',
        ].join(''),
        link: '/settings/payments',
      });
    });
  });
}
