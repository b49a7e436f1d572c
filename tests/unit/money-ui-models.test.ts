import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProblemError, problemTypes } from '../../shared/api/problem.ts';
import type { EscrowDocument, EscrowRefund } from '../../shared/money/escrow.ts';
import { idempotencyKeyHeader } from '../../shared/money/escrow-commands.ts';
import type { InvoiceDocument } from '../../shared/money/invoices.ts';
import { createApiClient } from '../../src-renderer/api/client.ts';
import { formatDate } from '../../src-renderer/ui/format.ts';
import {
  escrowCommands,
  escrowView,
  expectedSplit,
  feeSplit,
  isoWeekOfMonday,
  mondayOfIsoWeek,
  weeklyAmount,
} from '../../src-renderer/features/money/escrow-model.ts';
import { intentFor, serverAnswered } from '../../src-renderer/features/money/idempotency.ts';
import { dayRange } from '../../src-renderer/features/money/wallet-model.ts';
import {
  draftTotals,
  invoiceMoves,
  parseLines,
  parseQuantity,
  parseTaxPercent,
  quantityText,
  taxPercentText,
  totalsByCurrency,
} from '../../src-renderer/features/invoices/invoice-model.ts';

const client = '00000000-0000-4000-8000-00000000000c';
const freelancer = '00000000-0000-4000-8000-00000000000f';
const at = '2026-11-20T10:00:00.000Z';

function escrow(fields: Partial<EscrowDocument> = {}): EscrowDocument {
  return {
    id: '00000000-0000-4000-8000-0000000000e1',
    updatedAt: at,
    contractId: '00000000-0000-4000-8000-0000000000c1',
    clientId: client,
    freelancerId: freelancer,
    milestoneId: '00000000-0000-4000-8000-0000000000a1',
    week: null,
    currency: 'EUR',
    amountMinor: 50_000,
    fundedMinor: 50_000,
    releasedMinor: 0,
    refundedMinor: 0,
    heldMinor: 50_000,
    platformFeeMinor: 0,
    freelancerNetMinor: 0,
    status: 'funded',
    payment: null,
    submittedAt: null,
    reviewDeadline: null,
    refunds: [],
    dispute: null,
    createdAt: at,
    ...fields,
  };
}

const refund = (requestedBy: string): EscrowRefund => ({
  id: '00000000-0000-4000-8000-0000000000f1',
  amountMinor: 10_000,
  reason: 'Half the sketches were not needed',
  requestedBy,
  status: 'requested',
  decidedBy: null,
  decidedAt: null,
  failureMessage: null,
  createdAt: at,
});

const milestone = { kind: 'milestone', contractActive: true } as const;

describe('an escrow in words', () => {
  it('names every state, with the reason of a failed payment and the auto-release date', () => {
    expect(escrowView(undefined)).toMatchObject({ label: 'Not funded', detail: null });
    expect(
      escrowView(
        escrow({
          status: 'payment_failed',
          fundedMinor: 0,
          heldMinor: 0,
          payment: {
            status: 'failed',
            rail: 'sandbox',
            amountMinor: 50_000,
            providerFeeMinor: null,
            failureMessage: 'Your card was declined.',
            updatedAt: at,
          },
        }),
      ),
    ).toMatchObject({ label: 'Payment failed', detail: 'Your card was declined.' });
    expect(escrowView(escrow())).toMatchObject({
      label: 'Funded',
      detail: '€500.00 held in escrow.',
    });
    expect(
      escrowView(escrow({ status: 'submitted', reviewDeadline: '2026-12-04T10:00:00.000Z' })),
    ).toMatchObject({
      label: 'Submitted',
      detail: `Auto-release on ${formatDate('2026-12-04T10:00:00.000Z')} unless the client responds.`,
    });
    expect(escrowView(escrow({ status: 'disputed' })).label).toBe('Disputed');
  });

  it('tells released, refunded and partial outcomes apart', () => {
    const settled = { status: 'settled', heldMinor: 0 } as const;
    expect(escrowView(escrow({ ...settled, releasedMinor: 50_000 })).label).toBe('Released');
    expect(escrowView(escrow({ ...settled, refundedMinor: 50_000 }))).toMatchObject({
      label: 'Refunded',
      detail: '€500.00 refunded to the client.',
    });
    expect(
      escrowView(escrow({ ...settled, releasedMinor: 30_000, refundedMinor: 20_000 })),
    ).toMatchObject({ label: 'Released in part', detail: '€300.00 released, €200.00 refunded.' });
    expect(escrowView(escrow({ releasedMinor: 20_000, heldMinor: 30_000 }))).toMatchObject({
      label: 'Partly released',
      detail: '€200.00 released; €300.00 still held.',
    });
    expect(escrowView(escrow({ refundedMinor: 20_000, heldMinor: 30_000 }))).toMatchObject({
      label: 'Partly refunded',
      detail: '€200.00 refunded; €300.00 still held.',
    });
  });

  it('shows the fee split only once something was released', () => {
    expect(feeSplit(undefined)).toBeNull();
    expect(feeSplit(escrow())).toBeNull();
    expect(
      feeSplit(
        escrow({ releasedMinor: 50_000, platformFeeMinor: 5_000, freelancerNetMinor: 45_000 }),
      ),
    ).toEqual({
      released: { amountMinor: 50_000, currency: 'EUR' },
      fee: { amountMinor: 5_000, currency: 'EUR' },
      net: { amountMinor: 45_000, currency: 'EUR' },
    });
  });
});

