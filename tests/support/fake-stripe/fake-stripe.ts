import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { listOf, metadataOf, parseForm, stringOf, type FormObject } from './form.ts';

/**
 * A local HTTP server speaking the subset of Stripe's REST API the Stripe rail uses, so the
 * real `stripe` SDK can be pointed at it (`host`, `port`, `protocol: 'http'`). Bodies are
 * form-encoded as the SDK sends them; answers are Stripe-shaped objects and error objects;
 * an `Idempotency-Key` replays the first answer (errors included) and refuses other
 * parameters. Test payment methods, attached like Stripe's test tokens:
 * `pm_card_visa` succeeds, `pm_card_chargeDeclined` is declined, `pm_card_processing`
 * (this fake's own) leaves the PaymentIntent `processing` until `settlePayment`.
 *
 * It also plays Stripe's side of webhooks: events are kept in order, signed with the real
 * scheme (`generateTestHeaderString`) and delivered to a URL on request, once, twice, or in
 * any order the test chooses.
 */
export interface FakeStripe {
  url: string;
  host: string;
  port: number;
  apiKey: string;
  webhookSecret: string;
  /** Every event emitted, oldest first. */
  events: Stripe.Event[];
  /** Where `deliver` posts events. */
  setWebhookUrl(url: string): void;
  /** Posts an event (signed with `secret`, default the real one) and answers the response. */
  deliver(event: Stripe.Event, secret?: string): Promise<{ status: number; body: string }>;
  /** Ends a `processing` PaymentIntent; emits its `payment_intent.*` event. */
  settlePayment(paymentIntentId: string, outcome: 'succeeded' | 'failed'): Stripe.Event;
  /** A chargeback on a payment's charge: `charge.dispute.created`. */
  openDispute(paymentIntentId: string): Stripe.Event;
  /** `charge.dispute.closed` with the dispute won or lost. */
  closeDispute(disputeId: string, status: 'won' | 'lost'): Stripe.Event;
  /** Emits `account.updated` for an account as it is now. */
  accountUpdated(accountId: string): Stripe.Event;
  /** A connected account's payouts to its bank, newest first (one per transfer, `in_transit`). */
  payoutsOf(accountId: string): Array<{ id: string; amount: number; status: string }>;
  /** A payout of money that did not come from the platform (a top-up at Stripe), `in_transit`. */
  createPayout(accountId: string, amount: number, currency: string): string;
  /**
   * Ends a payout: `payout.paid` or `payout.failed`, a Connect event (`account` set to the
   * connected account), as Stripe sends them to a platform's Connect webhook endpoint.
   */
  settlePayout(payoutId: string, outcome: 'paid' | 'failed'): Stripe.Event;
  /** How many requests reached the API (idempotent replays included). */
  requestCount(): number;
  close(): Promise<void>;
}

type Behaviour = 'succeeds' | 'declines' | 'processing';
const testTokens: Record<string, { behaviour: Behaviour; brand: string; last4: string }> = {
  pm_card_visa: { behaviour: 'succeeds', brand: 'visa', last4: '4242' },
  pm_card_chargeDeclined: { behaviour: 'declines', brand: 'visa', last4: '0002' },
  pm_card_processing: { behaviour: 'processing', brand: 'visa', last4: '3155' },
};

interface StoredMethod {
  object: Stripe.PaymentMethod;
  behaviour: Behaviour;
}

interface StoredIntent {
  intent: Record<string, unknown>;
  chargeId: string | null;
}

class StripeFailure extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown>) {
    super(String(body.message));
    this.status = status;
    this.body = body;
  }
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const missing = (kind: string, id: string) =>
  new StripeFailure(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
  });
const invalid = (message: string, param?: string) =>
  new StripeFailure(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}) });

/** Stripe's standard US card pricing: 2.9% + 30 minor units. */
export const fakeStripeFee = (amount: number) => Math.round(amount * 0.029) + 30;

