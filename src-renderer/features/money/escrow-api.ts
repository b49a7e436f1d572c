import { disputeCommandResultSchema } from '../../../shared/money/dispute-commands.ts';
import { escrowDocumentSchema, type EscrowDocument } from '../../../shared/money/escrow.ts';
import {
  idempotencyKeyHeader,
  walletSchema,
  walletTransactionPageSchema,
  type FundEscrowBody,
  type ReleaseEscrowBody,
  type RetryPaymentBody,
  type Wallet,
  type WalletTransactionKind,
  type WalletTransactionPage,
} from '../../../shared/money/escrow-commands.ts';
import { refundCommandResultSchema } from '../../../shared/money/refund-commands.ts';
import { api } from '../session/api.ts';

/**
 * The escrow, refund and dispute commands and the wallet. Escrows reach devices through
 * sync; a command's answer is only used to say it worked. Every command carries the
 * `Idempotency-Key` of the intent it belongs to (see idempotency.ts).
 */
const id = encodeURIComponent;
const keyed = (key: string) => ({ [idempotencyKeyHeader]: key });

export const fundEscrow = (body: FundEscrowBody, key: string): Promise<EscrowDocument> =>
  api.json('POST', '/escrows', escrowDocumentSchema, body, keyed(key));

export const retryPayment = (
  escrowId: string,
  body: RetryPaymentBody,
  key: string,
): Promise<EscrowDocument> =>
  api.json('POST', `/escrows/${id(escrowId)}/payments`, escrowDocumentSchema, body, keyed(key));

export const submitWork = (escrowId: string, key: string): Promise<EscrowDocument> =>
  api.json('POST', `/escrows/${id(escrowId)}/submit`, escrowDocumentSchema, undefined, keyed(key));

export const releaseEscrow = (
  escrowId: string,
  body: ReleaseEscrowBody,
  key: string,
): Promise<EscrowDocument> =>
  api.json('POST', `/escrows/${id(escrowId)}/release`, escrowDocumentSchema, body, keyed(key));

export const requestRefund = (
  escrowId: string,
  body: { amountMinor: number; reason: string },
  key: string,
) =>
  api.json('POST', `/escrows/${id(escrowId)}/refunds`, refundCommandResultSchema, body, keyed(key));

export const decideRefund = (
  escrowId: string,
  refundId: string,
  decision: 'approve' | 'reject',
  key: string,
) =>
  api.json(
    'POST',
    `/escrows/${id(escrowId)}/refunds/${id(refundId)}/${decision}`,
    refundCommandResultSchema,
    undefined,
    keyed(key),
  );

export const openDispute = (escrowId: string, body: { reason: string }, key: string) =>
  api.json(
    'POST',
    `/escrows/${id(escrowId)}/disputes`,
    disputeCommandResultSchema,
    body,
    keyed(key),
  );

export const fetchWallet = (): Promise<Wallet> => api.json('GET', '/wallet', walletSchema);

export type TransactionFilter = {
  kind?: WalletTransactionKind | undefined;
  /** Instants, inclusive and exclusive. */
  from?: string | undefined;
  to?: string | undefined;
};

export function fetchTransactions(
  filter: TransactionFilter,
  cursor: number | null,
  limit = 25,
): Promise<WalletTransactionPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filter.kind) query.set('kind', filter.kind);
  if (filter.from) query.set('from', filter.from);
  if (filter.to) query.set('to', filter.to);
  if (cursor !== null) query.set('cursor', String(cursor));
  return api.json('GET', `/wallet/transactions?${query.toString()}`, walletTransactionPageSchema);
}
