/**
 * True for MongoDB's duplicate-key error (also as FerretDB reports it): the signal every
 * insert-and-retry and revision-guarded upsert in the read model relies on.
 */
export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 11000 || code === 11001 || (typeof message === 'string' && message.includes('E11000'));
}
