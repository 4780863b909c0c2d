import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import mongoose from 'mongoose';
import { connectMongo } from '../../config/mongo';
import { seedDemoUsers } from '../demo-data';
import { generateCodecKeys } from '../../config/payload-codec';
import { startFerretDb, startPostgres, startTemporalDevServer } from '../stack/embedded-servers';
import { findFreePort, startProcess, waitFor, type ManagedProcess } from '../stack/processes';
import { toolPaths } from '../stack/tool-paths';

/** How often the drill's worker anchors the audit chain's head; the tampering waits longer than this. */
export const drillAnchorIntervalSeconds = 2;

export interface DrillStackOptions {
  /**
   * Servers already running (the test suite's); the drill then adds its own database name, task
   * queue, worker and API on them and cannot kill the database. Omitted: the drill starts its own
   * Temporal dev server and database on free loopback ports.
   */
  external?: { temporalAddress: string; mongoUri: string; workflowBundlePath?: string };
  log?: (line: string) => void;
}

export interface DrillStack {
  baseUrl: string;
  mongoUri: string;
  dbName: string;
  /** Whether `killDatabase` can be used (only on a database the drill started itself). */
  ownsDatabase: boolean;
  killWorker(): void;
  /** Starts a worker process and returns at once, as a supervisor restarting it would. */
  startWorker(): void;
  /** Kills the database process outright, as a crash would; the one place that knows which process that is. */
  killDatabase(): void;
  startDatabase(): Promise<void>;
  stop(): Promise<void>;
  /** Synchronous last resort for process exit: SIGKILL to every process group we started. */
  killAll(): void;
}

/**
 * The system as `up` runs it, on free loopback ports in a scratch directory: the Temporal dev
 * server and the database (PostgreSQL with FerretDB on it) as managed servers, and the worker and the API as
 * child processes of their own, so that a drill can kill one and start it again as a supervisor
 * would. The drill process itself keeps a Mongoose connection to the same database (the default
 * connection) to seed users and to count what was written. Run from TypeScript sources (Jest, or node with the swc hook) the children run from
 * sources too; run from dist/ they run dist/worker/main.js and dist/api/server.js.
 */
