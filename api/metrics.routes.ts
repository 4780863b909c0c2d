import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { HttpError } from './http-errors';

export interface MetricsRouteOptions {
  registry: Registry;
  /** A scrape token for Prometheus besides an admin's session (METRICS_TOKEN). */
  token?: string;
  /** Text appended to the registry's, already in the exposition format (the worker relays the SDK's). */
  extra?: () => Promise<string>;
}

/**
 * Operators only: counts of intakes and refusals by region are not for every logged-in user,
 * and a scraper needs no user account, so a configured token is enough for it.
 */
export function operatorsOnly(token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(token) : undefined;
  return (req, _res, next) => {
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? Buffer.from(header.slice('Bearer '.length).trim()) : undefined;
    if (expected && given && given.length === expected.length && timingSafeEqual(given, expected)) return next();
    if (req.user?.role === 'admin') return next();
    if (req.user) return next(new HttpError(403, '只有运维人员（管理员）可以读取运行指标'));
    next(new HttpError(401, '请先登录，或使用指标抓取令牌'));
  };
}

/** GET /metrics in the Prometheus text format. */
export function metricsRoutes(options: MetricsRouteOptions): Router {
  const router = Router();
  router.get('/metrics', operatorsOnly(options.token), async (_req, res) => {
    const own = await options.registry.metrics();
    const extra = options.extra ? await options.extra() : '';
    res.set('Cache-Control', 'no-store');
    res.type(options.registry.contentType).send(extra ? `${own}\n${extra}` : own);
  });
  return router;
}
