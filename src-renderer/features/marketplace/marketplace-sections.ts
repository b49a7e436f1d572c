import {
  IconBriefcase,
  IconCategory,
  IconFileDescription,
  IconSearch,
  IconStar,
  IconUsers,
} from '@tabler/icons-react';
import type { Role } from '../../../shared/accounts/user.ts';

const everyone: readonly Role[] = ['client', 'freelancer', 'admin'];

/** The Marketplace's own navigation; each section is shown to the roles it serves. */
export const marketplaceSections = [
  {
    to: '/marketplace',
    label: 'Browse',
    Icon: IconCategory,
    roles: everyone,
    isActive: (path: string) => path === '/marketplace' || path === '/marketplace/',
  },
  {
    to: '/marketplace/search',
    label: 'Search',
    Icon: IconSearch,
    roles: everyone,
    isActive: (path: string) => path.startsWith('/marketplace/search'),
  },
  {
    to: '/marketplace/freelancers',
    label: 'Freelancers',
    Icon: IconUsers,
    roles: everyone,
    isActive: (path: string) => path.startsWith('/marketplace/freelancers'),
  },
  {
    to: '/marketplace/favorites',
    label: 'Favorites',
    Icon: IconStar,
    roles: everyone,
    isActive: (path: string) => path.startsWith('/marketplace/favorites'),
  },
  {
    to: '/marketplace/my-projects',
    label: 'Your projects',
    Icon: IconBriefcase,
    roles: ['client'] as readonly Role[],
    isActive: (path: string) => path.startsWith('/marketplace/my-projects'),
  },
  {
    to: '/marketplace/proposals',
    label: 'Your proposals',
    Icon: IconFileDescription,
    roles: ['freelancer'] as readonly Role[],
    isActive: (path: string) => path.startsWith('/marketplace/proposals'),
  },
] as const;
