import { ZodError } from 'zod';
import type { ErrorRequestHandler } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isDomainError, type DomainErrorCode } from '../domain/errors';
import { databaseUnavailableProblem } from './database-unavailable';
import type { Logger } from 'pino';

/** An error that already knows its HTTP status; thrown by routes for expected refusals. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const statusOfDomainCode: Record<DomainErrorCode, number> = {
  InvalidInput: 400,
  InvalidTransition: 409,
  Conflict: 409,
  NotPermitted: 403,
  NotFound: 404,
  CalendarOutOfRange: 422,
};

export interface ProblemBody {
  error: string;
  code: string;
  details?: unknown;
}

/** Maps any error to a status and a body whose message says what is wrong. */
export function toProblem(error: unknown): { status: number; body: ProblemBody } {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.message, code: `http_${error.status}`, details: error.details } };
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const message = details.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; ');
    return { status: 400, body: { error: `请求参数有误 — ${message}`, code: 'InvalidInput', details } };
  }
  if (isDomainError(error)) return { status: statusOfDomainCode[error.code], body: { error: error.message, code: error.code, details: error.details } };
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const code = (error.cause.type ?? 'Conflict') as DomainErrorCode;
    return { status: statusOfDomainCode[code] ?? 409, body: { error: error.cause.message, code } };
  }
  if (error instanceof ApplicationFailure) {
    const code = (error.type ?? 'Conflict') as DomainErrorCode;
    return { status: statusOfDomainCode[code] ?? 409, body: { error: error.message, code } };
  }
  if (error instanceof WorkflowNotFoundError) return { status: 404, body: { error: '案件不存在或已归档', code: 'NotFound' } };
  const databaseDown = databaseUnavailableProblem(error);
  if (databaseDown) return databaseDown;
  if (typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.parse.failed') {
    return { status: 400, body: { error: '请求体不是有效的 JSON', code: 'InvalidInput' } };
  }
  return { status: 500, body: { error: '服务器内部错误', code: 'Internal' } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body } = toProblem(error);
    if (status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    res.status(status).json(body);
  };
}
