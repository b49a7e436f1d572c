import { createRoute } from '@tanstack/react-router';
import type { appRoute as AppRoute } from '../../app/router.tsx';
import { WalletPage } from './WalletPage.tsx';

/** The wallet under `#/wallet`; payments settings live in Settings (`#/settings/payments`). */
export function moneyRoutes(getParentRoute: () => typeof AppRoute) {
  const wallet = createRoute({ getParentRoute, path: 'wallet', component: WalletPage });
  return [wallet] as const;
}
