import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { assertExecutable, canConnect, findFreePort, setprivArgs, startProcess, waitFor, type ManagedProcess } from './processes';
import { createIndexesSql } from './postgres-indexes';
import { toolPaths } from './tool-paths';

const setupHint = 'Run `bash scripts/setup.sh` first.';

export interface TemporalDevServerOptions {
  port?: number;
  uiPort?: number;
  /** SQLite file; omitted keeps history in memory (tests). */
  dbFile?: string;
  logFile?: string;
  /** The UI's remote codec (the API's /codec), so operators read encrypted payloads there. */
  uiCodecEndpoint?: string;
}

export interface StartedServer {
  process: ManagedProcess;
  address: string;
}

/** Search attributes the case workflows index; the dev server must know them at start. */
export const searchAttributes = ['CaseNo=Keyword', 'CaseStatus=Keyword', 'RegionCode=Keyword'] as const;

export async function startTemporalDevServer(options: TemporalDevServerOptions = {}): Promise<StartedServer> {
  assertExecutable(toolPaths.temporalCli, setupHint);
  const port = options.port ?? (await findFreePort());
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--namespace', 'default',
    '--log-level', 'error',
    '--ui-disable-news-fetch',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...searchAttributes.flatMap((attribute) => ['--search-attribute', attribute]),
  ];
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.uiPort && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);

  const started = startProcess('temporal', toolPaths.temporalCli, args, { logFile: options.logFile });
  const address = `127.0.0.1:${port}`;
  await waitFor(
    `Temporal dev server on ${address}`,
    async () => {
      if (!(await canConnect('127.0.0.1', port))) return false;
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
    { process: started, timeoutMs: 120_000 },
  );
  return { process: started, address };
}

export interface PostgresOptions {
  /** Cluster directory, created and initialised when empty; omitted uses a scratch one removed on stop (tests). */
  dataDir?: string;
  logFile?: string;
  /** `shared_buffers`; 256MB suits `up` on a 2-core box, tests get by with less. */
  sharedBuffers?: string;
}

export interface StartedPostgres extends StartedServer {
  dataDir: string;
  /** Directory of the Unix socket: the cluster listens on no TCP port, so it never collides. */
  socketDir: string;
  /** Runs SQL through psql against the FerretDB database and returns its unaligned output. */
  psql(sql: string): Promise<string>;
  /** Creates the GIN indexes of `postgres-indexes.ts` on every collection that exists by now. */
  ensureIndexes(): Promise<void>;
}

/** The database FerretDB stores into; each MongoDB database becomes one of its schemas. */
export const ferretDbDatabase = 'ferretdb';
const postgresUser = 'postgres';
/** Room for FerretDB's pool (capped below), psql and PostgreSQL's own background workers. */
const maxConnections = 40;
const ferretDbPoolSize = 25;

