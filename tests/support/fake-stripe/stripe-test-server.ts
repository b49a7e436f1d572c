import Stripe from 'stripe';
import { startTestServer, type Dialect, type TestServer } from '../test-server.ts';
import { startFakeStripe, type FakeStripe } from './fake-stripe.ts';

export interface StripeWorld {
  server: TestServer;
  fake: FakeStripe;
  /** The real SDK pointed at the fake: what a test uses to play the customer's browser. */
  stripe: Stripe;
  close(): Promise<void>;
}

/** A real server on the Stripe rail, its SDK pointed at a fresh fake Stripe. */
export async function startStripeWorld(dialect: Dialect): Promise<StripeWorld> {
  const fake = await startFakeStripe();
  const server = await startTestServer({
    dialect,
    env: {
      STRIPE_SECRET_KEY: fake.apiKey,
      STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
      STRIPE_API_URL: fake.url,
    },
  });
  fake.setWebhookUrl(`${server.baseUrl}/api/v1/webhooks/stripe`);
  const stripe = new Stripe(fake.apiKey, { host: fake.host, port: fake.port, protocol: 'http' });
  return {
    server,
    fake,
    stripe,
    close: async () => {
      await server.close();
      await fake.close();
    },
  };
}

/** Opens a hosted page (Checkout, onboarding) as the user's browser would. */
export async function visit(url: string): Promise<{ status: number; text: string }> {
  const answer = await fetch(url);
  return { status: answer.status, text: await answer.text() };
}
