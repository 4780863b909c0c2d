import { generateCodecKeys } from '../../../config/payload-codec';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp } from '../../../api/app';
import { WorkerHeartbeatModel } from '../../../models/worker-heartbeat.model';
import { startTestStack, type TestStack } from '../../support/stack';
import { testConfig } from '../pages/page-app';

jest.setTimeout(180_000);

const root = path.resolve(__dirname, '..', '..', '..');

/** worker/main.ts as its own process, as `up` and the images run it, on its own task queue. */
function spawnWorker(taskQueue: string): ChildProcess {
  return spawn(process.execPath, ['--require', path.join(root, 'bench/documents/register-swc.js'), path.join(root, 'worker/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      MONGODB_DB: mongoose.connection.name,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SESSION_SECRET: testConfig.SESSION_SECRET,
      PAYLOAD_CODEC_KEYS: generateCodecKeys(),
      // Fixed metrics ports would collide with other workers of the run.
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, afterMs: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('/health and a worker that dies', () => {
  let stack: TestStack;
  let app: Express;
  let worker: ChildProcess | undefined;
  const taskQueue = `health-${randomUUID()}`;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'health' });
    app = buildApp({ config: { ...testConfig, TEMPORAL_TASK_QUEUE: taskQueue }, temporal: stack.client, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await stack.stop();
  });

  test('when no worker ever ran, then /health is 503 and names the worker', async () => {
    const response = await request(app).get('/health');
    expect(response.status).toBe(503);
    expect(response.body.checks.worker.ok).toBe(false);
    expect(response.body.checks.mongo.ok).toBe(true);
  });

  test('when the worker process is killed, then /health says so within seconds, not minutes', async () => {
    worker = spawnWorker(taskQueue);
    const up = await until('worker healthy', async () => ((await request(app).get('/health')).status === 200 ? true : undefined), 90_000);
    expect(up.value).toBe(true);
    const beat = await WorkerHeartbeatModel.findOne({ taskQueue }).lean();
    expect(beat?._id).toBe(`${worker.pid}@${os.hostname()}`);

    worker.kill('SIGKILL');
    const down = await until('worker reported down', async () => {
      const response = await request(app).get('/health');
      return response.status === 503 ? (response.body as { checks: { worker: { ok: boolean; detail: string } } }) : undefined;
    }, 40_000);
    expect(down.value.checks.worker.ok).toBe(false);
    expect(down.value.checks.worker.detail).toContain('heartbeat');
    // Heartbeats every 5 s, judged stale after 15 s: down within 20 s of the kill.
    expect(down.afterMs).toBeLessThan(20_000);
  });
});
