import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { openCaseStatuses } from '../domain/case-lifecycle';
import { caseListKey } from '../domain/list-keys';
import { regions } from '../domain/regions';
import { countCases } from '../read-model/case-lists.repository';

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

/**
 * Computed on scrape from the read model by counts PostgreSQL answers from the list-key index
 * (fetching the open cases of the province would cost seconds at scale). Reset first, so a
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

const escalationLevels = [0, 1, 2, 3, 4];

/** One key per gauge label set, counted by PostgreSQL (a `count` on list keys), never by fetching rows. */
async function countOpenCases(which: 'all' | 'overdue'): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const province = regions.filter((region) => region.parentCode === null);
  const labelSets =
    which === 'all'
      ? openCaseStatuses.flatMap((status) => escalationLevels.map((level) => ({ key: `${status}|${level}`, filter: { status: { kind: 'status' as const, status }, level } })))
      : escalationLevels.map((level) => ({ key: `overdue|${level}`, filter: { status: { kind: 'open' as const }, level, overdue: true } }));
  await Promise.all(
    labelSets.map(async ({ key, filter }) => {
      let total = 0;
      for (const root of province) {
        total += await countCases({ listKey: caseListKey(root, filter.status), escalationLevel: filter.level, ...('overdue' in filter ? { overdue: true } : {}) });
      }
      if (total > 0) counts.set(key, total);
    }),
  );
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