export async function startPostgres(options: PostgresOptions = {}): Promise<StartedPostgres> {
  const bin = (name: string) => path.join(toolPaths.postgresBinDir, name);
  assertExecutable(bin('postgres'), 'Run `bash scripts/setup.sh` first (it installs Debian\'s postgresql).');
  const scratch = options.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-postgres-'));
  const dataDir = path.resolve(options.dataDir ?? scratch!);
  fs.mkdirSync(dataDir, { recursive: true });
  // PostgreSQL refuses to run as root: the cluster belongs to the `postgres` system user.
  if (process.getuid?.() === 0) {
    const idOf = (flag: string) => Number(execFileSync('id', [flag, postgresUser], { encoding: 'utf8' }).trim());
    fs.chownSync(dataDir, idOf('-u'), idOf('-g'));
  }
  fs.chmodSync(dataDir, 0o700);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    execFileSync('setpriv', [...setprivArgs(postgresUser, 'SIGTERM'), '--', bin('initdb'), '-D', dataDir, '-U', postgresUser, '--encoding=UTF8', '--locale=C.UTF-8', '--auth=trust'], { stdio: 'pipe' });
  }
  const socketDir = dataDir;
  const args = [
    '-D', dataDir,
    '-k', socketDir,
    '-c', 'listen_addresses=',
    '-c', `shared_buffers=${options.sharedBuffers ?? '256MB'}`,
    '-c', `max_connections=${maxConnections}`,
    '-c', 'fsync=on',
    '-c', 'synchronous_commit=on',
    '-c', 'work_mem=16MB',
    '-c', 'maintenance_work_mem=128MB',
    '-c', 'effective_cache_size=1GB',
    // Two cores shared by everything: a parallel scan only steals the other core.
    '-c', 'max_parallel_workers_per_gather=0',
    '-c', 'log_min_messages=warning',
    // FerretDB's driver prepares its statements with the field name as a parameter
    // (`_jsonb -> $1 @> $2`); a generic plan cannot match that to an expression index.
    '-c', 'plan_cache_mode=force_custom_plan',
  ];
  const started = startProcess('postgres', bin('postgres'), args, { logFile: options.logFile, user: postgresUser, stopSignal: 'SIGINT', stopTimeoutMs: 60_000 });
  const psqlAs = (database: string, sql: string) =>
    new Promise<string>((resolve, reject) => {
      execFile(bin('psql'), ['-h', socketDir, '-U', postgresUser, '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new Error(`psql: ${stderr.trim() || error.message}`)) : resolve(stdout),
      );
    });
  await waitFor(`PostgreSQL in ${dataDir}`, async () => (await psqlAs('postgres', 'SELECT 1')).trim() === '1', { process: started, timeoutMs: 120_000 });
  const exists = (await psqlAs('postgres', `SELECT 1 FROM pg_database WHERE datname = '${ferretDbDatabase}'`)).trim() === '1';
  if (!exists) await psqlAs('postgres', `CREATE DATABASE ${ferretDbDatabase} ENCODING 'UTF8'`);
  const processHandle: ManagedProcess = scratch
    ? {
        ...started,
        async stop() {
          await started.stop();
          fs.rmSync(scratch, { recursive: true, force: true });
        },
      }
    : started;
  const address = `postgres://${postgresUser}@/${ferretDbDatabase}?host=${encodeURIComponent(socketDir)}&pool_max_conns=${ferretDbPoolSize}`;
  return {
    process: processHandle,
    address,
    dataDir,
    socketDir,
    psql: (sql) => psqlAs(ferretDbDatabase, sql),
    ensureIndexes: async () => void (await psqlAs(ferretDbDatabase, createIndexesSql())),
  };
}

export interface FerretDbOptions {
  port?: number;
  /** The PostgreSQL URL FerretDB stores into (`startPostgres().address`). */
  postgresUrl: string;
  logFile?: string;
}

export async function startFerretDb(options: FerretDbOptions): Promise<StartedServer> {
  assertExecutable(toolPaths.ferretdbLauncher, setupHint);
  const port = options.port ?? (await findFreePort());
  const args = ['-listen', `127.0.0.1:${port}`, '-postgresql-url', options.postgresUrl, '-log-level', 'error'];
  const started = startProcess('ferretdb', toolPaths.ferretdbLauncher, args, { logFile: options.logFile });
  const address = `mongodb://127.0.0.1:${port}/`;
  await waitFor(
    `FerretDB on 127.0.0.1:${port}`,
    async () => {
      if (!(await canConnect('127.0.0.1', port))) return false;
      const connection = mongoose.createConnection(address, { serverSelectionTimeoutMS: 2_000 });
      try {
        await connection.asPromise();
        await connection.db?.admin().ping();
        return true;
      } finally {
        await connection.close();
      }
    },
    { process: started, timeoutMs: 60_000 },
  );
  return { process: started, address };
}

export interface EmbeddedMongo {
  postgres: StartedPostgres;
  ferretdb: StartedServer;
  /** MongoDB URI of FerretDB. */
  address: string;
  /** In start order; stop them in reverse. */
  processes: ManagedProcess[];
}

/** The embedded MongoDB: a PostgreSQL cluster and FerretDB on it. */
export async function startEmbeddedMongo(options: { dataDir?: string; port?: number; logDir?: string; sharedBuffers?: string } = {}): Promise<EmbeddedMongo> {
  const log = (name: string) => (options.logDir ? path.join(options.logDir, `${name}.log`) : undefined);
  const postgres = await startPostgres({ dataDir: options.dataDir, logFile: log('postgres'), sharedBuffers: options.sharedBuffers });
  try {
    const ferretdb = await startFerretDb({ port: options.port, postgresUrl: postgres.address, logFile: log('ferretdb') });
    return { postgres, ferretdb, address: ferretdb.address, processes: [postgres.process, ferretdb.process] };
  } catch (error) {
    await postgres.process.stop();
    throw error;
  }
}
