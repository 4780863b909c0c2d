import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CaseModel } from '../models/case.model';

/**
 * The API process's Prometheus metrics. One registry per process (a module singleton): the
 * counters are bumped where intakes and actions happen, whichever route (API or pages) led there.
 */
export const apiMetricsRegistry = new Registry();
collectDefaultMetrics({ register: apiMetricsRegistry });

const httpDuration = new Histogram({
  name: 'envcase_http_request_duration_seconds',
  help: 'HTTP request latency by route pattern (not the raw URL, which would carry ids)',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [apiMetricsRegistry],
});

const intakes = new Counter({
  name: 'envcase_intakes_total',
  help: 'Intakes by channel and outcome (created, existing = a resent key, merged into an open case)',
  labelNames: ['channel', 'outcome'] as const,
  registers: [apiMetricsRegistry],
});

const actions = new Counter({
  name: 'envcase_actions_total',
  help: 'Human actions on cases and referrals by kind and result (done, refused)',
  labelNames: ['subject', 'action', 'result'] as const,
  registers: [apiMetricsRegistry],
});

const refusals = new Counter({
  name: 'envcase_refusals_total',
  help: 'Refused actions by kind and refusal code (role, region, state, input)',
  labelNames: ['subject', 'action', 'code'] as const,
  registers: [apiMetricsRegistry],
});

export function countIntake(channel: string, outcome: 'created' | 'existing' | 'merged'): void {
  intakes.inc({ channel, outcome });
}

export function countAction(subject: 'case' | 'referral', action: string): void {
  actions.inc({ subject, action, result: 'done' });
}

export function countRefusal(subject: 'case' | 'referral', action: string, code: string): void {
  actions.inc({ subject, action, result: 'refused' });
  refusals.inc({ subject, action, code });
}

const openStatuses = ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing'];

/**
 * Computed on scrape from the read model: one query over the open cases, three small fields
 * each, counted here (FerretDB's $group cannot group on several fields). Reset first, so a
 * status that emptied shows 0 rather than its last count. A database that is down leaves them
 * empty; the other metrics still answer.
 */
new Gauge({
  name: 'envcase_open_cases',
  help: 'Open cases by status and escalation level (0 none, 1 overdue, 2 county, 3 city, 4 province)',
  labelNames: ['status', 'level'] as const,
  registers: [apiMetricsRegistry],
  async collect() {
    this.reset();
    for (const [key, count] of await countOpenCases('all').catch(() => new Map<string, number>())) {
      const [status = '', level = '0'] = key.split('|');
      this.set({ status, level }, count);
    }
  },
});

new Gauge({
  name: 'envcase_overdue_cases',
  help: 'Open cases past a due instant, by escalation level',
  labelNames: ['level'] as const,
  registers: [apiMetricsRegistry],
  async collect() {
    this.reset();
    for (const [key, count] of await countOpenCases('overdue').catch(() => new Map<string, number>())) this.set({ level: key.split('|')[1] ?? '0' }, count);
  },
});

/**
 * Both gauges collect at once in one scrape (prom-client collects all metrics concurrently), so
 * they share the query while it is in flight; the next scrape queries afresh.
 */
let inFlight: Promise<{ status: string; escalationLevel?: number | null; overdue?: boolean | null }[]> | undefined;

async function countOpenCases(which: 'all' | 'overdue'): Promise<Map<string, number>> {
  inFlight ??= CaseModel.find({ status: { $in: openStatuses } })
    .select({ _id: 0, status: 1, escalationLevel: 1, overdue: 1 })
    .lean()
    .exec()
    .finally(() => {
      inFlight = undefined;
    });
  const rows = await inFlight;
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (which === 'overdue' && !row.overdue) continue;
    const key = `${row.status}|${row.escalationLevel ?? 0}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Times every request and labels it with the route pattern that served it (`/api/cases/:caseId`).
 * Express sets `req.route` when a route matches, while `req.baseUrl` still names the mount
 * point; by the time the response finishes, an error may have unwound the routers, so the
 * pattern is taken at that moment. Requests no route matched share one label.
 */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  let route: unknown;
  let pattern: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (typeof value?.path === 'string') pattern = `${req.baseUrl}${value.path}`;
    },
  });
  res.once('finish', () => end({ method: req.method, route: pattern ?? 'unmatched', status: String(res.statusCode) }));
  next();
};
