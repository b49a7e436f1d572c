import { problemTypes } from '../../../shared/api/problem.ts';
import { HttpProblem } from '../../http/problem.ts';
import { LedgerError, type LedgerErrorCode } from './ledger.ts';

/**
 * How a refused ledger posting answers over HTTP, in one place for every money route: a
 * balance that would go negative or a movement already posted is a conflict with the
 * current state (409); a malformed posting (unbalanced, mixed currencies) is unprocessable
 * (422). The ledger's message says exactly which account or reference.
 */
const statusOf: Record<LedgerErrorCode, number> = {
  insufficient_balance: 409,
  duplicate: 409,
  invalid_posting: 422,
  unbalanced: 422,
  currency_mismatch: 422,
};

export function ledgerProblem(error: LedgerError): HttpProblem {
  return new HttpProblem(
    statusOf[error.code],
    problemTypes.ledgerRefused,
    'Ledger refused the movement',
    error.message,
    { extensions: { ledgerError: error.code } },
  );
}

/** Runs `work`, answering a LedgerError as its problem; anything else passes through. */
export async function withLedgerProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LedgerError) throw ledgerProblem(error);
    throw error;
  }
}
