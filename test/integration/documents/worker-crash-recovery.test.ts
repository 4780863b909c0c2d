import { codecDataConverter } from '../../../config/payload-codec';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { createActivities } from '../../../activities';
import { createCaseDocumentActivities } from '../../../activities/case-documents.activities';
import { PdfRenderer } from '../../../activities/documents/pdf-renderer';
import { buildApp } from '../../../api/app';
import { startTestStack, type TestStack } from '../../support/stack';
import { complaintBody, testConfig } from '../pages/page-app';

jest.setTimeout(240_000);

/** A real renderer that takes `delayMs` longer than it needs, as under a queue or a slow page. */
class SlowRenderer extends PdfRenderer {
  calls = 0;
  constructor(private readonly delayMs: number) {
    super({ poolSize: 1 });
  }
  override async render(html: string, options?: { timeoutMs?: number }): Promise<Buffer> {
    this.calls += 1;
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return super.render(html, options);
  }
}

/**
 * The case workflow with the production activity options, on its own task queue, served by a
 * worker whose document activities are given; the API sends triage (which issues the 交办单
 * and waits for it) to that queue.
 */
describe('a worker that dies while issuing a document costs seconds, not minutes', () => {
  let stack: TestStack;
  let officer: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'crash_recovery' });
    officer = await stack.login('officer');
  });
  afterAll(() => stack.stop());

  async function withWorker<T>(documents: ReturnType<typeof createCaseDocumentActivities>, run: (app: Express) => Promise<T>): Promise<T> {
    const taskQueue = `crash-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    const worker = await Worker.create({
      connection,
      taskQueue,
      dataConverter: codecDataConverter(stack.codec),
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
      activities: createActivities(documents),
      shutdownGraceTime: '1 second',
    });
    const app = buildApp({ config: { ...testConfig, TEMPORAL_TASK_QUEUE: taskQueue }, temporal: stack.client, logger: pino({ level: 'silent' }) });
    try {
      return await worker.runUntil(run(app));
    } finally {
      await connection.close();
    }
  }

  // Each test's complaint is of another category, so the second is not merged into the first.
  async function triageTimed(app: Express, key: string, category: string): Promise<{ status: number; ms: number; documents: { kind: string; status: string }[] }> {
    const posted = await request(app).post('/api/intakes').set('Authorization', officer).send(complaintBody(key, { category }));
    expect(posted.status).toBe(201);
    const caseId = posted.body.caseId as string;
    const started = Date.now();
    const triaged = await request(app).post(`/api/cases/${caseId}/actions`).set('Authorization', officer).send({ action: 'triage', decision: 'accept' });
    const ms = Date.now() - started;
    const listed = await request(app).get(`/api/cases/${caseId}/documents`).set('Authorization', officer);
    return { status: triaged.status, ms, documents: listed.body.items };
  }

  test('when the first attempt goes silent (no heartbeat, no result), then the retry issues the document within seconds', async () => {
    const renderer = new PdfRenderer({ poolSize: 1 });
    const real = createCaseDocumentActivities({ renderer });
    let silentAttempts = 0;
    const documents = {
      ...real,
      // The first attempt behaves as a worker that died mid-render: it never heartbeats and
      // never answers (it ends only when the worker shuts down).
      issueCaseDocument: async (input: Parameters<typeof real.issueCaseDocument>[0]) => {
        if (Context.current().info.attempt === 1) {
          silentAttempts += 1;
          await Context.current().cancelled;
        }
        return real.issueCaseDocument(input);
      },
    };
    try {
      const outcome = await withWorker(documents, (app) => triageTimed(app, `crash-recovery-${randomUUID()}`, 'water'));
      expect(outcome.status).toBe(200);
      expect(silentAttempts).toBeGreaterThanOrEqual(1);
      expect(outcome.documents.some((doc) => doc.status === 'issued')).toBe(true);
      // Per document: the 10 s heartbeat timeout, a retry after 1 s, the render. It was 2 minutes.
      expect(outcome.ms).toBeLessThan(silentAttempts * 20_000 + 10_000);
    } finally {
      await renderer.close();
    }
  });

  test('when rendering is slow but alive, then heartbeats keep its one attempt running past the heartbeat timeout', async () => {
    const renderer = new SlowRenderer(12_000);
    try {
      const outcome = await withWorker(createCaseDocumentActivities({ renderer }), (app) => triageTimed(app, `slow-render-${randomUUID()}`, 'noise'));
      expect(outcome.status).toBe(200);
      expect(outcome.documents.some((doc) => doc.status === 'issued')).toBe(true);
      expect(outcome.ms).toBeGreaterThan(12_000);
      // One render per document: no attempt was timed out and retried.
      expect(renderer.calls).toBe(outcome.documents.length);
    } finally {
      await renderer.close();
    }
  });
});
