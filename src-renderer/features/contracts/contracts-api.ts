import {
  contractSchema,
  type Contract,
  type ContractStatus,
} from '../../../shared/marketplace/contracts.ts';
import {
  contractReviewsSchema,
  reviewSchema,
  type ContractReviews,
  type Review,
  type SubmitReviewInput,
} from '../../../shared/marketplace/reviews.ts';
import { api } from '../session/api.ts';

const id = encodeURIComponent;

/**
 * Contracts change only through the server's commands (devices never push them): a status
 * move goes over REST, and the changed contract then reaches every device of both parties
 * through sync, this one included.
 */
export const changeContractStatus = (contractId: string, to: ContractStatus): Promise<Contract> =>
  api.json('PATCH', `/contracts/${id(contractId)}/status`, contractSchema, { to });

/**
 * Reviews are the marketplace's, not synced: the server alone decides when one is public, so
 * they are asked for (and sent) online, unlike the contract itself.
 */
export const fetchContractReviews = (contractId: string): Promise<ContractReviews> =>
  api.json('GET', `/contracts/${id(contractId)}/reviews`, contractReviewsSchema);

export const submitReview = (contractId: string, input: SubmitReviewInput): Promise<Review> =>
  api.json('POST', `/contracts/${id(contractId)}/reviews`, reviewSchema, input);
