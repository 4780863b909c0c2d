// Expected failures of the domain rules. Sandbox-safe: no Node built-ins, so workflow code can
// throw and catch these too. The workflow turns a DomainError into a non-retryable
// ApplicationFailure whose `type` is the code; api/error-handler.ts maps codes to HTTP statuses.

/**
 * Every code a DomainError may carry. Add new codes here (the union below follows), so the
 * HTTP mapping table can check itself against this list.
 */
export const domainErrorCodes = [
  'InvalidTransition',
  'CalendarOutOfRange',
  'InvalidInput',
  'NotPermitted',
  'NotFound',
  'Conflict',
] as const;

export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/**
 * Recognises a DomainError by shape as well as by class: an error that crossed the workflow
 * sandbox or a serialisation boundary is no longer an `instanceof` this class.
 */
export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  if (candidate.name !== 'DomainError') return false;
  if (!(domainErrorCodes as readonly unknown[]).includes(candidate.code)) return false;
  return code === undefined || candidate.code === code;
}
