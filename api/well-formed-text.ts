import type { RequestHandler } from 'express';
import { HttpError } from './http-errors';

/**
 * A lone UTF-16 surrogate (no character, stored as U+FFFD, so not what the client sent) or NUL
 * (which PostgreSQL's jsonb under FerretDB refuses to store, so the write would fail later).
 */
const loneSurrogate = /\p{Cs}/u;
const isIllFormed = (text: string) => loneSurrogate.test(text) || text.includes('\u0000');

function hasLoneSurrogate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return isIllFormed(value);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => hasLoneSurrogate(item, depth + 1));
  return Object.entries(value).some(([key, item]) => isIllFormed(key) || hasLoneSurrogate(item, depth + 1));
}

/**
 * Refuses ill-formed text (a JSON `"\ud800"` parses into a lone surrogate) in the parsed body
 * and the query before any route sees it: stored, it would silently become U+FFFD, and the
 * record (the audit entry above all) would no longer say what was sent.
 */
export const refuseIllFormedText: RequestHandler = (req, _res, next) => {
  if (hasLoneSurrogate(req.body) || hasLoneSurrogate(req.query)) {
    return next(new HttpError(400, '请求含有无效字符（不成对的 UTF-16 代理项或空字符），请检查输入后重试'));
  }
  next();
};
