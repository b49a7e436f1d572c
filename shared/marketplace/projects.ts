import { z } from 'zod';
import { instantSchema } from '../api/time.ts';
import { moneySchema } from '../money/money.ts';
import { projectAttachmentSchema } from './attachments.ts';
import { skillSchema, taxonomyNameSchema } from './taxonomy.ts';

export const projectStatuses = ['draft', 'open', 'in_progress', 'completed', 'cancelled'] as const;
export const projectStatusSchema = z.enum(projectStatuses);
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

/** The lifecycle: which statuses may follow each one. Completed and cancelled are final. */
export const projectTransitions: Record<ProjectStatus, readonly ProjectStatus[]> = {
  draft: ['open', 'cancelled'],
  open: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** A project's text may still change while nobody is working on it yet. */
export const editableStatuses: readonly ProjectStatus[] = ['draft', 'open'];

export const budgetTypeSchema = z.enum(['fixed', 'hourly']);
export const visibilitySchema = z.enum(['public', 'invite']);

const MAX_TERMS = 20;

/**
 * Skills or tags: a list of names, or one comma-separated string of them. Names are trimmed,
 * empty ones dropped, and duplicates (ignoring case) kept once, first spelling wins.
 */
export const termListSchema = z
  .preprocess(
    (value) => (typeof value === 'string' ? value.split(',') : value),
    z.array(z.string().trim().max(60, 'must be at most 60 characters')),
  )
  .transform((names) => {
    const seen = new Set<string>();
    return names.filter((name) => {
      const key = name.toLowerCase();
      if (!name || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  })
  .pipe(z.array(taxonomyNameSchema).max(MAX_TERMS, `must name at most ${MAX_TERMS}`))
  .meta({
    description: 'A list of names, or a comma-separated string of them',
    // The pipe documents only its output; callers may send either shape.
    override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
      for (const key of Object.keys(jsonSchema)) {
        if (key !== 'description') delete jsonSchema[key];
      }
      jsonSchema.oneOf = [
        { type: 'array', items: { type: 'string', maxLength: 60 }, maxItems: MAX_TERMS },
        { type: 'string', maxLength: 2000 },
      ];
    },
  });

/** Both ends of a budget range are money in the same currency, and min never exceeds max. */
export const budgetInputSchema = z
  .object({ type: budgetTypeSchema, min: moneySchema, max: moneySchema })
  .strict()
  .superRefine((budget, context) => {
    if (budget.min.currency !== budget.max.currency) {
      context.addIssue({
        code: 'custom',
        path: ['max', 'currency'],
        message: 'must be the same currency as the minimum',
      });
    } else if (budget.min.amountMinor > budget.max.amountMinor) {
      context.addIssue({
        code: 'custom',
        path: ['min', 'amountMinor'],
        message: 'must not exceed the maximum',
      });
    }
  })
  .meta({ id: 'BudgetInput' });

export const projectTitleSchema = z
  .string()
  .trim()
  .min(5, 'must be at least 5 characters')
  .max(120, 'must be at most 120 characters');

/** Rich text (a safe subset of HTML) or plain text; sanitised by the server either way. */
export const projectDescriptionSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(20_000, 'must be at most 20000 characters');

export const deadlineSchema = z.iso
  .date('must be a date such as 2027-01-31')
  .meta({ description: 'A calendar date (YYYY-MM-DD)' });

export const createProjectInputSchema = z
  .object({
    title: projectTitleSchema,
    description: projectDescriptionSchema,
    categoryId: z.uuid(),
    skills: termListSchema.default([]),
    tags: termListSchema.default([]),
    budget: budgetInputSchema,
    deadline: deadlineSchema.nullable().default(null),
    visibility: visibilitySchema.default('public'),
    /** Publish at once (status `open`) instead of saving a draft. */
    publish: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'CreateProjectInput' });

export const updateProjectInputSchema = z
  .object({
    title: projectTitleSchema,
    description: projectDescriptionSchema,
    categoryId: z.uuid(),
    skills: termListSchema,
    tags: termListSchema,
    budget: budgetInputSchema,
    deadline: deadlineSchema.nullable(),
    visibility: visibilitySchema,
  })
  .partial()
  .strict()
  .meta({ id: 'UpdateProjectInput' });

export const changeStatusInputSchema = z
  .object({ to: projectStatusSchema })
  .strict()
  .meta({ id: 'ChangeProjectStatusInput' });

export const projectIdParamsSchema = z.object({ id: z.uuid() });

export const projectListQuerySchema = z
  .object({
    categoryId: z.uuid().optional(),
    /** `true`: the signed-in client's own projects in every status. */
    mine: z
      .enum(['true', 'false'])
      .optional()
      .transform((value) => value === 'true'),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const termRefSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });

/** Who posted a project, as everyone who can see the project may know them. */
export const projectClientSchema = z
  .object({
    id: z.uuid(),
    /** Plain text: escape it where it is shown. */
    name: z.string(),
  })
  .meta({ id: 'ProjectClient' });

export const projectSchema = z
  .object({
    id: z.uuid(),
    client: projectClientSchema,
    title: z.string(),
    /** Sanitised HTML: safe to render as markup. */
    descriptionHtml: z.string(),
    category: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
    skills: z.array(skillSchema),
    tags: z.array(termRefSchema),
    budget: z.object({ type: budgetTypeSchema, min: moneySchema, max: moneySchema }),
    deadline: z.string().nullable(),
    visibility: visibilitySchema,
    status: projectStatusSchema,
    viewCount: z.int(),
    /** On a single project (GET /projects/:id): its proposals, withdrawn ones not counted. */
    proposalCount: z.int().optional(),
    /** On a single project: its files, in order (at most 10). */
    attachments: z.array(projectAttachmentSchema).optional(),
    /** On GET /projects/:id: whether the signed-in viewer keeps it among their favorites. */
    favorited: z.boolean().optional(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
    publishedAt: instantSchema.nullable(),
  })
  .meta({ id: 'Project' });

export const projectPageSchema = z
  .object({ items: z.array(projectSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ProjectPage' });

export type CreateProjectInput = z.infer<typeof createProjectInputSchema>;
export type UpdateProjectInput = z.infer<typeof updateProjectInputSchema>;
export type ProjectListQuery = z.infer<typeof projectListQuerySchema>;
export type Project = z.infer<typeof projectSchema>;
export type ProjectClient = z.infer<typeof projectClientSchema>;
export type ProjectPage = z.infer<typeof projectPageSchema>;
export type BudgetInput = z.infer<typeof budgetInputSchema>;
