import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';

/**
 * RxDB JSON schemas generated from the zod schemas in `shared/`, so the device stores exactly
 * the documents the server validates. Generic on purpose: a new synced collection (contracts,
 * time entries, invoices …) only adds its zod schema and its indexes.
 */
export type IndexSpec = string | readonly string[];

export interface RxSchemaOptions {
  version: number;
  indexes?: readonly IndexSpec[];
}

type JsonSchema = Record<string, unknown>;

/**
 * Lengths of the string formats zod emits. RxDB needs a `maxLength` on the primary key and on
 * every indexed string, because its storages build fixed-width index keys from them.
 */
const formatMaxLength: Record<string, number> = {
  uuid: 36,
  // A calendar day, `2026-11-21`.
  date: 10,
  // `2026-11-21T16:57:00.000Z` is 24; room for micro/nanoseconds, never more.
  'date-time': 32,
};

export function rxJsonSchemaFromZod<T>(
  schema: z.ZodType<T>,
  options: RxSchemaOptions,
): RxJsonSchema<T> {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'output',
    unrepresentable: 'throw',
  }) as JsonSchema;
  const root = clean(unwrapRef(generated)) as JsonSchema;
  const properties = root.properties as Record<string, JsonSchema> | undefined;
  if (root.type !== 'object' || !properties) {
    throw new Error('A synced document must be a zod object');
  }
  const required = new Set((root.required as string[] | undefined) ?? []);

  const indexes = (options.indexes ?? []).map((index) =>
    typeof index === 'string' ? index : [...index],
  );
  for (const field of ['id', ...indexes.flat()]) {
    const property = properties[field];
    if (!property) throw new Error(`Indexed field "${field}" is not in the schema`);
    if (!required.has(field)) {
      throw new Error(`Indexed field "${field}" must be required (RxDB cannot index a gap)`);
    }
    boundForIndex(field, property);
  }

  const rxSchema = {
    ...root,
    version: options.version,
    primaryKey: 'id',
    type: 'object',
    properties,
    required: [...required],
    additionalProperties: false,
    ...(indexes.length > 0 ? { indexes } : {}),
  };
  // The runtime shape is built above from the zod schema; RxDB's type can't follow that.
  return rxSchema as unknown as RxJsonSchema<T>;
}

/** zod puts a schema with a meta `id` under `definitions` and points at it. */
function unwrapRef(schema: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  const definitions = schema.definitions as Record<string, JsonSchema> | undefined;
  if (typeof ref === 'string' && definitions) {
    const name = ref.replace('#/definitions/', '');
    const target = definitions[name];
    if (target && Object.keys(definitions).length === 1) return target;
    throw new Error(`Cannot inline ${ref}: synced documents must not share sub-schemas by $ref`);
  }
  return schema;
}

/**
 * Drops what would make the stored schema change without the documents changing: RxDB keys
 * a collection by a hash of its schema, and a new zod release rewording a description or
 * its uuid regex must not lock users out of their database. A `format` says the same as
 * zod's generated `pattern` beside it; explicit patterns (a sha256) stay.
 */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  const source = value as JsonSchema;
  for (const [key, child] of Object.entries(source)) {
    if (key === '$schema' || key === 'description' || key === 'id') continue;
    if (key === 'pattern' && typeof source.format === 'string') continue;
    // `properties` maps names to schemas: its keys are field names, not keywords.
    if (key === 'properties' && child && typeof child === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(child as JsonSchema).map(([name, sub]) => [name, clean(sub)]),
      );
      continue;
    }
    out[key] = clean(child);
  }
  return out;
}

function boundForIndex(field: string, property: JsonSchema): void {
  if (property.type === 'string') {
    if (typeof property.maxLength !== 'number') {
      const length = typeof property.format === 'string' && formatMaxLength[property.format];
      if (!length) {
        throw new Error(`Indexed string "${field}" needs a max length in its zod schema`);
      }
      property.maxLength = length;
    }
    return;
  }
  if (property.type === 'integer' || property.type === 'number') {
    if (typeof property.minimum !== 'number' || typeof property.maximum !== 'number') {
      throw new Error(`Indexed number "${field}" needs a min and max in its zod schema`);
    }
    property.multipleOf ??= property.type === 'integer' ? 1 : 0.001;
    return;
  }
  if (property.type === 'boolean') return;
  throw new Error(
    `Field "${field}" cannot be indexed: it is not a plain string, number or boolean`,
  );
}
