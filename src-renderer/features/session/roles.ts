import type { Role } from '../../../shared/accounts/user.ts';

export const roleLabels: Record<Role, string> = {
  client: 'Client',
  freelancer: 'Freelancer',
  admin: 'Admin',
};
