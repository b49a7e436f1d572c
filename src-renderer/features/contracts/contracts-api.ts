import {
  contractSchema,
  type Contract,
  type ContractStatus,
} from '../../../shared/marketplace/contracts.ts';
import { api } from '../session/api.ts';

/**
 * Contracts change only through the server's commands (devices never push them): a status
 * move goes over REST, and the changed contract then reaches every device of both parties
 * through sync, this one included.
 */
export const changeContractStatus = (contractId: string, to: ContractStatus): Promise<Contract> =>
  api.json('PATCH', `/contracts/${encodeURIComponent(contractId)}/status`, contractSchema, { to });
