import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { positiveMinorSchema } from './escrow.ts';
import { currencySchema } from './money.ts';

/**
 * The escrow commands' payloads and the wallet's answers (server/money/escrow/routes.ts).
 * Every command (POST) needs an `Idempotency-Key` header: the first answer to a key is
 * stored and replayed for 24 hours, so a retried request never moves money twice.
 *
 *   POST /api/v1/escrows                      FundEscrowBody      → 201 EscrowDocument
 *   POST /api/v1/escrows/:id/payments         RetryPaymentBody    → 200 EscrowDocument
 *   POST /api/v1/escrows/:id/submit           (no body)           → 200 EscrowDocument
 *   POST /api/v1/escrows/:id/release          ReleaseEscrowBody   → 200 EscrowDocument
 *   GET  /api/v1/escrows/:id                                      → 200 EscrowDocument
 *   GET  /api/v1/contracts/:id/escrows                            → 200 EscrowDocument[]
 *   GET  /api/v1/wallet                                           → 200 Wallet
 *   GET  /api/v1/wallet/transactions?…        WalletTransactionsQuery → 200 WalletTransactionPage
 */

export const idempotencyKeyHeader = 'Idempotency-Key';
/** Set on an answer replayed from a stored Idempotency-Key. */
export const idempotentReplayedHeader = 'Idempotent-Replayed';

/** A saved payment method's id at the rail (Stripe `pm_…`; the sandbox's test cards). */
const paymentMethodId = z.string().trim().min(1).max(255);

/** Fund a milestone of a fixed-price contract: the amount is the milestone's. */
export const fundMilestoneBodySchema = z
  .object({
    contractId: z.uuid(),
    milestoneId: z.uuid(),
    /** Default: the client's saved default card. */
    paymentMethodId: paymentMethodId.optional(),
    /** Optional check: must be the contract's currency. */
    currency: currencySchema.optional(),
  })
  .strict();

/** Fund a week of an hourly contract with an amount the client chooses (e.g. limit × rate). */
export const fundWeekBodySchema = z
  .object({
    contractId: z.uuid(),
    /** ISO week, `2026-W47`. */
    week: z
      .string()
      .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'must be an ISO week such as 2026-W47'),
    amountMinor: positiveMinorSchema,
    paymentMethodId: paymentMethodId.optional(),
    /** Optional check: must be the contract's currency. */
    currency: currencySchema.optional(),
  })
  .strict();

export const fundEscrowBodySchema = z
  .union([fundMilestoneBodySchema, fundWeekBodySchema])
  .meta({ id: 'FundEscrowBody' });
export type FundEscrowBody = z.infer<typeof fundEscrowBodySchema>;

/** Pay again for an escrow whose last payment failed. */
export const retryPaymentBodySchema = z
  .object({ paymentMethodId: paymentMethodId.optional() })
  .strict()
  .meta({ id: 'RetryPaymentBody' });
export type RetryPaymentBody = z.infer<typeof retryPaymentBodySchema>;

/**
 * Release money to the freelancer. Without an amount: everything held (milestones), or the
 * week's approved time amount capped at what is held (hourly weeks).
 */
export const releaseEscrowBodySchema = z
  .object({
    amountMinor: positiveMinorSchema.optional(),
    /** Optional check: must be the escrow's currency. */
    currency: currencySchema.optional(),
  })
  .strict()
  .meta({ id: 'ReleaseEscrowBody' });
export type ReleaseEscrowBody = z.infer<typeof releaseEscrowBodySchema>;

/** The caller's money in one currency. */
export const walletBalanceSchema = z
  .object({
    currency: currencySchema,
    /** Freelancer: released to them, not yet transferred to their payout account. */
    pendingMinor: z.int(),
    /** Freelancer: in their payout account, not yet paid out to the bank. */
    availableMinor: z.int(),
    /** Held in escrow on the caller's contracts (as client or freelancer). */
    inEscrowMinor: z.int(),
  })
  .strict();
export type WalletBalance = z.infer<typeof walletBalanceSchema>;

export const walletSchema = z
  .object({ balances: z.array(walletBalanceSchema) })
  .strict()
  .meta({ id: 'Wallet' });
export type Wallet = z.infer<typeof walletSchema>;

export const walletTransactionKinds = [
  'escrow.fund',
  'escrow.release',
  'escrow.refund',
  'escrow.refund_reversal',
  'chargeback.lost',
  'payout.transfer',
  'payout.paid',
] as const;
export const walletTransactionKindSchema = z.enum(walletTransactionKinds);
export type WalletTransactionKind = z.infer<typeof walletTransactionKindSchema>;

/** One money movement the caller was part of, with its fees. */
export const walletTransactionSchema = z
  .object({
    /** The ledger transaction's id. */
    id: z.int(),
    kind: walletTransactionKindSchema,
    escrowId: z.uuid().nullable(),
    contractId: z.uuid().nullable(),
    currency: currencySchema,
    grossMinor: z.int(),
    platformFeeMinor: z.int(),
    providerFeeMinor: z.int(),
    /** What reached the freelancer (releases) or was funded net of nothing (fundings: gross). */
    netMinor: z.int(),
    createdAt: instantSchema,
  })
  .strict();
export type WalletTransaction = z.infer<typeof walletTransactionSchema>;

export const walletTransactionsQuerySchema = z.object({
  kind: walletTransactionKindSchema.optional(),
  /** Inclusive lower bound of `createdAt`. */
  from: instantSchema.optional(),
  /** Exclusive upper bound of `createdAt`. */
  to: instantSchema.optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type WalletTransactionsQuery = z.infer<typeof walletTransactionsQuerySchema>;

export const walletTransactionPageSchema = z
  .object({
    transactions: z.array(walletTransactionSchema),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    nextCursor: z.int().nullable(),
  })
  .strict()
  .meta({ id: 'WalletTransactionPage' });
export type WalletTransactionPage = z.infer<typeof walletTransactionPageSchema>;