export async function startDrillStack(options: DrillStackOptions = {}): Promise<DrillStack> {
  const log = options.log ?? (() => undefined);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-drills-'));
  // The PostgreSQL cluster inside runs as the `postgres` user, which must be able to reach it.
  fs.chmodSync(scratch, 0o755);
  const servers: ManagedProcess[] = [];
  let worker: ManagedProcess | undefined;
  let api: ManagedProcess | undefined;
  // "The database" is PostgreSQL: FerretDB in front of it stays up and reconnects, as under `up`.
  let database: ManagedProcess | undefined;
  let ferretdb: ManagedProcess | undefined;
  const databaseDir = path.join(scratch, 'postgres');
  // Set by stop(): a fault still in progress must not start a process after the servers are gone.
  let stopped = false;
  const killGroup = (process: ManagedProcess | undefined) => {
    const pid = process?.child.pid;
    if (!pid || process.child.exitCode !== null || process.child.signalCode !== null) return;
    // The children run in their own process groups; the group takes the worker's Chromium with it.
    try {
      globalThis.process.kill(-pid, 'SIGKILL');
    } catch {
      process.child.kill('SIGKILL');
    }
  };

  const stack: DrillStack = {
    baseUrl: '',
    mongoUri: '',
    dbName: `drills_${Date.now().toString(36)}`,
    ownsDatabase: !options.external,
    killWorker: () => killGroup(worker),
    startWorker() {
      if (stopped) throw new Error('the drill stack is stopping');
      worker = startChild('worker', workerEntry(), childEnv, path.join(scratch, 'worker.log'));
    },
    killDatabase() {
      if (!stack.ownsDatabase) throw new Error('the drill did not start the database, so it does not kill it');
      killGroup(database);
    },
    async startDatabase() {
      if (!stack.ownsDatabase) throw new Error('the drill did not start the database');
      if (stopped) throw new Error('the drill stack is stopping');
      const postgres = await startPostgres({ dataDir: databaseDir, logFile: path.join(scratch, 'postgres.log'), sharedBuffers: '128MB' });
      database = postgres.process;
      if (!ferretdb) ferretdb = (await startFerretDb({ port: databasePort, postgresUrl: postgres.address, logFile: path.join(scratch, 'ferretdb.log') })).process;
    },
    async stop() {
      stopped = true;
      for (const child of [api, worker]) await child?.stop();
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect().catch(() => undefined);
      if (ferretdb) await ferretdb.stop();
      if (database) await database.stop();
      for (const server of [...servers].reverse()) await server.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
    killAll() {
      for (const child of [api, worker, ferretdb, database, ...servers]) killGroup(child);
    },
  };

  let databasePort = 0;
  let childEnv: NodeJS.ProcessEnv = {};
  try {
    let temporalAddress: string;
    if (options.external) {
      temporalAddress = options.external.temporalAddress;
      stack.mongoUri = options.external.mongoUri;
    } else {
      log('starting the Temporal dev server and the database…');
      databasePort = await findFreePort();
      const [temporal] = await Promise.all([startTemporalDevServer({ logFile: path.join(scratch, 'temporal.log') }), stack.startDatabase()]);
      servers.push(temporal.process);
      temporalAddress = temporal.address;
      stack.mongoUri = `mongodb://127.0.0.1:${databasePort}/`;
    }
    // The drill's own connection: it seeds the demo users here and later reads what the API wrote.
    await connectMongo({ MONGODB_URI: stack.mongoUri, MONGODB_DB: stack.dbName });
    await seedDemoUsers();
    const bundlePath = options.external?.workflowBundlePath ?? (await bundleWorkflows(scratch));
    const port = await findFreePort();
    stack.baseUrl = `http://127.0.0.1:${port}`;
    childEnv = {
      MONGODB_URI: stack.mongoUri,
      MONGODB_DB: stack.dbName,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: `${stack.dbName}-cases`,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      SESSION_SECRET: 'drills-session-secret-drills',
      PAYLOAD_CODEC_KEYS: generateCodecKeys(),
      // A restarted worker must not wait for its predecessor's metrics ports; the drill reads none.
      WORKER_METRICS_PORT: '0',
      // The chain's head is anchored every few seconds, so that a deleted tail has an anchor to betray it.
      AUDIT_ANCHOR_KEY: randomBytes(32).toString('hex'),
      AUDIT_ANCHOR_INTERVAL_SECONDS: String(drillAnchorIntervalSeconds),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    };
    log('starting the API and the worker…');
    api = startChild('api', apiEntry(), childEnv, path.join(scratch, 'api.log'));
    await waitFor('API listening', async () => (await fetch(`${stack.baseUrl}/api/openapi.json`)).ok, { process: api, timeoutMs: 120_000 });
    stack.startWorker();
    // /health is green once a worker polls the task queue (and the database answers).
    await waitFor('worker polling', async () => (await fetch(`${stack.baseUrl}/health`)).ok, { process: worker, timeoutMs: 120_000 });
    return stack;
  } catch (error) {
    stack.killAll();
    await stack.stop().catch(() => undefined);
    throw error;
  }
}

function startChild(name: string, entry: string[], env: NodeJS.ProcessEnv, logFile: string): ManagedProcess {
  return startProcess(name, process.execPath, entry, { logFile, env });
}

const fromSources = __filename.endsWith('.ts');
const swcHook = path.join(toolPaths.projectRoot, 'bench/documents/register-swc.js');

function workerEntry(): string[] {
  return fromSources ? ['--require', swcHook, path.join(toolPaths.projectRoot, 'worker/main.ts')] : [path.join(toolPaths.projectRoot, 'dist/worker/main.js')];
}

function apiEntry(): string[] {
  return fromSources ? ['--require', swcHook, path.join(toolPaths.projectRoot, 'api/server.ts')] : [path.join(toolPaths.projectRoot, 'dist/api/server.js')];
}

/** Once per drill, so that a restarted worker starts in seconds instead of running webpack again. */
async function bundleWorkflows(scratch: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  const file = path.join(scratch, 'workflow-bundle.js');
  fs.writeFileSync(file, code);
  return file;
}
