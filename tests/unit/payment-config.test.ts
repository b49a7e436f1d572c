/** Payment settings from the environment: Stripe only with a real-looking key, else the sandbox. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { parseForm, listOf, metadataOf } from '../support/fake-stripe/form.ts';

describe('payment configuration', () => {
  it('runs on the sandbox without a Stripe key, with payout accounts in the US', () => {
    const config = loadConfig({});
    expect(config.stripe).toBeUndefined();
    expect(config.payoutCountry).toBe('US');
    expect(loadConfig({ STRIPE_SECRET_KEY: '' }).stripe).toBeUndefined();
  });

  it('takes a Stripe key, webhook secret and API URL together', () => {
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_xyz',
      STRIPE_API_URL: 'http://127.0.0.1:12345',
      PAYOUT_COUNTRY: 'DE',
    });
    expect(config.stripe).toEqual({
      secretKey: 'sk_test_abc123',
      webhookSecret: 'whsec_xyz',
      apiUrl: 'http://127.0.0.1:12345',
    });
    expect(config.payoutCountry).toBe('DE');
  });

  it('takes PUBLIC_URL as the base browsers reach, without a trailing slash', () => {
    // Unset or empty: the server derives it from its listen address once it listens.
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: '' }).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://pay.megilance.example' }).publicUrl).toBe(
      'https://pay.megilance.example',
    );
    // Behind a proxy under a path; trailing slashes go so `${publicUrl}/api/v1/…` is clean.
    expect(loadConfig({ PUBLIC_URL: 'https://megilance.example/app//' }).publicUrl).toBe(
      'https://megilance.example/app',
    );
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:4780' }).publicUrl).toBe(
      'http://10.0.0.5:4780',
    );
  });

  it.each([
    [{ STRIPE_SECRET_KEY: 'pk_test_publishable' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_WEBHOOK_SECRET: 'secret' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ STRIPE_API_URL: 'ftp://example.com' }, 'STRIPE_API_URL'],
    [{ PAYOUT_COUNTRY: 'usa' }, 'PAYOUT_COUNTRY'],
    [{ PUBLIC_URL: 'megilance.example.com' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://megilance.example.com' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://megilance.example.com/?from=proxy' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://user:secret@megilance.example.com' }, 'PUBLIC_URL'],
  ])('refuses %o naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe("the fake Stripe's form reader", () => {
  it('reads nested objects and indexed arrays as the stripe SDK writes them', () => {
    const form = parseForm(
      'amount=100&metadata[escrowId]=e%201&expand[0]=latest_charge.balance_transaction&capabilities[transfers][requested]=true',
    );
    expect(form.amount).toBe('100');
    expect(metadataOf(form)).toEqual({ escrowId: 'e 1' });
    expect(listOf(form, 'expand')).toEqual(['latest_charge.balance_transaction']);
    expect(form.capabilities).toEqual({ transfers: { requested: 'true' } });
  });
});
