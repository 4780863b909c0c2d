import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import mongoose from 'mongoose';
import pino from 'pino';
import { createActivities } from '../../activities';
import { createCaseDocumentActivities } from '../../activities/case-documents.activities';
import { PdfRenderer } from '../../activities/documents/pdf-renderer';
import { buildApp } from '../../api/app';
import { connectMongo } from '../../config/mongo';
import { AesGcmPayloadCodec, codecDataConverter, generateCodecKeys } from '../../config/payload-codec';
import { seedDemoUsers } from '../../scripts/demo-data';
import { loginOverHttp } from '../../scripts/stack/http-login';
import { startEmbeddedMongo, startTemporalDevServer, type StartedPostgres } from '../../scripts/stack/embedded-servers';
import type { ManagedProcess } from '../../scripts/stack/processes';

let stopping: Promise<void> | undefined;

/** Resolves when an interrupted bench has stopped its servers (at once if it was not interrupted). */
export function serversStopped(): Promise<void> {
  return stopping ?? Promise.resolve();
}

export interface BenchStack {
  baseUrl: string;
  client: Client;
  taskQueue: string;
  /** The PostgreSQL cluster under FerretDB, for indexes and EXPLAIN. */
  postgres: StartedPostgres;
  /** The Temporal dev server's SQLite file, when asked for with `temporalDbFile`. */
  temporalDbFile?: string;
  worker?: Worker;
  login(username: string): Promise<string>;
  stop(): Promise<void>;
  /** Last resort on a failed run: the servers run in their own process group and outlive us otherwise. */
  kill(): void;
}

/**
 * The embedded system on this machine, as `npm run up` runs it but in a scratch directory:
 * FerretDB on a PostgreSQL cluster (with the GIN indexes `up` makes), the Temporal dev server, one worker (workflows bundled from
 * dist/workflows) and the API listening on an ephemeral port. `withWorker: false` skips the
 * worker and Temporal for benches that only read.
 */
export async function startBenchStack(options: { withWorker?: boolean; temporalDbFile?: boolean } = {}): Promise<BenchStack> {
  const withWorker = options.withWorker ?? true;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-bench-'));
  // The cluster inside runs as the postgres user, which must be able to reach it.
  fs.chmodSync(scratch, 0o755);
  const servers: ManagedProcess[] = [];
  const stopServers = () =>
    (stopping ??= (async () => {
      for (const started of [...servers].reverse()) await started.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    })());
  // An interrupted bench stops what it started instead of leaving FerretDB, PostgreSQL and
  // Temporal running in their own process groups.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench servers…`);
      void stopServers().finally(() => process.exit(130));
    });
  }
  const mongo = await startEmbeddedMongo({ dataDir: path.join(scratch, 'postgres'), logDir: scratch });
  servers.push(...mongo.processes);
  await connectMongo({ MONGODB_URI: mongo.address, MONGODB_DB: 'bench' });
  await seedDemoUsers();

  const taskQueue = 'bench-cases';
  let client: Client | undefined;
  let connection: Connection | undefined;
  let stopWorker = async () => undefined;
  let temporalDbFile: string | undefined;
  let benchWorker: Worker | undefined;
  if (withWorker) {
    temporalDbFile = options.temporalDbFile ? path.join(scratch, 'temporal', 'temporal.db') : undefined;
    const temporal = await startTemporalDevServer({ logFile: path.join(scratch, 'temporal.log'), dbFile: temporalDbFile });
    servers.push(temporal.process);
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    // Encrypted like production, so the figures include the codec's cost.
    const dataConverter = codecDataConverter(AesGcmPayloadCodec.fromConfig(generateCodecKeys()));
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, dataConverter });
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    const renderer = new PdfRenderer({ poolSize: 1 });
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      dataConverter,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities(createCaseDocumentActivities({ renderer })),
    });
    benchWorker = worker;
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await renderer.close();
      await workerConnection.close();
      return undefined;
    };
  }

  const app = buildApp({
    config: { SESSION_SECRET: 'bench-secret-bench-secret', SESSION_TTL_HOURS: 4, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: taskQueue, NODE_ENV: 'test' },
    temporal: client ?? (undefined as unknown as Client),
    logger: pino({ level: 'silent' }),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    client: client ?? (undefined as unknown as Client),
    taskQueue,
    postgres: mongo.postgres,
    temporalDbFile,
    worker: benchWorker,
    login: (username) => loginOverHttp(baseUrl, username),
    kill() {
      for (const started of servers) if (started.child.exitCode === null) started.child.kill('SIGKILL');
    },
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await stopWorker();
      await connection?.close();
      await mongoose.disconnect();
      await stopServers();
    },
  };
}

/** Runs `task(i)` for i in 0..n-1 with at most `concurrency` in flight; returns each call's latency (ms). */
export async function runPool(n: number, concurrency: number, task: (index: number) => Promise<void>): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = new Array(n);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let index = next++; index < n; index = next++) {
        const t0 = performance.now();
        await task(index);
        latencies[index] = performance.now() - t0;
      }
    }),
  );
  return { latencies, elapsedMs: performance.now() - started };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function describeLatencies(latencies: number[]): string {
  return `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`;
}

export function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  return value ? Number(value) : fallback;
}
