import { ZodError } from 'zod';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isDomainError, type DomainErrorCode } from '../domain/errors';
import { databaseUnavailableProblem } from './database-unavailable';
import type { Logger } from 'pino';
import { issueDetails } from './validation-messages';

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
    const details = issueDetails(error);
    const message = details.map((issue) => `${issue.label}：${issue.message}`).join('；');
    return { status: 400, body: { error: `请求参数有误：${message}`, code: 'InvalidInput', details } };
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
  const transport = transportProblem(error);
  if (transport) return transport;
  return { status: 500, body: { error: '服务器内部错误', code: 'Internal' } };
}

/**
 * Errors raised before a route runs, by the body parsers (which tag theirs with `type` and
 * `status`), the router's path decoding (a URIError with status 400) and multer. Each is the
 * client's fault and gets its own 4xx; a parser error we do not know by type still carries a
 * 4xx status of its own, which is kept rather than turned into a 500.
 */
function transportProblem(error: unknown): { status: number; body: ProblemBody } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, code, name } = error as { type?: unknown; status?: unknown; code?: unknown; name?: unknown };
  if (name === 'MulterError' && typeof code === 'string') {
    const known = multerProblems[code];
    return { status: known?.status ?? 400, body: { error: known?.message ?? '上传的表单无法解析', code: known?.status === 413 ? 'PayloadTooLarge' : 'InvalidInput' } };
  }
  if (typeof type === 'string' && type in bodyParserProblems) {
    const known = bodyParserProblems[type]!;
    return { status: known.status, body: { error: known.message, code: known.code } };
  }
  if (error instanceof URIError && status === 400) {
    return { status: 400, body: { error: '请求路径含有无效的百分号编码', code: 'InvalidInput' } };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error: genericClientMessages[status] ?? '请求无法处理', code: `http_${status}` } };
  }
  return undefined;
}

const bodyParserProblems: Record<string, { status: number; message: string; code: string }> = {
  'entity.too.large': { status: 413, message: '请求体过大（上限 1 MB）', code: 'PayloadTooLarge' },
  'parameters.too.many': { status: 413, message: '表单字段过多（上限 1000 个）', code: 'PayloadTooLarge' },
  'charset.unsupported': { status: 415, message: '不支持的字符集，请使用 UTF-8', code: 'UnsupportedMediaType' },
  'encoding.unsupported': { status: 415, message: '不支持的内容编码（Content-Encoding），请发送未压缩或 gzip、deflate、br 压缩的请求体', code: 'UnsupportedMediaType' },
  'entity.parse.failed': { status: 400, message: '请求体不是有效的 JSON', code: 'InvalidInput' },
  'entity.verify.failed': { status: 400, message: '请求体校验失败', code: 'InvalidInput' },
  'querystring.parse.rangeError': { status: 400, message: '表单字段嵌套过深', code: 'InvalidInput' },
  'request.aborted': { status: 400, message: '请求在发送完之前被中断', code: 'InvalidInput' },
  'request.size.invalid': { status: 400, message: '请求体长度与 Content-Length 不符', code: 'InvalidInput' },
};

const multerProblems: Record<string, { status: number; message: string }> = {
  LIMIT_FILE_SIZE: { status: 413, message: '每张照片不能超过 5 MB' },
  LIMIT_FILE_COUNT: { status: 413, message: '最多上传 6 张照片' },
  LIMIT_PART_COUNT: { status: 413, message: '表单部分过多' },
  LIMIT_FIELD_COUNT: { status: 413, message: '表单字段过多' },
  LIMIT_FIELD_KEY: { status: 413, message: '表单字段名过长' },
  LIMIT_FIELD_VALUE: { status: 413, message: '表单字段内容过长' },
  LIMIT_UNEXPECTED_FILE: { status: 400, message: '上传了表单未要求的文件，或照片超过 6 张' },
};

/** Decompression failures (Content-Encoding: gzip over bytes that are not gzip) and the like. */
const genericClientMessages: Record<number, string> = {
  400: '请求体无法解码或解析',
  413: '请求体过大',
  415: '不支持的请求格式',
};

/**
 * The one error handler. Client errors are logged at warn (they are expected and say nothing
 * about our health); only 5xx reach error level. Requests for pages get the same status with a
 * Chinese error page instead of JSON.
 */
export function errorHandler(logger: Logger, options: { renderPage?: (req: Request, res: Response, status: number, message: string) => void } = {}): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body } = toProblem(error);
    if (status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    else logger.warn({ status, code: body.code, method: req.method, path: safePath(req) }, 'request refused');
    if (res.headersSent) return res.end();
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
    if (options.renderPage && isPageRequest(req)) return options.renderPage(req, res, status, body.error);
    res.status(status).json(body);
  };
}

function isPageRequest(req: Request): boolean {
  return !req.originalUrl.startsWith('/api/') && req.originalUrl !== '/api' && Boolean(req.accepts('html'));
}

/** The raw path, which may not decode (that can be the very error being logged). */
function safePath(req: Request): string {
  return req.originalUrl.split('?')[0]!.slice(0, 200);
}
