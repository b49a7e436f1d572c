import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import {
  RailError,
  type CreatePaymentInput,
  type PaymentRail,
  type PayoutAccountStatus,
  type RailPayment,
  type RailPayout,
  type RailRefund,
  type RailTransfer,
  type RefundInput,
  type SavedPaymentMethod,
  type TransferInput,
} from './payment-rail.ts';

/** What the sandbox charges per payment, like a card processor: 2.9% + 30 minor units. */
export const sandboxFeeMinor = (amountMinor: number) => Math.round(amountMinor * 0.029) + 30;
export const SANDBOX_DECLINE_MESSAGE = 'Your card was declined (sandbox test card).';
export type SandboxCardOutcome = 'succeeds' | 'declines';

/**
 * The sandbox rail: a clearly labelled stand-in for Stripe when no keys are configured, so
 * the whole money flow runs on one machine. No money moves anywhere. It keeps its state in
 * the database (cards, payments, refunds, payout accounts, transfers), so it survives a
 * restart, and keeps the interface's promises the way Stripe does: the same idempotency key
 * replays the first answer (a decline included) and refuses other parameters; refunds never
 * exceed the payment; transfers need a completed payout account.
 */
export class SandboxRail implements PaymentRail {
  readonly name = 'sandbox' as const;
  private readonly db: Db;
  private readonly publicUrl: () => string;

  /** `publicUrl`: the server's own base URL, where the sandbox onboarding page lives. */
  constructor(db: Db, publicUrl: () => string) {
    this.db = db;
    this.publicUrl = publicUrl;
  }

  createCustomer(): Promise<{ customerId: string }> {
    return Promise.resolve({ customerId: newId('sbx_cus') });
  }

  /** The sandbox's "add a card" command: a test card that always succeeds or always declines. */
  async addTestCard(customerId: string, outcome: SandboxCardOutcome): Promise<SavedPaymentMethod> {
    const method = {
      id: newId('sbx_pm'),
      customer_id: customerId,
      outcome,
      brand: 'sandbox',
      last4: outcome === 'succeeds' ? '4242' : '0002',
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 5,
      created_at: new Date().toISOString(),
    };
    await this.db.kysely.insertInto('sandbox_payment_methods').values(method).execute();
    return methodOf(method);
  }

  async listPaymentMethods(customerId: string): Promise<SavedPaymentMethod[]> {
    const rows = await this.db.kysely
      .selectFrom('sandbox_payment_methods')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('detached', '=', 0)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(methodOf);
  }

