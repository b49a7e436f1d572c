import { z } from 'zod';
import { escrowDocumentSchema } from '../../../shared/money/escrow.ts';
import {
  fundEscrowBodySchema,
  releaseEscrowBodySchema,
  retryPaymentBodySchema,
  walletSchema,
  walletTransactionPageSchema,
  walletTransactionsQuerySchema,
} from '../../../shared/money/escrow-commands.ts';
import type { Db } from '../../db/database.ts';
import { actorOf } from '../../audit/audit-log.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { idempotent } from '../idempotency/idempotent-route.ts';
import type { EscrowService } from './escrow-service.ts';
import { walletOf, walletTransactions } from './wallet.ts';

const tags = ['Escrow'];
const idParams = z.object({ id: z.uuid() });
const escrowAnswer = { description: 'The escrow', schema: escrowDocumentSchema };

/** The escrow commands (each idempotent: `Idempotency-Key` header) and the wallet reads. */
export function escrowRoutes(db: Db, escrows: EscrowService): AnyRoute[] {
  return [
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows',
        summary: 'Fund a milestone or an hourly week into escrow (charges the client)',
        tags,
        auth: true,
        body: fundEscrowBodySchema,
        responses: {
          201: {
            description: 'The escrow, funded or awaiting payment',
            schema: escrowDocumentSchema,
          },
        },
        handle: async ({ auth, body, meta }) => ({
          status: 201,
          body: await escrows.fund(auth, body, actorOf(auth, meta)),
        }),
      }),
    ),
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows/:id/payments',
        summary: 'Pay again for an escrow whose payment failed',
        tags,
        auth: true,
        params: idParams,
        body: retryPaymentBodySchema,
        responses: { 200: escrowAnswer },
        handle: async ({ auth, params, body, meta }) => ({
          status: 200,
          body: await escrows.retryPayment(auth, params.id, body, actorOf(auth, meta)),
        }),
      }),
    ),
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows/:id/submit',
        summary: 'Submit a funded milestone for the client’s review (freelancer)',
        tags,
        auth: true,
        params: idParams,
        responses: { 200: escrowAnswer },
        handle: async ({ auth, params, meta }) => ({
          status: 200,
          body: await escrows.submit(auth, params.id, actorOf(auth, meta)),
        }),
      }),
    ),
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/escrows/:id/release',
        summary: 'Release escrow to the freelancer, all or part (client)',
        tags,
        auth: true,
        params: idParams,
        body: releaseEscrowBodySchema,
        responses: { 200: escrowAnswer },
        handle: async ({ auth, params, body, meta }) => ({
          status: 200,
          body: await escrows.release(auth, params.id, body, actorOf(auth, meta)),
        }),
      }),
    ),
    defineRoute({
      method: 'get',
      path: '/escrows/:id',
      summary: 'One escrow (its contract’s parties)',
      tags,
      auth: true,
      params: idParams,
      responses: { 200: escrowAnswer },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await escrows.get(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id/escrows',
      summary: 'A contract’s escrows, oldest first (its parties)',
      tags,
      auth: true,
      params: idParams,
      responses: { 200: { description: 'The escrows', schema: z.array(escrowDocumentSchema) } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await escrows.listForContract(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/wallet',
      summary: 'The caller’s balances per currency: pending, available, in escrow',
      tags,
      auth: true,
      responses: { 200: { description: 'The wallet', schema: walletSchema } },
      handle: async ({ auth }) => ({ status: 200, body: await walletOf(db.kysely, auth.userId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/wallet/transactions',
      summary: 'The caller’s money movements with fees, newest first',
      tags,
      auth: true,
      query: walletTransactionsQuerySchema,
      responses: {
        200: { description: 'A page of transactions', schema: walletTransactionPageSchema },
      },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: await walletTransactions(db.kysely, auth.userId, query),
      }),
    }),
  ];
}
