import type { Model } from 'mongoose';

export interface PageRequest {
  page: number;
  pageSize: number;
}

/**
 * One page of `model` rows matching `filter`, in `sort` order, and how many match in all.
 * Counted with the `count` command, not `countDocuments`: the latter is an aggregation, which
 * FerretDB answers by fetching every matching row, while our FerretDB build hands `count` with
 * an equality filter to PostgreSQL's count(*). Filters here must be top-level equalities (see
 * domain/list-keys.ts) for FerretDB to page in PostgreSQL rather than in Go; `sort` ends in a
 * unique field so pages never overlap.
 */
export async function findPage(
  // Mongoose's inferred schema types are not assignable to Model<unknown>; rows come back untyped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>,
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  { page, pageSize }: PageRequest,
  projection: Record<string, 0 | 1> = {},
  { count = true }: { count?: boolean } = {},
): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const db = model.db.db;
  if (!db) throw new Error(`${model.modelName}: the database connection is not open`);
  const [rows, counted] = await Promise.all([
    model
      .find(filter)
      .sort(sort)
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .select(projection)
      .lean<Record<string, unknown>[]>(),
    count ? countMatching(model, filter) : undefined,
  ]);
  return { rows, total: counted ?? rows.length };
}

/** How many `model` rows match `filter`, by the `count` command (see findPage). */
export async function countMatching(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>,
  filter: Record<string, unknown>,
): Promise<number> {
  const db = model.db.db;
  if (!db) throw new Error(`${model.modelName}: the database connection is not open`);
  const counted = await db.command({ count: model.collection.collectionName, query: filter });
  return Number(counted.n);
}
