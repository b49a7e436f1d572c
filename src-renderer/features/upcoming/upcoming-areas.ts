import { IconClockHour4, IconFileDollar } from '@tabler/icons-react';
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
