import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { apiMetricsRegistry } from '../../../api/metrics';
import { metricsRoutes } from '../../../api/metrics.routes';
import { findFreePort } from '../../../scripts/stack/processes';
import { startTestStack, type TestStack } from '../../support/stack';
import { instrumentRenderer, startWorkerMetricsServer } from '../../../worker/metrics';

/** The value of one sample line of the exposition text, 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('operators\' metrics (/metrics on the API and the worker)', () => {
  let stack: TestStack;
  let officer: string;
  let admin: string;
  let sdkMetricsAddress: string;
  let workerMetrics: Server | undefined;

  beforeAll(async () => {
    sdkMetricsAddress = `127.0.0.1:${await findFreePort()}`;
    // Before the stack's worker connects: the SDK's exporter is part of the process's Runtime.
    Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } });
    stack = await startTestStack({ name: 'metrics' });
    officer = await stack.login('officer');
    admin = await stack.login('admin');
  });
  afterAll(async () => {
    workerMetrics?.close();
    await stack.stop();
  });

  test('when an intake is registered and an action refused, then a scrape shows the counters, the route latency and the open case', async () => {
    const before = (await request(stack.app).get('/metrics').set('Authorization', admin)).text;
    const posted = await request(stack.app)
      .post('/api/intakes')
      .set('Authorization', officer)
      .send({
        channel: 'hotline',
        category: 'odour',
        description: '化工厂夜间异味明显，附近居民无法开窗',
        location: { address: '漳州市芗城区东铺头街道化工路1号', regionCode: '350602001', coordinates: { lng: 117.7, lat: 24.49 } },
        reporter: { anonymous: true },
        idempotencyKey: `metrics-${Date.now()}`,
      });
    expect(posted.status).toBe(201);
    // Nothing to verify on a case just received: refused by the workflow's validator.
    const refused = await request(stack.app)
      .post(`/api/cases/${posted.body.caseId}/actions`)
      .set('Authorization', officer)
      .send({ action: 'verify', passed: true, findings: '现场已整改' });
    expect(refused.status).toBe(409);

    const scrape = await request(stack.app).get('/metrics').set('Authorization', admin);
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toContain('text/plain');
    const after = scrape.text;
    expect(sample(after, 'envcase_intakes_total', { channel: 'hotline', outcome: 'created' }) - sample(before, 'envcase_intakes_total', { channel: 'hotline', outcome: 'created' })).toBe(1);
    expect(sample(after, 'envcase_refusals_total', { subject: 'case', action: 'verify', code: refused.body.code })).toBe(1);
    expect(sample(after, 'envcase_actions_total', { subject: 'case', action: 'verify', result: 'refused' })).toBe(1);
    // Labelled by route pattern: the raw URL with the case id must never become a label.
    expect(sample(after, 'envcase_http_request_duration_seconds_count', { method: 'POST', route: '/api/intakes', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(after).toContain('route="/api/cases/:caseId/actions"');
    expect(after).not.toContain(posted.body.caseId);
    expect(sample(after, 'envcase_open_cases', { status: 'received', level: '0' })).toBeGreaterThanOrEqual(1);
    expect(after).toContain('envcase_overdue_cases');
  });

  test('when someone who is not an operator scrapes, then the API answers 401 or 403', async () => {
    expect((await request(stack.app).get('/metrics')).status).toBe(401);
    const asOfficer = await request(stack.app).get('/metrics').set('Authorization', officer);
    expect(asOfficer.status).toBe(403);
    expect(asOfficer.text).not.toContain('envcase_intakes_total');
  });

  test('when a scraper presents METRICS_TOKEN, then it may read; a wrong token may not', async () => {
    const app = express().use(metricsRoutes({ registry: apiMetricsRegistry, token: 'scrape-token-0123456789' }));
    expect((await request(app).get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789')).status).toBe(200);
    expect((await request(app).get('/metrics').set('Authorization', 'Bearer scrape-token-0123456780')).status).not.toBe(200);
  });

  test('when the worker\'s /metrics is scraped, then it shows render time, pool use and the Temporal SDK\'s own metrics, for operators only', async () => {
    instrumentRenderer(stack.renderer);
    await stack.renderer.render('<!doctype html><html><body><p>指标测试</p></body></html>');
    workerMetrics = await startWorkerMetricsServer({ port: 0, token: 'worker-token-0123456789', sdkMetricsAddress, logger: pino({ level: 'silent' }) });
    const base = `http://127.0.0.1:${(workerMetrics.address() as AddressInfo).port}`;

    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: officer } })).status).toBe(403);
    const response = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer worker-token-0123456789' } });
    expect(response.status).toBe(200);
    const text = await response.text();
    // At least ours: the worker may be rendering a case document of its own meanwhile.
    expect(sample(text, 'envcase_pdf_render_duration_seconds_count', { result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'envcase_pdf_pool_pages')).toBe(1);
    expect(text).toMatch(/^envcase_pdf_pool_busy_pages [01]$/m);
    expect(text).toMatch(/^envcase_pdf_render_queue \d+$/m);
    expect(text).toMatch(/^temporal_\w+/m);
    const asAdmin = await fetch(`${base}/metrics`, { headers: { authorization: admin } });
    expect(asAdmin.status).toBe(200);
  });
});
