import { createRoute } from '@tanstack/react-router';
import {
  contractStatusSchema,
  type ContractStatus,
} from '../../../shared/marketplace/contracts.ts';
import type { appRoute as AppRoute } from '../../app/router.tsx';
import { ContractPage } from './ContractPage.tsx';
import { ContractsPage } from './ContractsPage.tsx';

/**
 * The Contracts screens under `#/contracts`, hung under the signed-in area by the app's
 * router: the list (`?status=` narrows it to one status) and one contract's page.
 */
export function contractRoutes(getParentRoute: () => typeof AppRoute) {
  const list = createRoute({
    getParentRoute,
    path: 'contracts',
    validateSearch: (search: Record<string, unknown>): { status?: ContractStatus } => {
      const status = contractStatusSchema.safeParse(search.status);
      return status.success ? { status: status.data } : {};
    },
    component: function Contracts() {
      return <ContractsPage status={list.useSearch().status} />;
    },
  });

  const contract = createRoute({
    getParentRoute,
    path: 'contracts/$contractId',
    component: function Contract() {
      const { contractId } = contract.useParams();
      return <ContractPage key={contractId} contractId={contractId} />;
    },
  });

  return [list, contract] as const;
}
