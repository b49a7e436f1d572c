import {
  IconBuildingStore,
  IconClockHour4,
  IconFileDollar,
  IconFileText,
} from '@tabler/icons-react';
import type { NotBuiltYetProps } from '../../ui/NotBuiltYet.tsx';

/**
 * The areas of MegiLance that are planned but not built. Each says what it will do, in words a
 * user can hold us to; none shows sample data. Delete an entry when its feature folder lands.
 */
export const upcomingAreas = {
  time: {
    area: 'Time',
    Icon: IconClockHour4,
    coming: [
      'Track time against a contract from the window or the tray, online or offline.',
      'Notice idle stretches and let you keep or discard them.',
      'Take work screenshots you can blur or delete before your client sees them.',
      'Send weekly timesheets to your client for approval.',
    ],
  },
  contracts: {
    area: 'Contracts',
    Icon: IconFileText,
    coming: [
      'Keep hourly and fixed-price contracts with their milestones.',
      'Read and edit them offline; they sync to every device you use.',
      'See what is funded in escrow and what has been released.',
    ],
  },
  invoices: {
    area: 'Invoices',
    Icon: IconFileDollar,
    coming: [
      'Build invoices from approved time and completed milestones.',
      'Get paid through Stripe, with every payment, fee and refund in a ledger you can check.',
      'Export invoices for your bookkeeping.',
    ],
  },
  marketplace: {
    area: 'Marketplace',
    Icon: IconBuildingStore,
    coming: [
      'Search projects and freelancer profiles by skill and category.',
      'Send proposals and follow their status.',
      'Leave and read reviews once work is done.',
    ],
  },
} as const satisfies Record<string, NotBuiltYetProps>;

export type UpcomingArea = keyof typeof upcomingAreas;
