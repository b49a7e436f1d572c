import express, { type Router } from 'express';
import { z } from 'zod';
import {
  createInvoiceSchema,
  invoiceDocumentSchema,
  invoiceIdParamsSchema,
  invoiceListQuerySchema,
  invoiceListSchema,
  invoiceTransitionSchema,
  updateInvoiceSchema,
} from '../../../shared/money/invoices.ts';
import { actorOf } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { problems } from '../../http/problem.ts';
import { defineRoute, type AnyRoute, type Authenticate } from '../../http/route.ts';
import { idempotent } from '../idempotency/idempotent-route.ts';
import { renderInvoicePdf } from './invoice-pdf.ts';
import type { InvoiceService } from './invoice-service.ts';

const tags = ['Invoices'];

/**
 * The invoice commands and reads. The POST commands need an `Idempotency-Key` (a retried
 * create never makes a second draft; a retried send never takes a second number).
 */
export function invoiceRoutes(db: Db, invoices: InvoiceService): AnyRoute[] {
  return [
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/invoices',
        summary:
          'Create a draft invoice (the contract’s freelancer): from a week’s approved time, a released milestone, or lines by hand',
        tags,
        auth: true,
        body: createInvoiceSchema,
        responses: { 201: { description: 'The draft invoice', schema: invoiceDocumentSchema } },
        handle: async ({ auth, body, meta }) => ({
          status: 201,
          body: await invoices.create(auth, body, actorOf(auth, meta)),
        }),
      }),
    ),
    defineRoute({
      method: 'get',
      path: '/invoices',
      summary: 'My invoices, as issuer or recipient, newest first',
      tags,
      auth: true,
      query: invoiceListQuerySchema,
      responses: { 200: { description: 'The invoices', schema: invoiceListSchema } },
      handle: async ({ auth, query }) => ({
        status: 200,
        body: { invoices: await invoices.list(auth, query) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/invoices/:id',
      summary: 'One invoice (its issuer or recipient)',
      tags,
      auth: true,
      params: invoiceIdParamsSchema,
      responses: { 200: { description: 'The invoice', schema: invoiceDocumentSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await invoices.get(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/invoices/:id',
      summary: 'Edit a draft (issuer): lines (invoices by hand), tax rate, due date, notes',
      tags,
      auth: true,
      params: invoiceIdParamsSchema,
      body: updateInvoiceSchema,
      responses: {
        200: { description: 'The draft with new totals', schema: invoiceDocumentSchema },
      },
      handle: async ({ auth, params, body, meta }) => ({
        status: 200,
        body: await invoices.update(auth, params.id, body, actorOf(auth, meta)),
      }),
    }),
    idempotent(
      db,
      defineRoute({
        method: 'post',
        path: '/invoices/:id/transition',
        summary:
          'Send (numbers it), mark paid, or void an invoice (issuer); overdue follows the due date',
        tags,
        auth: true,
        params: invoiceIdParamsSchema,
        body: invoiceTransitionSchema,
        responses: {
          200: { description: 'The invoice in its new status', schema: invoiceDocumentSchema },
        },
        handle: async ({ auth, params, body, meta }) => ({
          status: 200,
          body: await invoices.transition(auth, params.id, body.to, actorOf(auth, meta)),
        }),
      }),
    ),
  ];
}

const uuid = z.uuid();

/**
 * `GET /invoices/:id/pdf`: the invoice rendered on the server (not a JSON route, so mounted as
 * a router). Anyone but its issuer and recipient hears "not found".
 */
export function invoicePdfRouter(invoices: InvoiceService, authenticate: Authenticate): Router {
  const router = express.Router();
  router.get('/invoices/:id/pdf', async (req, res) => {
    const auth = await authenticate(req);
    const id = req.params.id;
    if (!uuid.safeParse(id).success) {
      throw problems.notFound(
        'There is no such invoice, or you are neither its issuer nor its recipient.',
      );
    }
    const invoice = await invoices.get(auth, id);
    const pdf = await renderInvoicePdf(invoice);
    const name = invoice.number ?? `draft-${invoice.id.slice(0, 8)}`;
    res
      .status(200)
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="invoice-${name}.pdf"`)
      .set('Cache-Control', 'private, no-store')
      .send(pdf);
  });
  return router;
}

const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

/** The PDF endpoint in the OpenAPI document (it is not a JSON route). */
export const invoiceOpenApiPaths = {
  '/api/v1/invoices/{id}/pdf': {
    get: {
      summary: 'The invoice as a printable PDF (its issuer or recipient); drafts are marked DRAFT',
      tags,
      security: [{ bearerAuth: [] }],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      ],
      responses: {
        '200': {
          description: 'The PDF',
          content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
        },
        '404': { description: 'Missing, or not yours to read', content: problemContent },
      },
    },
  },
};