  async detachPaymentMethod(customerId: string, paymentMethodId: string): Promise<void> {
    const result = await this.db.kysely
      .updateTable('sandbox_payment_methods')
      .set({ detached: 1 })
      .where('id', '=', paymentMethodId)
      .where('customer_id', '=', customerId)
      .where('detached', '=', 0)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new RailError('invalid_request', `No saved payment method ${paymentMethodId}.`);
    }
  }

  async createPayment(input: CreatePaymentInput): Promise<RailPayment> {
    const method = await this.db.kysely
      .selectFrom('sandbox_payment_methods')
      .selectAll()
      .where('id', '=', input.paymentMethodId)
      .where('customer_id', '=', input.customerId)
      .where('detached', '=', 0)
      .executeTakeFirst();
    if (!method) {
      throw new RailError('invalid_request', `No saved payment method ${input.paymentMethodId}.`);
    }
    const succeeds = method.outcome === 'succeeds';
    const currency = input.currency.toUpperCase();
    const hash = hashOf([
      'payment',
      input.customerId,
      input.paymentMethodId,
      input.amountMinor,
      currency,
      input.metadata,
    ]);
    await this.db.kysely
      .insertInto('sandbox_payments')
      .values({
        id: newId('sbx_pay'),
        idempotency_key: input.idempotencyKey,
        request_hash: hash,
        customer_id: input.customerId,
        payment_method_id: input.paymentMethodId,
        amount_minor: input.amountMinor,
        currency,
        status: succeeds ? 'succeeded' : 'failed',
        fee_minor: succeeds ? sandboxFeeMinor(input.amountMinor) : null,
        failure_message: succeeds ? null : SANDBOX_DECLINE_MESSAGE,
        metadata: JSON.stringify(input.metadata),
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    // Whoever inserted first, the row under the key is the answer (a replay, if not ours).
    const row = await this.db.kysely
      .selectFrom('sandbox_payments')
      .selectAll()
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirstOrThrow();
    sameParameters(row.request_hash, hash, input.idempotencyKey);
    if (row.status === 'failed') {
      throw new RailError('declined', row.failure_message ?? SANDBOX_DECLINE_MESSAGE);
    }
    return paymentOf(row);
  }

  async retrievePayment(paymentId: string): Promise<RailPayment> {
    const row = await this.db.kysely
      .selectFrom('sandbox_payments')
      .selectAll()
      .where('id', '=', paymentId)
      .executeTakeFirst();
    if (!row) throw new RailError('invalid_request', `No such sandbox payment: ${paymentId}.`);
    return paymentOf(row);
  }

  async refund(input: RefundInput): Promise<RailRefund> {
    const hash = hashOf(['refund', input.paymentId, input.amountMinor]);
    const row = await this.db.kysely.transaction().execute(async (trx) => {
      const replay = await trx
        .selectFrom('sandbox_refunds')
        .selectAll()
        .where('idempotency_key', '=', input.idempotencyKey)
        .executeTakeFirst();
      if (replay) return replay;
      // Two refunds of one payment at once: the row lock (PostgreSQL) or SQLite's single
      // writer makes the second see the first before it checks what is left.
      let query = trx
        .selectFrom('sandbox_payments')
        .select(['id', 'status', 'amount_minor'])
        .where('id', '=', input.paymentId);
      if (this.db.dialect === 'postgres') query = query.forUpdate();
      const payment = await query.executeTakeFirst();
      if (!payment) {
        throw new RailError('invalid_request', `No such sandbox payment: ${input.paymentId}.`);
      }
      if (payment.status !== 'succeeded') {
        throw new RailError(
          'invalid_request',
          `The sandbox payment ${input.paymentId} did not succeed; there is nothing to refund.`,
        );
      }
      const { total } = await trx
        .selectFrom('sandbox_refunds')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('total'))
        .where('payment_id', '=', input.paymentId)
        .executeTakeFirstOrThrow();
      const left = payment.amount_minor - Number(total);
      if (input.amountMinor > left) {
        throw new RailError(
          'invalid_request',
          `Refund amount (${input.amountMinor}) is greater than the unrefunded amount of the payment (${left}).`,
        );
      }
      const created = {
        id: newId('sbx_re'),
        idempotency_key: input.idempotencyKey,
        request_hash: hash,
        payment_id: input.paymentId,
        amount_minor: input.amountMinor,
        created_at: new Date().toISOString(),
      };
      await trx.insertInto('sandbox_refunds').values(created).execute();
      return created;
    });
    sameParameters(row.request_hash, hash, input.idempotencyKey);
    return {
      id: row.id,
      paymentId: row.payment_id,
      status: 'succeeded',
      amountMinor: Number(row.amount_minor),
      failureMessage: null,
    };
  }

  async createPayoutAccount(input: {
    userId: string;
    email: string;
    country: string;
  }): Promise<{ accountId: string }> {
    await this.db.kysely
      .insertInto('sandbox_accounts')
      .values({
        id: newId('sbx_acct'),
        user_id: input.userId,
        email: input.email,
        country: input.country,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
    const row = await this.db.kysely
      .selectFrom('sandbox_accounts')
      .select('id')
      .where('user_id', '=', input.userId)
      .executeTakeFirstOrThrow();
    return { accountId: row.id };
  }

  async retrievePayoutAccount(accountId: string): Promise<PayoutAccountStatus> {
    const row = await this.accountRow(accountId);
    const complete = row.details_submitted === 1;
    return {
      accountId,
      detailsSubmitted: complete,
      chargesEnabled: complete,
      payoutsEnabled: complete,
      requirementsDue: complete ? [] : ['sandbox.onboarding'],
    };
  }

  async createOnboardingLink(input: { accountId: string }): Promise<{ url: string }> {
    await this.accountRow(input.accountId);
    const token = randomBytes(24).toString('base64url');
    await this.db.kysely
      .updateTable('sandbox_accounts')
      .set({ onboarding_token: token })
      .where('id', '=', input.accountId)
      .execute();
    return { url: `${this.publicUrl()}/api/v1/payments/sandbox/onboarding/${token}` };
  }

  /** The sandbox onboarding page was visited: the account is complete. Null: unknown link. */
  async completeOnboarding(token: string): Promise<string | null> {
    const row = await this.db.kysely
      .updateTable('sandbox_accounts')
      .set({ details_submitted: 1, onboarding_token: null })
      .where('onboarding_token', '=', token)
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async transfer(input: TransferInput): Promise<RailTransfer> {
    const account = await this.accountRow(input.accountId);
    if (account.details_submitted !== 1) {
      throw new RailError(
        'invalid_request',
        `The sandbox payout account ${input.accountId} has not completed onboarding.`,
      );
    }
    const currency = input.currency.toUpperCase();
    const hash = hashOf(['transfer', input.accountId, input.amountMinor, currency]);
    await this.db.kysely
      .insertInto('sandbox_transfers')
      .values({
        id: newId('sbx_tr'),
        idempotency_key: input.idempotencyKey,
        request_hash: hash,
        account_id: input.accountId,
        amount_minor: input.amountMinor,
        currency,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    const row = await this.db.kysely
      .selectFrom('sandbox_transfers')
      .selectAll()
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirstOrThrow();
    sameParameters(row.request_hash, hash, input.idempotencyKey);
    return { id: row.id, amountMinor: Number(row.amount_minor), currency: row.currency };
  }

  /** The sandbox pays each transfer out at once: one paid payout per transfer. */
  async listPayouts(accountId: string): Promise<RailPayout[]> {
    await this.accountRow(accountId);
    const rows = await this.db.kysely
      .selectFrom('sandbox_transfers')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(20)
      .execute();
    return rows.map((row) => ({
      id: row.id.replace('sbx_tr', 'sbx_po'),
      amountMinor: Number(row.amount_minor),
      currency: row.currency,
      status: 'paid',
      arrivalDate: new Date(row.created_at).toISOString(),
    }));
  }

  private async accountRow(accountId: string) {
    const row = await this.db.kysely
      .selectFrom('sandbox_accounts')
      .selectAll()
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new RailError('invalid_request', `No such sandbox account: ${accountId}.`);
    return row;
  }
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

function hashOf(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function sameParameters(stored: string, sent: string, key: string): void {
  if (stored !== sent) {
    throw new RailError(
      'invalid_request',
      `The idempotency key ${key} was first used with other parameters; use a new key for a different request.`,
    );
  }
}

function methodOf(row: {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}): SavedPaymentMethod {
  return {
    id: row.id,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
  };
}

function paymentOf(row: {
  id: string;
  status: 'succeeded' | 'failed';
  amount_minor: number;
  currency: string;
  fee_minor: number | null;
  failure_message: string | null;
  metadata: string;
}): RailPayment {
  return {
    id: row.id,
    status: row.status,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    providerFeeMinor: row.fee_minor === null ? null : Number(row.fee_minor),
    failureMessage: row.failure_message,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
  };
}
