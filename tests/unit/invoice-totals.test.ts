import { describe, expect, it } from 'vitest';
import {
  createInvoiceSchema,
  invoiceNumber,
  invoiceTotals,
  invoiceTransitions,
  lineAmount,
} from '../../shared/money/invoices.ts';
import { formatQuantity, formatTaxRate } from '../../server/money/invoices/invoice-pdf.ts';

const lines = (...amounts: number[]) => amounts.map((amountMinor) => ({ amountMinor }));

describe('invoice totals in minor units', () => {
  it('prices a line as quantity (thousandths) × unit price, rounded half up once', () => {
    expect(lineAmount(1_000, 4_500)).toBe(4_500);
    // 1.5 × 33.33 = 49.995 → 50.00; 0.333 × 10.01 = 3.33333 → 3.33
    expect(lineAmount(1_500, 3_333)).toBe(5_000);
    expect(lineAmount(333, 1_001)).toBe(333);
    // Exactly half a minor unit goes up; just under stays down.
    expect(lineAmount(500, 1)).toBe(1);
    expect(lineAmount(499, 1)).toBe(0);
    // No float or 2^53 overflow on the product.
    expect(lineAmount(1_000_000, 1_000_000_000_000)).toBe(1_000_000_000_000_000);
    expect(() => lineAmount(1_000_000_000, 1_000_000_000_000)).toThrow(/too large/);
  });

  it('rounds tax half up once on the subtotal, never per line', () => {
    // Three lines of 0.05 at 10 %: per line 0.005 → 0.01 each (0.03); on the sum 0.015 → 0.02.
    expect(invoiceTotals(lines(5, 5, 5), 1_000)).toEqual({
      subtotalMinor: 15,
      taxMinor: 2,
      totalMinor: 17,
    });
    expect(invoiceTotals(lines(5_000, 333), 825)).toEqual({
      subtotalMinor: 5_333,
      taxMinor: 440,
      totalMinor: 5_773,
    });
    // 20 % of 63.16 = 12.632 → 12.63; 10 % of 0.05 = 0.005 → 0.01 (half up); 0.04 → 0.004 → 0.
    expect(invoiceTotals(lines(1_291, 5_025), 2_000).taxMinor).toBe(1_263);
    expect(invoiceTotals(lines(5), 1_000).taxMinor).toBe(1);
    expect(invoiceTotals(lines(4), 1_000).taxMinor).toBe(0);
  });

  it('totals nothing and untaxed invoices exactly, and refuses totals beyond safe integers', () => {
    expect(invoiceTotals([], 2_000)).toEqual({ subtotalMinor: 0, taxMinor: 0, totalMinor: 0 });
    expect(invoiceTotals(lines(12_345, 1), 0)).toEqual({
      subtotalMinor: 12_346,
      taxMinor: 0,
      totalMinor: 12_346,
    });
    expect(invoiceTotals(lines(100), 10_000).totalMinor).toBe(200);
    expect(() => invoiceTotals(lines(Number.MAX_SAFE_INTEGER, 1), 0)).toThrow(/too large/);
  });
});

describe('invoice numbers, statuses and payloads', () => {
  it('numbers as INV- and at least four digits', () => {
    expect(invoiceNumber(1)).toBe('INV-0001');
    expect(invoiceNumber(42)).toBe('INV-0042');
    expect(invoiceNumber(12_345)).toBe('INV-12345');
  });

  it('ends at paid and void, and reaches overdue only from sent', () => {
    expect(invoiceTransitions.paid).toEqual([]);
    expect(invoiceTransitions.void).toEqual([]);
    const toOverdue = Object.entries(invoiceTransitions)
      .filter(([, next]) => next.includes('overdue'))
      .map(([from]) => from);
    expect(toOverdue).toEqual(['sent']);
  });

  it('takes lines by hand only, and names weeks by their Monday', () => {
    const contractId = '0d6e4a52-3b1f-4c3a-8d2e-5f6a7b8c9d04';
    const line = { description: 'Work', quantityThousandths: 1_000, unitPriceMinor: 100 };
    expect(
      createInvoiceSchema.safeParse({ contractId, source: { kind: 'manual' }, lines: [line] })
        .success,
    ).toBe(true);
    const noLines = createInvoiceSchema.safeParse({ contractId, source: { kind: 'manual' } });
    expect(noLines.error?.issues.map((i) => i.path.join('/'))).toEqual(['lines']);
    const weekLines = createInvoiceSchema.safeParse({
      contractId,
      source: { kind: 'week', week: '2026-11-16' },
      lines: [line],
    });
    expect(weekLines.error?.issues.map((i) => i.path.join('/'))).toEqual(['lines']);
    const tuesday = createInvoiceSchema.safeParse({
      contractId,
      source: { kind: 'week', week: '2026-11-17' },
    });
    expect(tuesday.error?.issues.map((i) => i.path.join('/'))).toEqual(['source/week']);
    const parsed = createInvoiceSchema.parse({
      contractId,
      source: { kind: 'week', week: '2026-11-16' },
    });
    expect(parsed).toMatchObject({ taxRateBps: 0, notes: '' });
  });

  it('prints quantities and tax rates without float noise', () => {
    expect(formatQuantity(2_500)).toBe('2.5');
    expect(formatQuantity(1_000)).toBe('1');
    expect(formatQuantity(12_345)).toBe('12.345');
    expect(formatQuantity(5)).toBe('0.005');
    expect(formatTaxRate(2_000)).toBe('20%');
    expect(formatTaxRate(825)).toBe('8.25%');
    expect(formatTaxRate(1_950)).toBe('19.5%');
    expect(formatTaxRate(0)).toBe('0%');
  });
});
