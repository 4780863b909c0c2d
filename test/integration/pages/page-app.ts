import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp } from '../../../api/app';
import { pageRoutes } from '../../../api/pages/page-routes';
import type { TestStack } from '../../support/stack';

export const testConfig = { SESSION_SECRET: 'test-secret-test-secret', SESSION_TTL_HOURS: 1, TEMPORAL_NAMESPACE: 'default', NODE_ENV: 'test' as const };

/**
 * The stack's app with the pages mounted, as api/server.ts wires it (the shared stack builds
 * the API only). Same Temporal client, task queue and database as the stack.
 */
export function appWithPages(stack: TestStack): Express {
  const config = { ...testConfig, TEMPORAL_TASK_QUEUE: stack.taskQueue };
  return buildApp({ config, temporal: stack.client, logger: pino({ level: 'silent' }), pages: pageRoutes({ temporal: stack.client, config }) });
}

export async function listen(app: Express): Promise<{ server: Server; baseUrl: string }> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** YYYY-MM-DD in Beijing, `days` from now. */
export function beijingDate(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

export const complainant = { name: '李举报人', phone: '13912345678' };

export function complaintBody(key: string, overrides: Record<string, unknown> = {}) {
  return {
    channel: 'complaint',
    category: 'water',
    description: `化工厂夜间向九龙江排放黄色污水（${key}）`,
    location: { address: '漳州市芗城区东铺头街道九龙江边', regionCode: '350602001' },
    subject: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43' },
    reporter: { anonymous: false, ...complainant },
    idempotencyKey: key,
    ...overrides,
  };
}

/**
 * Drives a complaint through the JSON API to `rectifying` (officer triage, acknowledge,
 * investigation finding a violation), for tests that start later in the lifecycle.
 */
export async function complaintInRectification(app: Express, officer: string, key: string, dueInDays = 10): Promise<string> {
  const posted = await request(app).post('/api/intakes').set('Authorization', officer).send(complaintBody(key));
  if (posted.status >= 300) throw new Error(`intake failed: ${posted.status} ${JSON.stringify(posted.body)}`);
  const caseId = posted.body.caseId as string;
  const act = async (body: Record<string, unknown>) => {
    const response = await request(app).post(`/api/cases/${caseId}/actions`).set('Authorization', officer).send(body);
    if (response.status !== 200) throw new Error(`${String(body.action)} failed: ${response.status} ${JSON.stringify(response.body)}`);
  };
  await act({ action: 'triage', decision: 'accept' });
  await act({ action: 'acknowledge' });
  await act({ action: 'recordInvestigation', outcome: 'violation', findings: '现场检查发现排口排放污水', requirement: '立即停止排放并清理排口', rectificationDueDate: beijingDate(dueInDays), violatedProvisions: '《水污染防治法》第十条', legalBasis: '《水污染防治法》第八十三条' });
  return caseId;
}
