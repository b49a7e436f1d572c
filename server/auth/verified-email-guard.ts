import type { Kysely } from 'kysely';
import { problemTypes } from '../../shared/api/problem.ts';
import type { Database } from '../db/schema.ts';
import { HttpProblem } from '../http/problem.ts';
import type { AnyRoute, AuthContext } from '../http/route.ts';

/** The endpoints an account may use only once its email address is confirmed. */
export const verifiedEmailRoutes = [
  // Proposals
  'POST /projects/:id/proposals',
  // Money: funding escrow, cards, payouts
  'POST /escrows',
  'POST /escrows/:id/payments',
  'POST /payments/methods/setup',
  'POST /payments/sandbox/cards',
  'POST /payments/payout-account/onboarding',
] as const;

export const emailNotVerified = () =>
  new HttpProblem(
    403,
    problemTypes.emailNotVerified,
    'Email not verified',
    'Verify your email address first: open the link in the email we sent you, or ask for a new one.',
  );

/** Refuses a signed-in user whose address is not confirmed. */
export async function requireVerifiedEmail(db: Kysely<Database>, auth: AuthContext) {
  const user = await db
    .selectFrom('users')
    .select('email_verified_at')
    .where('id', '=', auth.userId)
    .executeTakeFirst();
  if (user?.email_verified_at == null) throw emailNotVerified();
}

/**
 * Puts the check in front of the listed routes, in one place rather than in each capability.
 * A listed route that does not exist stops the server: a renamed path must not drop the guard.
 */
export function guardUnverifiedEmail(
  db: Kysely<Database>,
  routes: AnyRoute[],
  guarded: readonly string[] = verifiedEmailRoutes,
): AnyRoute[] {
  const keyOf = (route: AnyRoute) => `${route.method.toUpperCase()} ${route.path}`;
  const missing = guarded.filter((key) => !routes.some((route) => keyOf(route) === key));
  if (missing.length > 0) throw new Error(`unknown routes to guard: ${missing.join(', ')}`);
  return routes.map((route) => {
    if (!guarded.includes(keyOf(route))) return route;
    if (route.auth !== true) throw new Error(`${keyOf(route)} is guarded but not signed-in only`);
    const guardedRoute: AnyRoute = {
      ...route,
      handle: async (context) => {
        if (!context.auth) throw new Error(`${keyOf(route)} ran without a caller`);
        await requireVerifiedEmail(db, context.auth);
        return route.handle(context);
      },
    };
    return guardedRoute;
  });
}