describe('the net before release', () => {
  it('shows what the freelancer would receive of what is held, after the fee at the server’s rate', () => {
    expect(expectedSplit(escrow(), 1000)).toEqual({
      held: { amountMinor: 50_000, currency: 'EUR' },
      fee: { amountMinor: 5_000, currency: 'EUR' },
      net: { amountMinor: 45_000, currency: 'EUR' },
    });
    // The server's rounding: half up in minor units (10 % of €0.05 is half a cent → 1 cent).
    expect(expectedSplit(escrow({ heldMinor: 5, fundedMinor: 5 }), 1000)?.fee.amountMinor).toBe(1);
    expect(
      expectedSplit(escrow({ status: 'submitted', heldMinor: 12_345 }), 250)?.net.amountMinor,
    ).toBe(12_345 - 309);
    expect(expectedSplit(escrow(), 0)?.net.amountMinor).toBe(50_000);
  });

  it('is absent while the rate is unknown, after a release, and for escrows not waiting for one', () => {
    expect(expectedSplit(escrow(), null)).toBeNull();
    expect(expectedSplit(undefined, 1000)).toBeNull();
    expect(
      expectedSplit(
        escrow({ releasedMinor: 20_000, heldMinor: 30_000, platformFeeMinor: 2_000 }),
        1000,
      ),
    ).toBeNull();
    for (const status of ['awaiting_payment', 'payment_failed', 'disputed', 'settled'] as const) {
      expect(expectedSplit(escrow({ status }), 1000)).toBeNull();
    }
  });
});

describe('the commands each party may give', () => {
  it('lets only the client fund, and only on an active contract', () => {
    expect(escrowCommands(undefined, 'client', client, milestone)).toEqual(['fund']);
    expect(escrowCommands(undefined, 'freelancer', freelancer, milestone)).toEqual([]);
    expect(
      escrowCommands(undefined, 'client', client, { ...milestone, contractActive: false }),
    ).toEqual([]);
  });

  it('offers a retry after a failed payment, to the client alone', () => {
    const failed = escrow({ status: 'payment_failed', fundedMinor: 0, heldMinor: 0 });
    expect(escrowCommands(failed, 'client', client, milestone)).toEqual(['retry']);
    expect(escrowCommands(failed, 'freelancer', freelancer, milestone)).toEqual([]);
  });

  it('splits the held escrow’s commands between the parties', () => {
    expect(escrowCommands(escrow(), 'client', client, milestone)).toEqual([
      'release',
      'requestRefund',
      'dispute',
    ]);
    expect(escrowCommands(escrow(), 'freelancer', freelancer, milestone)).toEqual([
      'submit',
      'offerRefund',
      'dispute',
    ]);
    // A week is released once its hours are approved: nothing to submit.
    expect(
      escrowCommands(escrow({ milestoneId: null, week: '2026-W47' }), 'freelancer', freelancer, {
        kind: 'week',
        contractActive: true,
      }),
    ).toEqual(['offerRefund', 'dispute']);
    expect(
      escrowCommands(escrow({ status: 'submitted' }), 'freelancer', freelancer, milestone),
    ).toEqual(['offerRefund', 'dispute']);
  });

  it('lets the other party decide a pending refund, and nobody ask for a second', () => {
    const asked = escrow({ refunds: [refund(client)] });
    expect(escrowCommands(asked, 'client', client, milestone)).toEqual(['release', 'dispute']);
    expect(escrowCommands(asked, 'freelancer', freelancer, milestone)).toEqual([
      'submit',
      'decideRefund',
      'dispute',
    ]);
  });

  it('gives no command on a frozen or settled escrow', () => {
    for (const status of ['disputed', 'settled'] as const) {
      expect(escrowCommands(escrow({ status }), 'client', client, milestone)).toEqual([]);
      expect(escrowCommands(escrow({ status }), 'freelancer', freelancer, milestone)).toEqual([]);
    }
  });
});

