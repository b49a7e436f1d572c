import { sql, type CreateTableBuilder, type Expression, type SqlBool } from 'kysely';
import type { DialectName } from '../database.ts';

/** Column types that differ between SQLite and PostgreSQL, named for what they hold. */
export function columnTypes(dialect: DialectName) {
  const postgres = dialect === 'postgres';
  return {
    id: postgres ? ('uuid' as const) : ('text' as const),
    instant: postgres ? ('timestamptz' as const) : ('text' as const),
    money: 'bigint' as const,
    inList(column: string, values: readonly string[]): Expression<SqlBool> {
      return sql<SqlBool>`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
    },
    withSerialId<T extends string>(table: CreateTableBuilder<T>) {
      return postgres
        ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    },
  };
}
