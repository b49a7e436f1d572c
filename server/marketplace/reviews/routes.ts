import { contractIdParamsSchema } from '../../../shared/marketplace/contracts.ts';
import {
  contractReviewsSchema,
  reviewListQuerySchema,
  reviewPageSchema,
  reviewSchema,
  submitReviewInputSchema,
  userIdParamsSchema,
} from '../../../shared/marketplace/reviews.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { ReviewService } from './review-service.ts';

const tags = ['Marketplace'];

export function reviewRoutes(reviews: ReviewService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/contracts/:id/reviews',
      summary: 'Review the other party of your ended contract (once per side; 1–5 with text)',
      tags,
      auth: true,
      params: contractIdParamsSchema,
      body: submitReviewInputSchema,
      responses: { 201: { description: 'Your review', schema: reviewSchema } },
      handle: async ({ auth, params, body, meta }) => ({
        status: 201,
        body: await reviews.submit(auth, params.id, body, meta),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/contracts/:id/reviews',
      summary: 'A contract’s reviews for its parties: yours always, the other’s once public',
      tags,
      auth: true,
      params: contractIdParamsSchema,
      responses: { 200: { description: 'The reviews', schema: contractReviewsSchema } },
      handle: async ({ auth, params }) => ({
        status: 200,
        body: await reviews.forContract(auth, params.id),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/users/:id/reviews',
      summary: 'Public reviews a freelancer or client received, newest first, with their rating',
      tags,
      auth: true,
      params: userIdParamsSchema,
      query: reviewListQuerySchema,
      responses: { 200: { description: 'A page of reviews', schema: reviewPageSchema } },
      handle: async ({ params, query }) => ({
        status: 200,
        body: await reviews.received(params.id, query),
      }),
    }),
  ];
}