describe('weeks', () => {
  it('names a Monday’s ISO week and back, across year boundaries', () => {
    const cases: Array<[string, string]> = [
      ['2026-11-16', '2026-W47'],
      ['2026-12-28', '2026-W53'],
      ['2024-12-30', '2025-W01'],
      ['2020-12-28', '2020-W53'],
      ['2021-01-04', '2021-W01'],
    ];
    for (const [monday, week] of cases) {
      expect(isoWeekOfMonday(monday)).toBe(week);
      expect(mondayOfIsoWeek(week)).toBe(monday);
    }
  });

  it('prefills a week with the weekly limit at the rate, when there is a limit', () => {
    expect(weeklyAmount({ amountMinor: 4_500, currency: 'EUR' }, 20)).toBe(90_000);
    expect(weeklyAmount({ amountMinor: 4_500, currency: 'EUR' }, null)).toBeNull();
    expect(weeklyAmount(null, 20)).toBeNull();
  });
});

describe('the wallet’s date filter', () => {
  it('takes whole UTC days, the end day included', () => {
    expect(dayRange('2026-11-01', '2026-11-21')).toEqual({
      ok: true,
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-22T00:00:00.000Z',
    });
    expect(dayRange('', '')).toEqual({ ok: true });
    expect(dayRange('2026-11-21', '2026-11-01')).toEqual({
      ok: false,
      error: 'The end is before the start',
    });
  });
});

describe('idempotency keys', () => {
  let counter = 0;
  const newKey = () => `key-${(counter += 1)}`;

  it('keeps the key of an unanswered request and renews it once answered or changed', () => {
    const first = intentFor(null, '{"a":1}', newKey);
    expect(intentFor(first, '{"a":1}', newKey)).toBe(first);
    const changed = intentFor(first, '{"a":2}', newKey);
    expect(changed.key).not.toBe(first.key);
    changed.answered = true;
    expect(intentFor(changed, '{"a":2}', newKey).key).not.toBe(changed.key);
  });

  it('treats only a failure to reach the server as unanswered', () => {
    const problem = (type: string, status: number) =>
      new ProblemError({ type, title: 'x', status });
    expect(serverAnswered(problem(problemTypes.network, 0))).toBe(false);
    expect(serverAnswered(problem(problemTypes.validation, 422))).toBe(true);
    expect(serverAnswered(problem('urn:megilance:problem:payment-failed', 402))).toBe(true);
  });

  it('travels as a header, again after the access token was refreshed', async () => {
    const keys: (string | null)[] = [];
    let token = 'old';
    const answers = [
      Response.json(
        { type: problemTypes.tokenExpired, title: 'Expired', status: 401 },
        { status: 401 },
      ),
      Response.json({ ok: true }),
    ];
    const api = createApiClient({
      baseUrl: () => 'http://server.test/api/v1',
      accessToken: () => token,
      refreshAccessToken: () => Promise.resolve((token = 'new')),
      onSessionEnded: () => undefined,
      fetch: (_input, init) => {
        keys.push(new Headers(init?.headers).get(idempotencyKeyHeader));
        const next = answers.shift();
        return next ? Promise.resolve(next) : Promise.reject(new Error('no answer left'));
      },
    });
    await api.json(
      'POST',
      '/escrows',
      z.object({ ok: z.boolean() }),
      {},
      {
        [idempotencyKeyHeader]: 'intent-1',
      },
    );
    expect(keys).toEqual(['intent-1', 'intent-1']);
  });
});

