import type { UseNavigateResult } from '@tanstack/react-router';

/** After accepting: the contract the acceptance created, on the Contracts screen. */
export function openContract(navigate: UseNavigateResult<string>, contractId: string): void {
  void navigate({ to: '/contracts/$contractId', params: { contractId } });
}
