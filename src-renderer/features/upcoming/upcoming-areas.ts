import { IconFileDollar } from '@tabler/icons-react';
import type { NotBuiltYetProps } from '../../ui/NotBuiltYet.tsx';

/**
 * The areas of MegiLance that are planned but not built. Each says what it will do, in words a
 * user can hold us to; none shows sample data. Delete an entry when its feature folder lands.
 */
export const upcomingAreas = {
  invoices: {
    area: 'Invoices',
    Icon: IconFileDollar,
    coming: [
      'Build invoices from approved time and completed milestones.',
      'Get paid through Stripe, with every payment, fee and refund in a ledger you can check.',
      'Export invoices for your bookkeeping.',
    ],
  },
} as const satisfies Record<string, NotBuiltYetProps>;

export type UpcomingArea = keyof typeof upcomingAreas;
