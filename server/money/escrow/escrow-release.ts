import { recordActorAudit, type AuditActor } from '../../audit/audit-log.ts';
import type { SyncedWrites } from '../../sync/synced-writes.ts';
import { postTransaction } from '../ledger/ledger.ts';
import { withLedgerProblems } from '../ledger/ledger-problems.ts';
import {
  conflict,
  heldOf,
  rejectWaitingRefunds,
  setMilestoneStatus,
  type EscrowRow,
} from '../refunds/escrow-state.ts';
import { platformFeeOf } from '../../../shared/money/fees.ts';
import { releasePosting } from './escrow-postings.ts';

export interface ReleaseSettings {
  /** PLATFORM_FEE_BPS: the platform's fee on each release, in basis points (1000 = 10 %). */
  platformFeeBps: number;
}

/**
 * Moves `amountMinor` of what `seen` holds to the freelancer (minus the platform fee), in
 * one synced transaction. The escrow row is updated only if it is still exactly as `seen`
 * (status and amounts: compare-and-set), with the ledger posting in the same transaction,
 * so two releases racing over one escrow (two clicks, or a click and the auto release)
 * move the money once; the loser gets a 409 and nothing moves. `releaseId` is the ledger
 * reference: a second posting under the same id is refused as a duplicate. `actor`: the
 * client, or the server itself for the auto release (audited as `by: 'auto'`).
 */
export async function releaseEscrow(
  writes: SyncedWrites,
  settings: ReleaseSettings,
  seen: EscrowRow,
  amountMinor: number,
  releaseId: string,
  actor: AuditActor,
): Promise<{ platformFeeMinor: number; netMinor: number }> {
  const fee = platformFeeOf(amountMinor, settings.platformFeeBps);
  const net = amountMinor - fee;
  const heldAfter = heldOf(seen) - amountMinor;
  const now = new Date().toISOString();
  await withLedgerProblems(() =>
    writes.transaction(async (sync) => {
      const seq = await sync.stamp('escrows', [seen.client_id, seen.freelancer_id]);
      const updated = await sync.trx
        .updateTable('escrows')
        .set({
          released_minor: seen.released_minor + amountMinor,
          platform_fee_minor: seen.platform_fee_minor + fee,
          ...(heldAfter === 0 ? { status: 'settled' as const } : {}),
          seq,
          updated_at: now,
        })
        .where('id', '=', seen.id)
        .where('status', '=', seen.status)
        .where('funded_minor', '=', seen.funded_minor)
        .where('released_minor', '=', seen.released_minor)
        .where('refunded_minor', '=', seen.refunded_minor)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        throw conflict(
          'The escrow changed while this release was being made; reload it and try again.',
        );
      }
      const posted = await postTransaction(
        sync.trx,
        releasePosting({
          releaseId,
          contractId: seen.contract_id,
          freelancerId: seen.freelancer_id,
          currency: seen.currency,
          amountMinor,
          platformFeeMinor: fee,
        }),
      );
      await sync.trx
        .insertInto('transaction_fees')
        .values({
          ledger_transaction_id: posted.id,
          escrow_id: seen.id,
          currency: seen.currency,
          gross_minor: amountMinor,
          platform_fee_minor: fee,
          provider_fee_minor: 0,
          net_minor: net,
          created_at: now,
        })
        .execute();
      if (heldAfter === 0) {
        await setMilestoneStatus(sync, seen, 'released');
        // Nothing is held any more: a refund still asked for can no longer be met.
        await rejectWaitingRefunds(sync, seen.id, null, actor);
      }
      await recordActorAudit(sync.trx, actor, 'escrow.released', {
        escrowId: seen.id,
        contractId: seen.contract_id,
        freelancerId: seen.freelancer_id,
        amountMinor,
        platformFeeMinor: fee,
        netMinor: net,
        currency: seen.currency,
        by: actor.userId === null ? 'auto' : 'client',
        ledgerReference: releaseId,
      });
    }),
  );
  return { platformFeeMinor: fee, netMinor: net };
}
