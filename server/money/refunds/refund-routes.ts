import {
  escrowRefundParamsSchema,
  escrowRefundsParamsSchema,
  refundCommandResultSchema,
  requestRefundInputSchema,
} from '../../../shared/money/refund-commands.ts';
import { actorOf } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { idempotent } from '../idempotency/idempotent-route.ts';
import { withLedgerProblems } from '../ledger/ledger-problems.ts';
import type { RefundService } from './refund-service.ts';

const tags = ['Money'];

/**
 *   POST /escrows/:id/refunds                       RequestRefundInput → 201 RefundCommandResult
 *   POST /escrows/:id/refunds/:refundId/approve     (no body)          → 200 RefundCommandResult
 *   POST /escrows/:id/refunds/:refundId/reject      (no body)          → 200 RefundCommandResult
 * Each needs an Idempotency-Key header.
 */
export function refundRoutes(db: Db, refunds: RefundService): AnyRoute[] {
  const responses = {
    200: { description: 'The refund and its escrow', schema: refundCommandResultSchema },
  };
  return [
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows/:id/refunds',
        summary: 'Ask for a refund (client) or offer one (freelancer) from a funded escrow',
        tags,
        auth: true,
        params: escrowRefundsParamsSchema,
        body: requestRefundInputSchema,
        responses: {
          201: { description: 'The refund requested', schema: refundCommandResultSchema },
        },
        handle: async ({ auth, params, body, meta }) => ({
          status: 201,
          body: await refunds.request(auth, params.id, body, actorOf(auth, meta)),
        }),
      }),
    ),
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows/:id/refunds/:refundId/approve',
        summary: 'Approve a refund (the other party or an admin): refunds it through the rail',
        tags,
        auth: true,
        params: escrowRefundParamsSchema,
        responses,
        handle: async ({ auth, params, meta }) => ({
          status: 200,
          body: await withLedgerProblems(() =>
            refunds.approve(auth, params.id, params.refundId, actorOf(auth, meta)),
          ),
        }),
      }),
    ),
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows/:id/refunds/:refundId/reject',
        summary: 'Reject a refund (the other party or an admin)',
        tags,
        auth: true,
        params: escrowRefundParamsSchema,
        responses,
        handle: async ({ auth, params, meta }) => ({
          status: 200,
          body: await refunds.reject(auth, params.id, params.refundId, actorOf(auth, meta)),
        }),
      }),
    ),
  ];
}
