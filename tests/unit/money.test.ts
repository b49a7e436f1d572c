import { describe, expect, it } from 'vitest';
import {
  formatMajorAmount,
  formatMoney,
  minorUnitDigits,
  moneySchema,
  parseMajorAmount,
} from '../../shared/money/money.ts';

describe('money in minor units', () => {
  it('knows each currency’s minor unit', () => {
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
  });

  it('parses typed amounts without float drift', () => {
    expect(parseMajorAmount('0.1', 'USD') + parseMajorAmount('0.2', 'USD')).toBe(30);
    expect(parseMajorAmount('1,234.5', 'EUR')).toBe(123_450);
    expect(parseMajorAmount('85', 'USD')).toBe(8_500);
    expect(parseMajorAmount('1500', 'JPY')).toBe(1_500);
    expect(parseMajorAmount('1.234', 'KWD')).toBe(1_234);
  });

  it('refuses amounts the currency cannot hold', () => {
    expect(() => parseMajorAmount('1.005', 'USD')).toThrow(/2 decimal places/);
    expect(() => parseMajorAmount('12.5', 'JPY')).toThrow(/0 decimal places/);
    expect(() => parseMajorAmount('-3', 'USD')).toThrow(/not an amount/);
    expect(() => parseMajorAmount('1e3', 'USD')).toThrow(/not an amount/);
    expect(() => parseMajorAmount('99999999999999999', 'USD')).toThrow(/too large/);
  });

  it('formats for display', () => {
    expect(formatMoney({ amountMinor: 123_450, currency: 'EUR' }, 'en')).toBe('€1,234.50');
    expect(formatMoney({ amountMinor: 1_500, currency: 'JPY' }, 'en')).toBe('¥1,500');
  });

  it('validates money documents', () => {
    expect(moneySchema.safeParse({ amountMinor: 100, currency: 'USD' }).success).toBe(true);
    for (const bad of [
      { amountMinor: 1.5, currency: 'USD' },
      { amountMinor: -1, currency: 'USD' },
      { amountMinor: 1, currency: 'usd' },
      { amountMinor: 1, currency: 'ABC' },
    ]) {
      expect(moneySchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('formatMajorAmount', () => {
  it.each([
    [8550, 'EUR', '85.50'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [1200, 'JPY', '1200'],
    [1234567, 'KWD', '1234.567'],
  ])('%i minor %s is %s, and parses back exactly', (minor, currency, text) => {
    expect(formatMajorAmount(minor, currency)).toBe(text);
    expect(parseMajorAmount(text, currency)).toBe(minor);
  });
});
