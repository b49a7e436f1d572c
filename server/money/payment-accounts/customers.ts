import type { Db } from '../../db/database.ts';
import type { PaymentRail, SavedPaymentMethod } from '../rails/payment-rail.ts';

/**
 * The rail's customer of a user, created on first use and stored (one per user and rail).
 * Two first uses at once both ask the rail (Stripe answers both with one customer through
 * its idempotency key) and the first stored id wins.
 */
export async function customerFor(db: Db, rail: PaymentRail, userId: string): Promise<string> {
  const stored = await storedCustomer(db, rail, userId);
  if (stored) return stored;
  const user = await db.kysely
    .selectFrom('users')
    .select(['email', 'name'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const { customerId } = await rail.createCustomer({ userId, email: user.email, name: user.name });
  await db.kysely
    .insertInto('payment_customers')
    .values({
      user_id: userId,
      rail: rail.name,
      customer_id: customerId,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['user_id', 'rail']).doNothing())
    .execute();
  return (await storedCustomer(db, rail, userId)) ?? customerId;
}

/** The customer id if the user has one yet (reading never creates one). */
export async function storedCustomer(
  db: Db,
  rail: PaymentRail,
  userId: string,
): Promise<string | null> {
  const row = await db.kysely
    .selectFrom('payment_customers')
    .select('customer_id')
    .where('user_id', '=', userId)
    .where('rail', '=', rail.name)
    .executeTakeFirst();
  return row?.customer_id ?? null;
}

/** The card escrow funding charges: the newest saved one; null when none is saved. */
export async function defaultPaymentMethodFor(
  db: Db,
  rail: PaymentRail,
  userId: string,
): Promise<{ customerId: string; method: SavedPaymentMethod } | null> {
  const customerId = await storedCustomer(db, rail, userId);
  if (!customerId) return null;
  const [method] = await rail.listPaymentMethods(customerId);
  return method ? { customerId, method } : null;
}
