import { problems } from '../../http/problem.ts';
import type { AuthContext } from '../../http/route.ts';

/** Editing a profile or portfolio is a freelancer's business; clients and admins have none. */
export function requireFreelancer(auth: AuthContext): void {
  if (auth.role !== 'freelancer') {
    throw problems.forbidden('Only freelancers have a freelancer profile and portfolio.');
  }
}