export async function startFakeStripe(
  options: { apiKey?: string; webhookSecret?: string } = {},
): Promise<FakeStripe> {
  const apiKey = options.apiKey ?? `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(16).toString('hex')}`;
  const signer = new Stripe(apiKey);
  let webhookUrl: string | null = null;
  let requests = 0;

  const customers = new Map<string, Record<string, unknown>>();
  const methods = new Map<string, StoredMethod>();
  const intents = new Map<string, StoredIntent>();
  const charges = new Map<string, Record<string, unknown>>();
  const balanceTransactions = new Map<string, Record<string, unknown>>();
  const accounts = new Map<string, Record<string, unknown>>();
  const transfers: Array<Record<string, unknown>> = [];
  /** Payouts of connected accounts to their banks, oldest first. */
  const payouts: Array<Record<string, unknown>> = [];
  const checkoutSessions = new Map<string, Record<string, unknown>>();
  const disputes = new Map<string, Record<string, unknown>>();
  const idempotent = new Map<string, { hash: string; status: number; body: unknown }>();
  const events: Stripe.Event[] = [];
  let url = '';

  /** `account`: the connected account a Connect event comes from. */
  function emit(type: string, object: unknown, account?: string): Stripe.Event {
    const event = {
      id: newId('evt'),
      object: 'event',
      ...(account ? { account } : {}),
      api_version: '2026-10-28',
      created: now(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: structuredClone(object) },
    } as unknown as Stripe.Event;
    events.push(event);
    return event;
  }

  function accountObject(id: string, complete: boolean, fields: Record<string, unknown>) {
    return {
      id,
      object: 'account',
      type: 'express',
      ...fields,
      details_submitted: complete,
      charges_enabled: complete,
      payouts_enabled: complete,
      requirements: {
        currently_due: complete
          ? []
          : ['external_account', 'individual.dob.day', 'tos_acceptance.date'],
        eventually_due: [],
        past_due: [],
        disabled_reason: complete ? null : 'requirements.past_due',
      },
    };
  }

  function intentView(stored: StoredIntent, expand: string[]): Record<string, unknown> {
    const view: Record<string, unknown> = { ...stored.intent, latest_charge: stored.chargeId };
    if (stored.chargeId && expand.some((e) => e.startsWith('latest_charge'))) {
      const charge = { ...charges.get(stored.chargeId) };
      if (expand.includes('latest_charge.balance_transaction')) {
        const txn = charge.balance_transaction;
        charge.balance_transaction =
          typeof txn === 'string' ? (balanceTransactions.get(txn) ?? null) : null;
      }
      view.latest_charge = charge;
    }
    return view;
  }

  function succeedCharge(stored: StoredIntent) {
    const amount = Number(stored.intent.amount);
    const txnId = newId('txn');
    balanceTransactions.set(txnId, {
      id: txnId,
      object: 'balance_transaction',
      amount,
      fee: fakeStripeFee(amount),
      net: amount - fakeStripeFee(amount),
      currency: stored.intent.currency,
      type: 'charge',
    });
    const chargeId = stored.chargeId ?? newId('ch');
    charges.set(chargeId, {
      ...(charges.get(chargeId) ?? {}),
      id: chargeId,
      object: 'charge',
      amount,
      amount_refunded: 0,
      currency: stored.intent.currency,
      payment_intent: stored.intent.id,
      status: 'succeeded',
      balance_transaction: txnId,
    });
    stored.chargeId = chargeId;
    stored.intent.status = 'succeeded';
    stored.intent.amount_received = amount;
  }

  function createIntent(form: FormObject): { status: number; body: unknown } {
    const amount = Number(stringOf(form, 'amount'));
    if (!Number.isInteger(amount) || amount < 1) throw invalid('Invalid integer', 'amount');
    const customer = stringOf(form, 'customer') ?? '';
    if (!customers.has(customer)) throw missing('customer', customer);
    const pmId = stringOf(form, 'payment_method') ?? '';
    const method = methods.get(pmId);
    if (!method || method.object.customer !== customer) throw missing('payment_method', pmId);
    const stored: StoredIntent = {
      intent: {
        id: newId('pi'),
        object: 'payment_intent',
        amount,
        amount_received: 0,
        currency: stringOf(form, 'currency'),
        customer,
        payment_method: pmId,
        metadata: metadataOf(form),
        status: 'processing',
        last_payment_error: null,
        created: now(),
        livemode: false,
      },
      chargeId: null,
    };
    intents.set(String(stored.intent.id), stored);
    const expand = listOf(form, 'expand');
    if (method.behaviour === 'succeeds') {
      succeedCharge(stored);
      emit('payment_intent.succeeded', intentView(stored, []));
    } else if (method.behaviour === 'processing') {
      stored.chargeId = newId('ch');
      charges.set(stored.chargeId, {
        id: stored.chargeId,
        object: 'charge',
        amount,
        currency: stored.intent.currency,
        payment_intent: stored.intent.id,
        status: 'pending',
        balance_transaction: null,
      });
      emit('payment_intent.processing', intentView(stored, []));
    } else {
      const error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        charge: newId('ch'),
      };
      stored.intent.status = 'requires_payment_method';
      stored.intent.last_payment_error = error;
      emit('payment_intent.payment_failed', intentView(stored, []));
      throw new StripeFailure(402, { ...error, payment_intent: intentView(stored, []) });
    }
    return { status: 200, body: intentView(stored, expand) };
  }

  function handle(method: string, path: string, form: FormObject, account: string | null) {
    const parts = path.split('/').filter(Boolean);
    const route = `${method} /${parts.map((p, i) => (i === 2 && /_/.test(p) ? ':id' : p)).join('/')}`;
    const id = parts[2] ?? '';
    switch (route) {
      case 'POST /v1/customers': {
        const customer = {
          id: newId('cus'),
          object: 'customer',
          email: stringOf(form, 'email') ?? null,
          name: stringOf(form, 'name') ?? null,
          metadata: metadataOf(form),
          created: now(),
        };
        customers.set(customer.id, customer);
        return customer;
      }
      case 'GET /v1/customers/:id/payment_methods': {
        if (!customers.has(id)) throw missing('customer', id);
        const data = [...methods.values()]
          .filter((m) => m.object.customer === id)
          .map((m) => m.object);
        return { object: 'list', data, has_more: false, url: path };
      }
      case 'GET /v1/payment_methods/:id': {
        const stored = methods.get(id);
        if (!stored) throw missing('payment_method', id);
        return stored.object;
      }
      case 'POST /v1/payment_methods/:id/attach': {
        const token = testTokens[id];
        const customer = stringOf(form, 'customer') ?? '';
        if (!token) throw missing('payment_method', id);
        if (!customers.has(customer)) throw missing('customer', customer);
        return attach(customer, id).object;
      }
      case 'POST /v1/payment_methods/:id/detach': {
        const stored = methods.get(id);
        if (!stored?.object.customer) {
          throw invalid(`The payment method ${id} is not attached to a customer.`);
        }
        stored.object = { ...stored.object, customer: null };
        return stored.object;
      }
      case 'POST /v1/payment_intents':
        return createIntent(form).body;
      case 'GET /v1/payment_intents/:id': {
        const stored = intents.get(id);
        if (!stored) throw missing('payment_intent', id);
        return intentView(stored, listOf(form, 'expand'));
      }
      case 'POST /v1/refunds': {
        const pi = stringOf(form, 'payment_intent') ?? '';
        const stored = intents.get(pi);
        if (!stored) throw missing('payment_intent', pi);
        const charge = stored.chargeId ? charges.get(stored.chargeId) : undefined;
        if (stored.intent.status !== 'succeeded' || !charge) {
          throw invalid(`This PaymentIntent (${pi}) does not have a successful charge to refund.`);
        }
        const refunded = Number(charge.amount_refunded ?? 0);
        const amount = Number(stringOf(form, 'amount') ?? Number(charge.amount) - refunded);
        if (amount > Number(charge.amount) - refunded) {
          throw invalid(
            `Refund amount (${amount}) is greater than unrefunded amount on charge (${Number(charge.amount) - refunded})`,
            'amount',
          );
        }
        charge.amount_refunded = refunded + amount;
        const refund = {
          id: newId('re'),
          object: 'refund',
          amount,
          currency: charge.currency,
          charge: charge.id,
          payment_intent: pi,
          metadata: metadataOf(form),
          status: 'succeeded',
          failure_reason: null,
          created: now(),
        };
        emit('charge.refunded', charge);
        return refund;
      }
      case 'POST /v1/accounts': {
        const created = accountObject(newId('acct'), false, {
          email: stringOf(form, 'email') ?? null,
          country: stringOf(form, 'country') ?? 'US',
          metadata: metadataOf(form),
          created: now(),
        });
        accounts.set(created.id, created);
        return created;
      }
      case 'GET /v1/accounts/:id': {
        const found = accounts.get(id);
        if (!found) throw missing('account', id);
        return found;
      }
      case 'POST /v1/account_links': {
        const accountId = stringOf(form, 'account') ?? '';
        if (!accounts.has(accountId)) throw missing('account', accountId);
        for (const param of ['return_url', 'refresh_url', 'type']) {
          if (!stringOf(form, param)) throw invalid(`Missing required param: ${param}.`, param);
        }
        return {
          object: 'account_link',
          created: now(),
          expires_at: now() + 300,
          url: `${url}/connect/onboarding/${accountId}?return=${encodeURIComponent(stringOf(form, 'return_url') ?? '')}`,
        };
      }
      case 'POST /v1/transfers': {
        const destination = stringOf(form, 'destination') ?? '';
        const target = accounts.get(destination);
        if (!target) throw missing('account', destination);
        if (!target.payouts_enabled) {
          throw invalid(
            'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
            'destination',
          );
        }
        const transfer = {
          id: newId('tr'),
          object: 'transfer',
          amount: Number(stringOf(form, 'amount')),
          currency: stringOf(form, 'currency'),
          destination,
          metadata: metadataOf(form),
          created: now(),
        };
        transfers.push(transfer);
        // A connected account pays out what was transferred to it, next day.
        payouts.push(payoutObject(destination, transfer.amount, transfer.currency ?? 'usd'));
        return transfer;
      }
      case 'GET /v1/payouts': {
        if (!account || !accounts.has(account)) {
          throw invalid('This endpoint needs a connected account (Stripe-Account header).');
        }
        const data = payouts
          .filter((p) => p.destination_account === account)
          .reverse()
          .map(({ destination_account: _scope, ...payout }) => payout);
        return { object: 'list', data, has_more: false, url: path };
      }
      case 'POST /v1/checkout/sessions': {
        const customer = stringOf(form, 'customer') ?? '';
        if (!customers.has(customer)) throw missing('customer', customer);
        if (stringOf(form, 'mode') !== 'setup') throw invalid('Only setup mode is faked.', 'mode');
        const sessionId = newId('cs_test');
        const session = {
          id: sessionId,
          object: 'checkout.session',
          mode: 'setup',
          customer,
          status: 'open',
          success_url: stringOf(form, 'success_url'),
          cancel_url: stringOf(form, 'cancel_url'),
          url: `${url}/checkout/${sessionId}`,
        };
        checkoutSessions.set(sessionId, session);
        return session;
      }
      default:
        throw new StripeFailure(404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}).`,
        });
    }
  }

  function payoutObject(account: string, amount: number, currency: string) {
    return {
      id: newId('po'),
      object: 'payout',
      amount,
      currency,
      status: 'in_transit',
      failure_message: null,
      arrival_date: now() + 86_400,
      created: now(),
      // Not a Stripe field: which connected account's balance it leaves (Stripe scopes it).
      destination_account: account,
    };
  }

  function attach(customer: string, token: string): StoredMethod {
    const spec = testTokens[token];
    if (!spec) throw missing('payment_method', token);
    const object = {
      id: newId('pm'),
      object: 'payment_method',
      type: 'card',
      customer,
      card: { brand: spec.brand, last4: spec.last4, exp_month: 12, exp_year: 2034 },
      created: now(),
    } as unknown as Stripe.PaymentMethod;
    const stored = { object, behaviour: spec.behaviour };
    methods.set(object.id, stored);
    return stored;
  }

  /** Stripe-hosted pages, reduced to what a browser visit does: Checkout and onboarding. */
  function hostedPage(path: string, query: URLSearchParams): string | null {
    const checkout = /^\/checkout\/([\w]+)$/.exec(path);
    if (checkout?.[1]) {
      const session = checkoutSessions.get(checkout[1]);
      if (!session) return null;
      attach(String(session.customer), query.get('card') ?? 'pm_card_visa');
      session.status = 'complete';
      emit('checkout.session.completed', session);
      return 'Card saved.';
    }
    const onboarding = /^\/connect\/onboarding\/(acct_\w+)$/.exec(path);
    if (onboarding?.[1]) {
      const found = accounts.get(onboarding[1]);
      if (!found) return null;
      const { id: accountId, ...fields } = found;
      const complete = accountObject(String(accountId), true, fields);
      accounts.set(complete.id, complete);
      emit('account.updated', complete);
      return 'Onboarding complete.';
    }
    return null;
  }

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && !target.pathname.startsWith('/v1/')) {
      const page = hostedPage(target.pathname, target.searchParams);
      res.writeHead(page ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(page ?? 'Not found');
      return;
    }
    requests++;
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      send(401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
      });
      return;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const form = parseForm(req.method === 'GET' ? target.search.slice(1) : text);
    const account =
      typeof req.headers['stripe-account'] === 'string' ? req.headers['stripe-account'] : null;
    const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const scope = typeof key === 'string' ? `${account ?? ''}:${key}` : null;
    const hash = createHash('sha256')
      .update(`${req.method} ${target.pathname} ${text}`)
      .digest('hex');
    if (scope) {
      const seen = idempotent.get(scope);
      if (seen && seen.hash !== hash) {
        send(400, {
          error: {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${String(key)}' if you meant to execute a different request.`,
          },
        });
        return;
      }
      if (seen) {
        res.setHeader('idempotent-replayed', 'true');
        send(seen.status, seen.body);
        return;
      }
    }
    let status = 200;
    let body: unknown;
    try {
      body = handle(req.method ?? 'GET', target.pathname, form, account);
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      status = error.status;
      body = { error: error.body };
    }
    // Like Stripe: a request that failed validation saves nothing; one that ran (a charge
    // that was declined included) is replayed.
    if (scope && (status < 400 || status === 402)) idempotent.set(scope, { hash, status, body });
    send(status, body);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  function intentOf(paymentIntentId: string): StoredIntent {
    const stored = intents.get(paymentIntentId);
    if (!stored) throw new Error(`no payment intent ${paymentIntentId}`);
    return stored;
  }

  return {
    url,
    host: '127.0.0.1',
    port,
    apiKey,
    webhookSecret,
    events,
    setWebhookUrl(target) {
      webhookUrl = target;
    },
    async deliver(event, secret = webhookSecret) {
      if (!webhookUrl) throw new Error('no webhook URL set');
      const payload = JSON.stringify(event);
      const signature = signer.webhooks.generateTestHeaderString({ payload, secret });
      const answer = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
        },
        body: payload,
      });
      return { status: answer.status, body: await answer.text() };
    },
    settlePayment(paymentIntentId, outcome) {
      const stored = intentOf(paymentIntentId);
      if (stored.intent.status !== 'processing') throw new Error('payment is not processing');
      if (outcome === 'succeeded') {
        succeedCharge(stored);
        return emit('payment_intent.succeeded', intentView(stored, []));
      }
      stored.intent.status = 'requires_payment_method';
      stored.intent.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        message: 'Your card was declined.',
      };
      return emit('payment_intent.payment_failed', intentView(stored, []));
    },
    openDispute(paymentIntentId) {
      const stored = intentOf(paymentIntentId);
      const charge = stored.chargeId ? charges.get(stored.chargeId) : undefined;
      if (!charge || stored.intent.status !== 'succeeded') throw new Error('nothing to dispute');
      const dispute = {
        id: newId('dp'),
        object: 'dispute',
        amount: charge.amount,
        currency: charge.currency,
        charge: charge.id,
        payment_intent: paymentIntentId,
        reason: 'fraudulent',
        status: 'needs_response',
        created: now(),
      };
      disputes.set(dispute.id, dispute);
      return emit('charge.dispute.created', dispute);
    },
    closeDispute(disputeId, status) {
      const dispute = disputes.get(disputeId);
      if (!dispute) throw new Error(`no dispute ${disputeId}`);
      dispute.status = status;
      return emit('charge.dispute.closed', dispute);
    },
    accountUpdated(accountId) {
      const found = accounts.get(accountId);
      if (!found) throw new Error(`no account ${accountId}`);
      return emit('account.updated', found);
    },
    payoutsOf(accountId) {
      return payouts
        .filter((p) => p.destination_account === accountId)
        .reverse()
        .map((p) => ({ id: String(p.id), amount: Number(p.amount), status: String(p.status) }));
    },
    createPayout(accountId, amount, currency) {
      if (!accounts.has(accountId)) throw new Error(`no account ${accountId}`);
      const payout = payoutObject(accountId, amount, currency.toLowerCase());
      payouts.push(payout);
      return payout.id;
    },
    settlePayout(payoutId, outcome) {
      const payout = payouts.find((p) => p.id === payoutId);
      if (!payout) throw new Error(`no payout ${payoutId}`);
      payout.status = outcome;
      if (outcome === 'failed') {
        payout.failure_message = 'The bank account has been closed.';
      }
      const { destination_account: account, ...object } = payout;
      return emit(`payout.${outcome}`, object, String(account));
    },
    requestCount: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
