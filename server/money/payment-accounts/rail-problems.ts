import { problemTypes } from '../../../shared/api/problem.ts';
import { HttpProblem } from '../../http/problem.ts';
import { RailError } from '../rails/payment-rail.ts';

/** Runs a rail call for a request; the rail's refusals become problems the user can act on. */
export async function withRail<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof RailError ? railProblem(error) : error;
  }
}

export function railProblem(error: RailError): HttpProblem {
  switch (error.code) {
    case 'declined':
      return new HttpProblem(402, problemTypes.paymentFailed, 'Payment declined', error.message);
    case 'invalid_request':
      return new HttpProblem(
        409,
        problemTypes.conflict,
        'Refused by the payment provider',
        error.message,
      );
    default:
      // A wrong key is the operator's problem, not the user's: both read "try later".
      return new HttpProblem(
        503,
        problemTypes.unavailable,
        'Payment provider unavailable',
        `The payment provider could not be reached or refused our credentials: ${error.message}`,
      );
  }
}
