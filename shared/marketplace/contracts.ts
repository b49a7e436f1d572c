import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { moneySchema } from '../money/money.ts';

export const contractStatuses = ['active', 'paused', 'ended'] as const;
export const contractStatusSchema = z.enum(contractStatuses);
export type ContractStatus = z.infer<typeof contractStatusSchema>;

/** The lifecycle: which statuses may follow each one. Ended is final. */
export const contractTransitions: Record<ContractStatus, readonly ContractStatus[]> = {
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
};

export const contractTypeSchema = z.enum(['fixed', 'hourly']);

/**
 * How many screenshots the tracker takes in each 10-minute slot of a contract: set by the
 * client when accepting a proposal, changed on the contract later. 0 turns them off.
 */
export const screenshotsPerSlotSchema = z.int().min(0).max(3);
export const defaultScreenshotsPerSlot = 1;
export type ContractType = z.infer<typeof contractTypeSchema>;

export const milestoneStatuses = [
  'pending',
  'funded',
  'submitted',
  'approved',
  'released',
  'disputed',
] as const;
export const milestoneStatusSchema = z.enum(milestoneStatuses);
export type MilestoneStatus = z.infer<typeof milestoneStatusSchema>;

export const milestoneSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    amount: moneySchema,
    dueDate: z.string().nullable(),
    position: z.int(),
    status: milestoneStatusSchema,
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'Milestone' });

export const contractSchema = z
  .object({
    id: z.uuid(),
    projectId: z.uuid(),
    proposalId: z.uuid(),
    clientId: z.uuid(),
    freelancerId: z.uuid(),
    type: contractTypeSchema,
    currency: z.string(),
    /** Hourly contracts: the rate; null on fixed ones. */
    rate: moneySchema.nullable(),
    /** Fixed contracts: the milestones' sum; null on hourly ones. */
    total: moneySchema.nullable(),
    weeklyHourLimit: z.int().nullable(),
    manualTimeAllowed: z.boolean(),
    screenshotsPerSlot: screenshotsPerSlotSchema,
    status: contractStatusSchema,
    milestones: z.array(milestoneSchema),
    createdAt: instantSchema,
    updatedAt: instantSchema,
  })
  .meta({ id: 'Contract' });

export const contractPageSchema = z
  .object({ items: z.array(contractSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ContractPage' });

export const contractIdParamsSchema = z.object({ id: z.uuid() });

export const contractListQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const changeContractStatusInputSchema = z
  .object({ to: contractStatusSchema })
  .strict()
  .meta({ id: 'ChangeContractStatusInput' });

/** What the client may change on a running contract (more settings will join it). */
export const contractSettingsInputSchema = z
  .object({ screenshotsPerSlot: screenshotsPerSlotSchema })
  .strict()
  .meta({ id: 'ContractSettingsInput' });

export type Contract = z.infer<typeof contractSchema>;
export type ContractSettingsInput = z.infer<typeof contractSettingsInputSchema>;
export type ContractPage = z.infer<typeof contractPageSchema>;
export type ContractListQuery = z.infer<typeof contractListQuerySchema>;
export type Milestone = z.infer<typeof milestoneSchema>;
