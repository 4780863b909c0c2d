/**
 * Errors that mean "the database is not there right now", as opposed to a fault in the request
 * or in our code: the API answers them 503 (retry later) instead of 500, and /health names the
 * part that is down. Matched by name and code, not `instanceof`: Mongoose and the driver each
 * have their own classes, and the embedded FerretDB reports a lost PostgreSQL as a server error.
 */
const unreachableNames = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
]);

const storageLost = /failed to connect to|dial error|broken pipe|connection reset|conn closed|unexpected EOF|SQLSTATE 57P0[1-3]|SQLSTATE 08/;

export type DatabaseOutage = 'unreachable' | 'storage';

/** What kind of outage `error` reports, if it is one. */
export function databaseOutageOf(error: unknown): DatabaseOutage | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof name === 'string' && unreachableNames.has(name)) return 'unreachable';
  // Mongoose queues operations while disconnected and fails them after bufferTimeoutMS.
  if (name === 'MongooseError' && /buffering timed out/.test(text)) return 'unreachable';
  // FerretDB answers, but its PostgreSQL backend does not: code 1 (InternalError) with pgx's
  // text, e.g. "failed to connect to `user=postgres …`: dial error" or "write failed: broken pipe".
  if (name === 'MongoServerError' && code === 1 && storageLost.test(text)) return 'storage';
  return undefined;
}

export const databaseUnavailableMessage = '数据库暂时不可用，请稍后重试';

/** The 503 answer for an outage, or undefined for any other error. */
export function databaseUnavailableProblem(error: unknown): { status: 503; body: { error: string; code: 'DatabaseUnavailable' } } | undefined {
  return databaseOutageOf(error) ? { status: 503, body: { error: databaseUnavailableMessage, code: 'DatabaseUnavailable' } } : undefined;
}

/** For /health: which part is down, in words an operator can act on. */
export function describeDatabaseFailure(error: unknown): string {
  const detail = (error as { message?: string } | null)?.message ?? String(error);
  switch (databaseOutageOf(error)) {
    case 'unreachable':
      return `MongoDB/FerretDB unreachable: ${detail}`;
    case 'storage':
      return `FerretDB answers but its PostgreSQL backend does not: ${detail}`;
    default:
      return detail;
  }
}
