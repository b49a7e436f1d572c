import express, { type Router } from 'express';
import { z } from 'zod';
import {
  hostedPageSchema,
  paymentMethodIdParamsSchema,
  paymentMethodListSchema,
  payoutAccountSchema,
  payoutListSchema,
  railInfoSchema,
  sandboxCardInputSchema,
  savedPaymentMethodSchema,
} from '../../../shared/money/payment-accounts.ts';
import { actorOf, recordActorAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/database.ts';
import { problems } from '../../http/problem.ts';
import { defineRoute, type AnyRoute, type AuthContext } from '../../http/route.ts';
import type { ConfiguredRail } from '../rails/rail-from-config.ts';
import { customerFor, storedCustomer } from './customers.ts';
import {
  ensurePayoutAccount,
  payoutAccountFor,
  payoutAccountView,
  refreshPayoutAccount,
} from './payout-accounts.ts';
import { withRail } from './rail-problems.ts';

export interface PaymentAccountDeps {
  db: Db;
  configured: ConfiguredRail;
  payoutCountry: string;
  /** The platform's fee on releases, told to the app so it can show nets before release. */
  platformFeeBps: number;
  /** The server's base URL: return pages after Checkout and onboarding live there. */
  publicUrl: () => string;
}

const tags = ['Payments'];
const returnPages = {
  'card-saved': 'Your card is saved. You can close this tab and go back to MegiLance.',
  'card-cancelled': 'No card was saved. You can close this tab and go back to MegiLance.',
  'onboarding-done': 'Thank you. You can close this tab and go back to MegiLance.',
  'onboarding-expired':
    'This onboarding link has expired. Start again from Payments settings in MegiLance.',
} as const;

function requireRole(auth: AuthContext, role: 'client' | 'freelancer', what: string): void {
  if (auth.role !== role && auth.role !== 'admin') {
    throw problems.forbidden(`Only ${role}s ${what}.`);
  }
}

export function paymentAccountRoutes(deps: PaymentAccountDeps): AnyRoute[] {
  const { db, configured } = deps;
  const rail = configured.rail;
  const page = (name: keyof typeof returnPages) =>
    `${deps.publicUrl()}/api/v1/payments/return/${name}`;

  return [
    defineRoute({
      method: 'get',
      path: '/payments/rail',
      summary:
        'Which payment rail the server runs on (stripe, or the sandbox), and the platform fee',
      tags,
      auth: true,
      responses: { 200: { description: 'The rail', schema: railInfoSchema } },
      handle: () =>
        Promise.resolve({
          status: 200,
          body: { rail: rail.name, platformFeeBps: deps.platformFeeBps },
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/payments/methods',
      summary: 'My saved cards, newest (the one escrow funding charges) first',
      tags,
      auth: true,
      responses: { 200: { description: 'Saved cards', schema: paymentMethodListSchema } },
      handle: async ({ auth }) => {
        const customerId = await storedCustomer(db, rail, auth.userId);
        const data = customerId ? await withRail(() => rail.listPaymentMethods(customerId)) : [];
        return { status: 200, body: { data } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/payments/methods/:id',
      summary: 'Remove one of my saved cards',
      tags,
      auth: true,
      params: paymentMethodIdParamsSchema,
      responses: { 204: { description: 'Removed' } },
      handle: async ({ auth, params, meta }) => {
        const customerId = await storedCustomer(db, rail, auth.userId);
        const mine = customerId
          ? (await withRail(() => rail.listPaymentMethods(customerId))).some(
              (m) => m.id === params.id,
            )
          : false;
        if (!customerId || !mine) throw problems.notFound(`You have no saved card ${params.id}.`);
        await withRail(() => rail.detachPaymentMethod(customerId, params.id));
        // The card lives at the provider, not in a table of ours: recorded once it is gone.
        await recordActorAudit(db.kysely, actorOf(auth, meta), 'payment_method.removed', {
          rail: rail.name,
          paymentMethodId: params.id,
        });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/payments/methods/setup',
      summary: 'Start saving a card: a Stripe Checkout page (setup mode) to open in the browser',
      tags,
      auth: true,
      responses: { 201: { description: 'The page to open', schema: hostedPageSchema } },
      handle: async ({ auth }) => {
        requireRole(auth, 'client', 'save cards to fund escrow');
        if (configured.kind !== 'stripe') {
          throw problems.notFound(
            'The sandbox rail has no card page: add a test card with POST /api/v1/payments/sandbox/cards.',
          );
        }
        const customerId = await withRail(() => customerFor(db, rail, auth.userId));
        const { url } = await withRail(() =>
          configured.rail.createCardSetup({
            customerId,
            successUrl: page('card-saved'),
            cancelUrl: page('card-cancelled'),
          }),
        );
        return { status: 201, body: { url } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/payments/sandbox/cards',
      summary: 'Sandbox only: save a test card that always succeeds or always declines',
      tags,
      auth: true,
      body: sandboxCardInputSchema,
      responses: { 201: { description: 'The saved test card', schema: savedPaymentMethodSchema } },
      handle: async ({ auth, body, meta }) => {
        requireRole(auth, 'client', 'save cards to fund escrow');
        if (configured.kind !== 'sandbox') {
          throw problems.notFound(
            'Test cards exist only on the sandbox rail; this server runs on Stripe.',
          );
        }
        const customerId = await customerFor(db, rail, auth.userId);
        const card = await configured.rail.addTestCard(customerId, body.outcome);
        await recordActorAudit(db.kysely, actorOf(auth, meta), 'payment_method.added', {
          rail: rail.name,
          paymentMethodId: card.id,
          outcome: body.outcome,
        });
        return { status: 201, body: card };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/payments/payout-account',
      summary: 'My payout account: none, onboarding or active, and what is still due',
      tags,
      auth: true,
      responses: { 200: { description: 'Payout account status', schema: payoutAccountSchema } },
      handle: async ({ auth }) => {
        let account = await payoutAccountFor(db, rail, auth.userId);
        if (account?.status === 'onboarding') {
          // Not active yet: ask the provider, in case its webhook has not arrived.
          const { accountId } = account;
          const status = await withRail(() => rail.retrievePayoutAccount(accountId));
          await refreshPayoutAccount(db.kysely, rail, status);
          account = await payoutAccountFor(db, rail, auth.userId);
        }
        return { status: 200, body: payoutAccountView(rail, account) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/payments/payout-account/onboarding',
      summary: 'A one-time onboarding link (creates my payout account on first use)',
      tags,
      auth: true,
      responses: { 200: { description: 'The page to open', schema: hostedPageSchema } },
      handle: async ({ auth, meta }) => {
        requireRole(auth, 'freelancer', 'have payout accounts');
        const account = await withRail(() =>
          ensurePayoutAccount(db, rail, auth.userId, deps.payoutCountry),
        );
        const link = await withRail(() =>
          rail.createOnboardingLink({
            accountId: account.accountId,
            returnUrl: page('onboarding-done'),
            refreshUrl: page('onboarding-expired'),
          }),
        );
        await recordActorAudit(
          db.kysely,
          actorOf(auth, meta),
          'payout_account.onboarding_started',
          {
            rail: rail.name,
            accountId: account.accountId,
          },
        );
        return { status: 200, body: link };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/payments/payouts',
      summary: 'Recent payouts from my payout account to my bank',
      tags,
      auth: true,
      responses: { 200: { description: 'Payouts, newest first', schema: payoutListSchema } },
      handle: async ({ auth }) => {
        const account = await payoutAccountFor(db, rail, auth.userId);
        const data = account ? await withRail(() => rail.listPayouts(account.accountId)) : [];
        return { status: 200, body: { data } };
      },
    }),
  ];
}

const pageParams = z.object({
  page: z.enum(Object.keys(returnPages) as [keyof typeof returnPages]),
});

/**
 * Plain pages a browser lands on: where Checkout and Connect onboarding return to, and the
 * sandbox's onboarding page, which completes the sandbox account its one-time link names.
 */
export function paymentPagesRouter(deps: PaymentAccountDeps): Router {
  const router = express.Router();
  router.get('/payments/return/:page', (req, res) => {
    const parsed = pageParams.safeParse(req.params);
    if (!parsed.success) throw problems.notFound('No such page.');
    res.type('html').send(html('MegiLance payments', returnPages[parsed.data.page]));
  });
  router.get('/payments/sandbox/onboarding/:token', async (req, res) => {
    const { configured, db } = deps;
    if (configured.kind !== 'sandbox') throw problems.notFound('The sandbox rail is not in use.');
    const accountId = await configured.rail.completeOnboarding(req.params.token);
    if (!accountId) {
      throw problems.notFound('This sandbox onboarding link was used already or never existed.');
    }
    await refreshPayoutAccount(
      db.kysely,
      configured.rail,
      await configured.rail.retrievePayoutAccount(accountId),
    );
    res
      .type('html')
      .send(
        html(
          'MegiLance sandbox onboarding',
          'SANDBOX: your payout account is set up (no real bank account, no real money). You can close this tab and go back to MegiLance.',
        ),
      );
  });
  return router;
}

function html(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>`;
}
