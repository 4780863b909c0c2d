import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import mongoose from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { createActivities } from '../../activities';
import { createAuditAnchorActivities, ensureAuditAnchorWorkflow } from '../../activities/audit-anchor';
import { createCaseDocumentActivities } from '../../activities/case-documents.activities';
import { PdfRenderer } from '../../activities/documents/pdf-renderer';
import { buildApp } from '../../api/app';
import { connectMongo } from '../../config/mongo';
import { auditAnchorWorkflowId } from '../../workflows/audit-anchor-messages';
import { AesGcmPayloadCodec, codecDataConverter, generateCodecKeys } from '../../config/payload-codec';
import { demoPassword, seedDemoUsers } from '../../scripts/demo-data';

let runtimeInstalled = false;

export interface TestStack {
  app: Express;
  client: Client;
  taskQueue: string;
  renderer: PdfRenderer;
  /** The AUDIT_ANCHOR_KEY the worker signs with and the API checks with. */
  anchorKey: string;
  /** Lines the anchor activities printed (the signed daily heads). */
  anchorLog: string[];
  /** The payload codec of this stack's client and worker, with a key generated for the run. */
  codec: AesGcmPayloadCodec;
  /** Logs a demo user in and returns the bearer header value. */
  login(username: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real system for one test file: its own database on the run's FerretDB (or MONGODB_URI),
 * a worker on its own task queue against the run's Temporal server, a real Chromium, and the
 * Express app, which tests drive over HTTP with supertest.
 */
export async function startTestStack(options: {
  name: string;
  auditAnchor?: { intervalMs: number; ticksPerRun?: number };
  /** Another MongoDB than the run's (a test that stops its database). */
  mongoUri?: string;
}): Promise<TestStack> {
  if (!runtimeInstalled) {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // A test file installed its own (e.g. with a metrics exporter): keep it.
    }
    runtimeInstalled = true;
  }
  const dbName = `${options.name}_${process.env.JEST_WORKER_ID ?? '0'}_${Date.now()}`.replace(/[^A-Za-z0-9_]/g, '_');
  await connectMongo({ MONGODB_URI: options.mongoUri ?? requireEnv('MONGODB_URI'), MONGODB_DB: dbName });
  await seedDemoUsers();

  const taskQueue = `test-${options.name}-${randomUUID()}`;
  const address = requireEnv('TEMPORAL_ADDRESS');
  const codec = AesGcmPayloadCodec.fromConfig(generateCodecKeys());
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter: codecDataConverter(codec) });
  const workerConnection = await NativeConnection.connect({ address });
  const renderer = new PdfRenderer({ poolSize: 1 });
  const anchorKey = `test-anchor-key-${randomUUID()}`;
  const anchorLog: string[] = [];
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    dataConverter: codecDataConverter(codec),
    workflowBundle: { codePath: requireEnv('WORKFLOW_BUNDLE_PATH') },
    activities: {
      ...createActivities(createCaseDocumentActivities({ renderer })),
      ...createAuditAnchorActivities({ key: anchorKey, log: (line) => anchorLog.push(line) }),
    },
  });
  const running = worker.run();
  // Only where a test asks: a timer workflow per file would only add load elsewhere.
  if (options.auditAnchor) await ensureAuditAnchorWorkflow(client, { taskQueue, ...options.auditAnchor });

  const app = buildApp({
    config: { SESSION_SECRET: 'test-secret-test-secret', SESSION_TTL_HOURS: 1, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: taskQueue, NODE_ENV: 'test', AUDIT_ANCHOR_KEY: anchorKey },
    temporal: client,
    logger: pino({ level: 'silent' }),
    codec: { codec, corsOrigins: ['http://127.0.0.1:8233'] },
  });

  return {
    app,
    client,
    taskQueue,
    renderer,
    anchorKey,
    anchorLog,
    codec,
    async login(username) {
      const response = await request(app).post('/api/auth/login').send({ username, password: demoPassword });
      if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return `Bearer ${response.body.token}`;
    },
    async stop() {
      if (options.auditAnchor) await client.workflow.getHandle(auditAnchorWorkflowId(taskQueue)).terminate('test over').catch(() => undefined);
      worker.shutdown();
      await running;
      await renderer.close();
      await workerConnection.close();
      await connection.close();
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
    },
  };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest so that test/support/global-setup.ts starts the servers`);
  return value;
}
