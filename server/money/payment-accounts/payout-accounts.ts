import type { PayoutAccountView } from '../../../shared/money/payment-accounts.ts';
import type { Db } from '../../db/database.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PaymentRail, PayoutAccountStatus } from '../rails/payment-rail.ts';
import type { WebhookRegistry } from '../webhooks/webhook-registry.ts';

export interface PayoutAccount {
  accountId: string;
  status: 'onboarding' | 'active';
  detailsSubmitted: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  requirementsDue: string[];
}

/** The freelancer's payout account on this rail as last seen; null when none was created. */
export async function payoutAccountFor(
  db: Db,
  rail: PaymentRail,
  userId: string,
): Promise<PayoutAccount | null> {
  const row = await db.kysely
    .selectFrom('payout_accounts')
    .selectAll()
    .where('user_id', '=', userId)
    .where('rail', '=', rail.name)
    .executeTakeFirst();
  if (!row) return null;
  const payoutsEnabled = row.payouts_enabled === 1;
  const detailsSubmitted = row.details_submitted === 1;
  return {
    accountId: row.account_id,
    status: payoutsEnabled && detailsSubmitted ? 'active' : 'onboarding',
    detailsSubmitted,
    chargesEnabled: row.charges_enabled === 1,
    payoutsEnabled,
    requirementsDue: JSON.parse(row.requirements_due) as string[],
  };
}

/** The payout account, created at the provider (once per user) if there is none yet. */
export async function ensurePayoutAccount(
  db: Db,
  rail: PaymentRail,
  userId: string,
  country: string,
): Promise<PayoutAccount> {
  const existing = await payoutAccountFor(db, rail, userId);
  if (existing) return existing;
  const user = await db.kysely
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const { accountId } = await rail.createPayoutAccount({ userId, email: user.email, country });
  const now = new Date().toISOString();
  await db.kysely
    .insertInto('payout_accounts')
    .values({
      user_id: userId,
      rail: rail.name,
      account_id: accountId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['user_id', 'rail']).doNothing())
    .execute();
  await refreshPayoutAccount(db.kysely, rail, await rail.retrievePayoutAccount(accountId));
  const created = await payoutAccountFor(db, rail, userId);
  if (!created) throw new Error('payout account row vanished after insert');
  return created;
}

/** Stores what the provider says about an account (if we know the account). */
export async function refreshPayoutAccount(
  db: Kysely<Database>,
  rail: PaymentRail,
  status: PayoutAccountStatus,
): Promise<void> {
  await db
    .updateTable('payout_accounts')
    .set({
      details_submitted: status.detailsSubmitted ? 1 : 0,
      charges_enabled: status.chargesEnabled ? 1 : 0,
      payouts_enabled: status.payoutsEnabled ? 1 : 0,
      requirements_due: JSON.stringify(status.requirementsDue),
      updated_at: new Date().toISOString(),
    })
    .where('rail', '=', rail.name)
    .where('account_id', '=', status.accountId)
    .execute();
}

export function payoutAccountView(
  rail: PaymentRail,
  account: PayoutAccount | null,
): PayoutAccountView {
  return {
    status: account?.status ?? 'none',
    rail: rail.name,
    accountId: account?.accountId ?? null,
    detailsSubmitted: account?.detailsSubmitted ?? false,
    payoutsEnabled: account?.payoutsEnabled ?? false,
    requirementsDue: account?.requirementsDue ?? [],
  };
}

/**
 * `account.updated`: a freelancer finished (or lost) onboarding at Stripe. The account is
 * read afresh from Stripe (deliveries may come out of order) and the row updated once.
 */
export function registerPayoutAccountWebhooks(registry: WebhookRegistry): void {
  registry.on('account.updated', async ({ event, rail, applyOnce }) => {
    const object = event.data.object as { id?: unknown };
    if (typeof object.id !== 'string') return;
    const status = await rail.retrievePayoutAccount(object.id);
    await applyOnce(async (sync) => {
      await refreshPayoutAccount(sync.trx, rail, status);
    });
  });
}
