import { describe, expect, it } from 'vitest';
import {
  checkTotp,
  newTotpSecret,
  totpCode,
  totpStep,
  totpUri,
} from '../../server/auth/two-factor/totp.ts';

/** RFC 6238 Appendix B: the SHA-1 rows, secret "12345678901234567890" in ASCII, 8 digits. */
const rfcSecret = new TextEncoder().encode('12345678901234567890');
const rfcVectors: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(rfcVectors)('produces the Appendix B SHA-1 code at T=%i', async (time, expected) => {
    expect(await totpCode(rfcSecret, time, 8)).toBe(expected);
  });

  it('issues 6-digit codes from a 160-bit base32 secret', async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await totpCode(secret, 1_700_000_000)).toMatch(/^\d{6}$/);
  });

  it('accepts the current step and one step either side, and nothing further', async () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015; // the middle of step 56 666 667
    const step = totpStep(now);
    const codeAt = (offset: number) => totpCode(secret, (step + offset) * 30);

    expect(await checkTotp(secret, await codeAt(0), now)).toEqual({ valid: true, step });
    expect(await checkTotp(secret, await codeAt(-1), now)).toEqual({
      valid: true,
      step: step - 1,
    });
    expect(await checkTotp(secret, await codeAt(1), now)).toEqual({ valid: true, step: step + 1 });
    expect(await checkTotp(secret, await codeAt(-2), now)).toEqual({ valid: false });
    expect(await checkTotp(secret, await codeAt(2), now)).toEqual({ valid: false });
  });

  it('holds the window at the edges of a step (first and last second)', async () => {
    const secret = newTotpSecret();
    const step = 56_666_667;
    const previous = await totpCode(secret, (step - 1) * 30);
    const twoAhead = await totpCode(secret, (step + 2) * 30);
    // Last second of the step: the previous one is still in, two ahead is not.
    expect(await checkTotp(secret, previous, step * 30 + 29)).toEqual({
      valid: true,
      step: step - 1,
    });
    expect(await checkTotp(secret, twoAhead, step * 30 + 29)).toEqual({ valid: false });
    // First second of the next step: the previous one is now two behind.
    expect(await checkTotp(secret, previous, (step + 1) * 30)).toEqual({ valid: false });
  });

  it('refuses a wrong code and a code of another secret', async () => {
    const secret = newTotpSecret();
    const now = 1_700_000_000;
    const right = await totpCode(secret, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(await checkTotp(secret, wrong, now)).toEqual({ valid: false });
    expect(await checkTotp(newTotpSecret(), right, now)).toEqual({ valid: false });
  });

  it('writes an otpauth URI with the issuer, account and parameters', () => {
    const uri = new URL(totpUri('JBSWY3DPEHPK3PXP', 'MegiLance', 'ada@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toContain('MegiLance:ada@example.com');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('MegiLance');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
  });
});
