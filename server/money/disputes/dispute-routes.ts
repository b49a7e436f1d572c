import {
  disputeCommandResultSchema,
  escrowDisputeParamsSchema,
  openDisputeInputSchema,
  resolveDisputeInputSchema,
} from '../../../shared/money/dispute-commands.ts';
import { actorOf } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { idempotent } from '../idempotency/idempotent-route.ts';
import { withLedgerProblems } from '../ledger/ledger-problems.ts';
import type { DisputeService } from './dispute-service.ts';

const tags = ['Money'];

/**
 *   POST /escrows/:id/disputes                 OpenDisputeInput    → 201 DisputeCommandResult
 *   POST /admin/escrows/:id/dispute/resolve    ResolveDisputeInput → 200 DisputeCommandResult
 * Each needs an Idempotency-Key header.
 */
export function disputeRoutes(db: Db, disputes: DisputeService): AnyRoute[] {
  return [
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows/:id/disputes',
        summary: 'Dispute a funded or submitted escrow (either party): freezes it',
        tags,
        auth: true,
        params: escrowDisputeParamsSchema,
        body: openDisputeInputSchema,
        responses: {
          201: { description: 'The dispute opened', schema: disputeCommandResultSchema },
        },
        handle: async ({ auth, params, body, meta }) => ({
          status: 201,
          body: await disputes.open(auth, params.id, body, actorOf(auth, meta)),
        }),
      }),
    ),
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/admin/escrows/:id/dispute/resolve',
        summary: 'Resolve an escrow’s dispute (admins): release, refund or split what is held',
        tags,
        auth: true,
        params: escrowDisputeParamsSchema,
        body: resolveDisputeInputSchema,
        responses: {
          200: { description: 'The dispute resolved', schema: disputeCommandResultSchema },
        },
        handle: async ({ auth, params, body, meta }) => ({
          status: 200,
          body: await withLedgerProblems(() =>
            disputes.resolve(auth, params.id, body, actorOf(auth, meta)),
          ),
        }),
      }),
    ),
  ];
}
