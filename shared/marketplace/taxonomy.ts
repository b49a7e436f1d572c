import { z } from 'zod';
import { instantSchema } from '../api/time.ts';

/** Lowercase words joined by single hyphens: `web-development`, `react-native`. */
export const slugSchema = z
  .string()
  .max(60, 'must be at most 60 characters')
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'must be lowercase letters and digits separated by single hyphens',
  );

export const taxonomyNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters');

/** What every view of a category shows, flat or in the tree. */
const categoryFields = {
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  slug: z.string(),
  name: z.string(),
  icon: z.string().nullable(),
  active: z.boolean(),
  position: z.int(),
};

/** A category with its subtree; `projectCount` counts open public projects in the subtree. */
export type CategoryNode = z.infer<z.ZodObject<typeof categoryFields>> & {
  projectCount: number;
  children: CategoryNode[];
};

export const categoryNodeSchema: z.ZodType<CategoryNode> = z
  .object({
    ...categoryFields,
    projectCount: z.int(),
    get children() {
      return z.array(categoryNodeSchema);
    },
  })
  .meta({ id: 'CategoryNode' });

export const categoryTreeSchema = z
  .object({ categories: z.array(categoryNodeSchema) })
  .meta({ id: 'CategoryTree' });

const iconSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, 'must be an icon name such as "code" or "pen-tool"');

export const createCategoryInputSchema = z
  .object({
    slug: slugSchema,
    name: taxonomyNameSchema,
    icon: iconSchema.nullable().default(null),
    parentId: z.uuid().nullable().default(null),
    active: z.boolean().default(true),
    position: z.int().min(0).max(10_000).default(0),
  })
  .strict()
  .meta({ id: 'CreateCategoryInput' });

export const updateCategoryInputSchema = z
  .object({
    slug: slugSchema,
    name: taxonomyNameSchema,
    icon: iconSchema.nullable(),
    parentId: z.uuid().nullable(),
    active: z.boolean(),
    position: z.int().min(0).max(10_000),
  })
  .partial()
  .strict()
  .meta({ id: 'UpdateCategoryInput' });

export const categoryIdParamsSchema = z.object({ id: z.uuid() });

export const skillSchema = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string() })
  .meta({ id: 'Skill' });

export const tagSchema = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), usageCount: z.int() })
  .meta({ id: 'Tag' });

export const createTermInputSchema = z
  .object({ name: taxonomyNameSchema, slug: slugSchema.optional() })
  .strict()
  .meta({ id: 'CreateTermInput', description: 'A skill or tag; the slug defaults from the name' });

/** Lists that grow are read a page at a time, ordered by slug; `cursor` is the last slug seen. */
export const termListQuerySchema = z
  .object({
    cursor: z.string().max(60).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const skillPageSchema = z
  .object({ items: z.array(skillSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SkillPage' });

export const tagPageSchema = z
  .object({ items: z.array(tagSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'TagPage' });

export const categoryRowSchema = z
  .object({ ...categoryFields, createdAt: instantSchema })
  .meta({ id: 'Category' });

export type CreateCategoryInput = z.infer<typeof createCategoryInputSchema>;
export type UpdateCategoryInput = z.infer<typeof updateCategoryInputSchema>;
export type Category = z.infer<typeof categoryRowSchema>;
export type Skill = z.infer<typeof skillSchema>;
export type Tag = z.infer<typeof tagSchema>;
export type CreateTermInput = z.infer<typeof createTermInputSchema>;
export type TermListQuery = z.infer<typeof termListQuerySchema>;

/**
 * A slug from a typed name: `React Native` → `react-native`, `C#` → `c-sharp`,
 * `C++` → `c-plus-plus`. Empty when the name has no letters or digits at all.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/#/g, '-sharp')
    .replace(/\+/g, '-plus')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
}
