import type { Model } from 'mongoose';
import { isDuplicateKey } from '../models/duplicate-key';

/** Inserts `docs`, skipping those whose `_id` is already stored: what makes a replayed write idempotent. */
export async function insertIgnoringDuplicates(
  // Mongoose's inferred schema types are not assignable to Model<unknown>.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>,
  docs: Record<string, unknown>[],
): Promise<void> {
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
    const allDuplicates = writeErrors?.every((writeError) => (writeError.code ?? writeError.err?.code) === 11000);
    if (!isDuplicateKey(error) && !allDuplicates) throw error;
  }
}
