import { create } from 'zustand';
import type { RailName } from '../../../shared/money/escrow.ts';
import type { SavedPaymentMethodView } from '../../../shared/money/payment-accounts.ts';
import { readableError } from '../../api/problems.ts';
import { useSessionStore } from '../session/session-store.ts';
import { fetchPaymentMethods, fetchRail } from './payments-api.ts';

/**
 * The rail (and its platform fee) and my saved cards, asked of the server (they live at the payment provider, not in
 * synced documents) and shared by Payments settings and every funding dialog of this window,
 * so a card added in settings is there when funding.
 */
type PaymentsState = {
  rail: RailName | null;
  /** The platform's fee on releases (basis points), for nets shown before release. */
  platformFeeBps: number | null;
  cards: SavedPaymentMethodView[] | null;
  error: string | null;
  loading: boolean;
};

export const usePaymentsStore = create<PaymentsState>(() => ({
  rail: null,
  platformFeeBps: null,
  cards: null,
  error: null,
  loading: false,
}));

/** Asks again; concurrent callers share one request. */
let inFlight: Promise<void> | null = null;
export function refreshPayments(): Promise<void> {
  inFlight ??= (async () => {
    usePaymentsStore.setState({ loading: true });
    try {
      const [rail, methods] = await Promise.all([fetchRail(), fetchPaymentMethods()]);
      usePaymentsStore.setState({
        rail: rail.rail,
        platformFeeBps: rail.platformFeeBps,
        cards: methods.data,
        error: null,
      });
    } catch (error) {
      usePaymentsStore.setState({ error: readableError(error) });
    } finally {
      usePaymentsStore.setState({ loading: false });
      inFlight = null;
    }
  })();
  return inFlight;
}

/** `Visa •••• 4242, expires 12/2030` */
export function cardLabel(card: SavedPaymentMethodView): string {
  const brand = card.brand.charAt(0).toUpperCase() + card.brand.slice(1);
  return `${brand} •••• ${card.last4}, expires ${String(card.expMonth).padStart(2, '0')}/${card.expYear}`;
}

// Another account must never see this one's cards.
useSessionStore.subscribe((state, previous) => {
  if (state.user?.id !== previous.user?.id) {
    usePaymentsStore.setState({ rail: null, platformFeeBps: null, cards: null, error: null });
  }
});
