import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import pinoHttp from 'pino-http';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { resolveSession } from './auth';
import { authRoutes } from './auth.routes';
import { caseRoutes } from './cases.routes';
import { documentRoutes } from './documents.routes';
import { errorHandler, HttpError } from './http-errors';
import { healthRoutes } from './health.routes';
import { processLoginGuard, type LoginGuard } from './login-guard';
import { errorPage } from './pages/error-page';
import { openApiRoutes } from './openapi';
import { auditRoutes } from './audit.routes';
import { referralRoutes } from './referrals.routes';
import { refuseIllFormedText } from './well-formed-text';
import { codecRoutes, type CodecRouteOptions } from './codec.routes';
import { apiMetricsRegistry, httpMetrics } from './metrics';
import { metricsRoutes } from './metrics.routes';

export interface AppDeps {
  config: Pick<Config, 'SESSION_SECRET' | 'SESSION_TTL_HOURS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'NODE_ENV'> & Partial<Pick<Config, 'AUDIT_ANCHOR_KEY' | 'TRUST_PROXY'>>;
  temporal: Client;
  logger: Logger;
  /** Extra routers mounted after the API (the server-rendered pages). */
  pages?: express.Router;
  /** The payload codec served to the Temporal UI at /codec (operators only). */
  codec?: CodecRouteOptions;
  /** Scrape token for /metrics besides an admin's session (METRICS_TOKEN). */
  metricsToken?: string;
  /** The login limits, shared with the login page; default: the one guard of this process. */
  loginGuard?: LoginGuard;
}

/**
 * The JSON API accepts the session cookie too (the pages' links download PDFs with it). A
 * cross-site HTML form could ride that cookie, but it can send neither an Authorization header
 * nor a JSON body without a CORS preflight, so a write must carry one of them; the pages' own
 * forms post to page routes with their CSRF token instead.
 */
const refuseCrossSiteWrites: express.RequestHandler = (req, _res, next) => {
  const safe = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
  if (safe || req.headers.authorization?.startsWith('Bearer ') || req.is('application/json')) return next();
  next(new HttpError(415, 'API 写操作须使用 JSON 请求体（Content-Type: application/json）或 Bearer 令牌'));
};

/** The Express application without `listen`, so tests can drive it over HTTP with supertest. */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  // Off unless configured: with it on for loopback, any local client could rotate
  // X-Forwarded-For and be a new address to the login limits on every attempt.
  app.set('trust proxy', deps.config.TRUST_PROXY ?? false);
  app.disable('x-powered-by');
  app.use(httpMetrics);
  app.use(helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'], 'script-src': ["'self'"] } } }));
  app.use(pinoHttp({ logger: deps.logger, autoLogging: deps.config.NODE_ENV !== 'test' }));
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1000 }));
  app.use(refuseIllFormedText);
  app.use(cookieParser(deps.config.SESSION_SECRET));
  app.use(resolveSession);
  app.use('/api', refuseCrossSiteWrites);
  app.use(metricsRoutes({ registry: apiMetricsRegistry, token: deps.metricsToken }));
  if (deps.codec) app.use(codecRoutes(deps.codec));

  const commandDeps = { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
  app.use(healthRoutes({ temporal: deps.temporal, namespace: deps.config.TEMPORAL_NAMESPACE, taskQueue: deps.config.TEMPORAL_TASK_QUEUE }));
  app.use('/api', openApiRoutes());
  app.use('/api', authRoutes({ sessionTtlHours: deps.config.SESSION_TTL_HOURS, loginGuard: deps.loginGuard ?? processLoginGuard() }));
  app.use('/api', auditRoutes({ temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE, anchorKey: deps.config.AUDIT_ANCHOR_KEY }));
  app.use('/api', caseRoutes(commandDeps));
  app.use('/api', referralRoutes(commandDeps));
  app.use('/api', documentRoutes());
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: '没有这个接口', code: 'NotFound' });
  });
  if (deps.pages) app.use(deps.pages);
  app.use(errorHandler(deps.logger, deps.pages ? { renderPage: errorPage() } : {}));
  return app;
}
