import {
  IconBuildingStore,
  IconClockHour4,
  IconFileDollar,
  IconFileText,
  IconLayoutDashboard,
  IconMessages,
  IconSettings,
  IconWallet,
} from '@tabler/icons-react';

export const navItems = [
  { to: '/', label: 'Dashboard', Icon: IconLayoutDashboard },
  { to: '/time', label: 'Time', Icon: IconClockHour4 },
  { to: '/contracts', label: 'Contracts', Icon: IconFileText },
  { to: '/invoices', label: 'Invoices', Icon: IconFileDollar },
  { to: '/wallet', label: 'Wallet', Icon: IconWallet },
  { to: '/messages', label: 'Messages', Icon: IconMessages },
  { to: '/marketplace', label: 'Marketplace', Icon: IconBuildingStore },
  { to: '/settings', label: 'Settings', Icon: IconSettings },
] as const;
