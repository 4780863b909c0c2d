import type { Model } from 'mongoose';

/**
 * Inserts a record that takes the next serial number of its scope, gaplessly and never twice,
 * without transactions or an atomic $inc (FerretDB has neither). The model must carry a unique
 * index on (scope fields, serial field) and a unique idempotency key: two writers that read the
 * same maximum both try n+1, one insert wins and the other sees a duplicate-key error and retries.
 * A retried call with the same idempotency key returns the record it made the first time.
 *
 * On FerretDB 1.x/SQLite both lookups here read the whole collection; the audit chain and the case
 * numbers use appendToSequence (models/sequence-append.ts), which reads a head document by `_id`.
 */
export async function insertWithNextSerial<T extends { serial: number }>(options: {
  // Any model: Mongoose's inferred document types do not unify across schemas.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>;
  scope: Record<string, unknown>;
  idempotency: Record<string, unknown>;
  /** Builds the record from its serial and the record that holds the previous one (if any). */
  build: (serial: number, previous: T | null) => Partial<T>;
  maxAttempts?: number;
}): Promise<T> {
  const { model, scope, idempotency, build } = options;
  const maxAttempts = options.maxAttempts ?? 200;
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const existing = await model.findOne(idempotency).lean<T>();
    if (existing) return existing;
    const last = await model.findOne(scope).sort({ serial: -1 }).lean<T>();
    const serial = (last?.serial ?? 0) + 1;
    try {
      const created = await model.create(build(serial, last));
      return created.toObject() as T;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Lost the race for this serial (or for the key): back off a little and look again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * (attempt + 1))));
    }
  }
  throw new Error(`could not allocate a serial in ${model.collection.name} after ${maxAttempts} attempts`);
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