function invoice(fields: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    id: '00000000-0000-4000-8000-0000000000b1',
    updatedAt: at,
    issuerId: freelancer,
    issuerName: 'Ada Lovelace',
    recipientId: client,
    recipientName: 'Grace Hopper',
    contractId: '00000000-0000-4000-8000-0000000000c1',
    contractTitle: 'Report',
    number: null,
    sequence: null,
    source: { kind: 'manual', week: null, milestoneId: null },
    lines: [],
    taxRateBps: 0,
    currency: 'EUR',
    subtotalMinor: 0,
    taxMinor: 0,
    totalMinor: 10_000,
    issueDate: null,
    dueDate: '2026-12-04',
    status: 'draft',
    notes: '',
    sentAt: null,
    paidAt: null,
    voidedAt: null,
    createdAt: at,
    ...fields,
  };
}

describe('invoices in the editor and the list', () => {
  it('reads quantities to the thousandth and writes them back', () => {
    expect(parseQuantity('2.5')).toBe(2_500);
    expect(parseQuantity('1,000')).toBe(1_000_000);
    expect(parseQuantity('0.0001')).toBeNull();
    expect(parseQuantity('two')).toBeNull();
    expect(quantityText(2_500)).toBe('2.5');
    expect(quantityText(1_000)).toBe('1');
    expect(quantityText(1_234)).toBe('1.234');
  });

  it('reads tax rates in percent as basis points', () => {
    expect(parseTaxPercent('20')).toBe(2_000);
    expect(parseTaxPercent('7.5')).toBe(750);
    expect(parseTaxPercent('101')).toBeNull();
    expect(parseTaxPercent('-1')).toBeNull();
    expect(taxPercentText(2_000)).toBe('20');
    expect(taxPercentText(750)).toBe('7.5');
    expect(taxPercentText(0)).toBe('0');
  });

  it('turns the lines typed into the server’s inputs, or says what is wrong with each', () => {
    expect(
      parseLines([{ description: ' Sketches ', quantity: '2.5', unitPrice: '40' }], 'EUR'),
    ).toEqual({
      ok: true,
      lines: [{ description: 'Sketches', quantityThousandths: 2_500, unitPriceMinor: 4_000 }],
    });
    expect(
      parseLines(
        [
          { description: '', quantity: '0', unitPrice: '1.234' },
          { description: 'Fine', quantity: '1', unitPrice: '10' },
        ],
        'EUR',
      ),
    ).toEqual({
      ok: false,
      errors: [
        {
          description: 'Describe the work',
          quantity: 'Enter a quantity such as 1 or 2.5',
          unitPrice: 'EUR amounts have at most 2 decimal places',
        },
        {},
      ],
    });
    expect(parseLines([], 'EUR')).toEqual({ ok: false, errors: [] });
  });

  it('previews totals as the server computes them, tax rounded once', () => {
    const lines = [
      { description: 'a', quantity: '1.5', unitPrice: '33.33' },
      { description: 'b', quantity: 'x', unitPrice: '10' },
    ];
    // 1.5 × 33.33 = 49.995 → 50.00; the invalid line counts nothing; 20 % tax.
    expect(draftTotals(lines, 'EUR', 2_000)).toEqual({
      subtotalMinor: 5_000,
      taxMinor: 1_000,
      totalMinor: 6_000,
    });
  });

  it('lets only the issuer move an invoice, and never to overdue', () => {
    expect(invoiceMoves(invoice(), freelancer).map((move) => move.to)).toEqual(['sent', 'void']);
    expect(invoiceMoves(invoice({ status: 'sent' }), freelancer).map((move) => move.to)).toEqual([
      'paid',
      'void',
    ]);
    expect(invoiceMoves(invoice({ status: 'paid' }), freelancer)).toEqual([]);
    expect(invoiceMoves(invoice({ status: 'sent' }), client)).toEqual([]);
  });

  it('totals a list per currency, leaving void invoices out', () => {
    const totals = totalsByCurrency([
      invoice({ totalMinor: 10_000 }),
      invoice({ totalMinor: 5_000, status: 'void' }),
      invoice({ totalMinor: 2_000, currency: 'USD' }),
      invoice({ totalMinor: 500 }),
    ]);
    expect([...totals]).toEqual([
      ['EUR', 10_500],
      ['USD', 2_000],
    ]);
  });
});
