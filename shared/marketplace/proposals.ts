import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { moneySchema } from '../money/money.ts';
import { screenshotsPerSlotSchema } from './contracts.ts';
import { freelancerProfileSchema, freelancerStatsSchema } from './profiles.ts';
import { deadlineSchema } from './projects.ts';

export const proposalStatuses = [
  'pending',
  'shortlisted',
  'rejected',
  'withdrawn',
  'accepted',
] as const;
export const proposalStatusSchema = z.enum(proposalStatuses);
export type ProposalStatus = z.infer<typeof proposalStatusSchema>;

/** The lifecycle: which statuses may follow each one. Rejected, withdrawn, accepted are final. */
export const proposalTransitions: Record<ProposalStatus, readonly ProposalStatus[]> = {
  pending: ['shortlisted', 'rejected', 'withdrawn', 'accepted'],
  shortlisted: ['rejected', 'withdrawn', 'accepted'],
  rejected: [],
  withdrawn: [],
  accepted: [],
};

/** A freelancer may still change (or take back) a proposal the client has not decided on. */
export const openProposalStatuses: readonly ProposalStatus[] = ['pending', 'shortlisted'];

/** A positive amount: a bid or a milestone of nothing is no bid at all. */
export const positiveMoneySchema = moneySchema.extend({
  amountMinor: z.int().min(1, 'must be at least 1 minor unit').max(Number.MAX_SAFE_INTEGER),
});

/** A fixed price for the whole project, or an hourly rate; the type must match the project's. */
export const bidSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('fixed'), amount: positiveMoneySchema }).strict(),
    z.object({ type: z.literal('hourly'), rate: positiveMoneySchema }).strict(),
  ])
  .meta({ id: 'Bid' });
export type Bid = z.infer<typeof bidSchema>;

export const milestoneTitleSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

export const MAX_MILESTONES = 50;

export const milestoneInputSchema = z
  .object({
    title: milestoneTitleSchema,
    amount: positiveMoneySchema,
    dueDate: deadlineSchema.nullable().default(null),
  })
  .strict()
  .meta({ id: 'MilestoneInput' });
export type MilestoneInput = z.infer<typeof milestoneInputSchema>;

export const milestonePlanSchema = z
  .array(milestoneInputSchema)
  .min(1, 'must name at least one milestone')
  .max(MAX_MILESTONES, `must name at most ${MAX_MILESTONES} milestones`);

export const coverLetterSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(10_000, 'must be at most 10000 characters');

export const durationDaysSchema = z.int().min(1).max(3650);

export const createProposalInputSchema = z
  .object({
    coverLetter: coverLetterSchema,
    bid: bidSchema,
    durationDays: durationDaysSchema,
    /** Fixed bids only: how the amount splits; it must sum to the bid. */
    milestonePlan: milestonePlanSchema.nullable().default(null),
  })
  .strict()
  .meta({ id: 'CreateProposalInput' });

export const updateProposalInputSchema = z
  .object({
    coverLetter: coverLetterSchema,
    bid: bidSchema,
    durationDays: durationDaysSchema,
    milestonePlan: milestonePlanSchema.nullable(),
  })
  .partial()
  .strict()
  .meta({ id: 'UpdateProposalInput' });

export const proposalIdParamsSchema = z.object({ id: z.uuid() });

export const proposalListQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const milestonePlanItemSchema = z
  .object({ title: z.string(), amount: moneySchema, dueDate: z.string().nullable() })
  .meta({ id: 'MilestonePlanItem' });

/**
 * Who sent a proposal, with what a client weighs when comparing proposals side by side: the
 * headline and rate of their public profile, and stats counted from contracts and public
 * reviews only. Name and headline are plain text: escape them where they are shown.
 */
export const proposalFreelancerSchema = freelancerProfileSchema
  .pick({ id: true, name: true, headline: true, hourlyRate: true })
  .extend({
    stats: freelancerStatsSchema.pick({ jobsDone: true, rating: true, reviewCount: true }),
  })
  .meta({ id: 'ProposalFreelancer' });

export const proposalSchema = z
  .object({
    id: z.uuid(),
    projectId: z.uuid(),
    freelancer: proposalFreelancerSchema,
    /** Sanitised HTML: safe to render as markup. */
    coverLetterHtml: z.string(),
    bid: z.discriminatedUnion('type', [
      z.object({ type: z.literal('fixed'), amount: moneySchema }),
      z.object({ type: z.literal('hourly'), rate: moneySchema }),
    ]),
    durationDays: z.int(),
    milestonePlan: z.array(milestonePlanItemSchema).nullable(),
    status: proposalStatusSchema,
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'Proposal' });

export const proposalPageSchema = z
  .object({ items: z.array(proposalSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ProposalPage' });

export const acceptProposalInputSchema = z
  .object({
    /** Reject the project's other pending and shortlisted proposals at once. */
    rejectOthers: z.boolean(),
    /** Fixed only: defaults to the proposal's plan, or one milestone of the whole bid. */
    milestones: milestonePlanSchema.optional(),
    /** Hourly only: at most this many hours a week; null for no limit. */
    weeklyHourLimit: z.int().min(1).max(168).nullable().optional(),
    /** Hourly only: whether the freelancer may log time by hand (default false). */
    manualTimeAllowed: z.boolean().optional(),
    /** Screenshots in each 10-minute slot of tracked time, 0–3 (default 1; 0 turns them off). */
    screenshotsPerSlot: screenshotsPerSlotSchema.optional(),
  })
  .strict()
  .meta({ id: 'AcceptProposalInput' });

export type CreateProposalInput = z.infer<typeof createProposalInputSchema>;
export type UpdateProposalInput = z.infer<typeof updateProposalInputSchema>;
export type ProposalListQuery = z.infer<typeof proposalListQuerySchema>;
export type Proposal = z.infer<typeof proposalSchema>;
export type ProposalFreelancer = z.infer<typeof proposalFreelancerSchema>;
export type ProposalPage = z.infer<typeof proposalPageSchema>;
export type AcceptProposalInput = z.infer<typeof acceptProposalInputSchema>;
