import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { assertExecutable, canConnect, findFreePort, startProcess, waitFor, type ManagedProcess } from './processes';
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

export interface FerretDbOptions {
  port?: number;
  /**
   * Directory of SQLite files; omitted uses a fresh temporary directory, removed on stop (tests).
   * Never SQLite's `mode=memory`: FerretDB then caps its pool at one connection, and an update
   * that matches a document holds that connection with its read cursor while it asks for a
   * second one to write, so the first matching update blocks the whole server for good.
   */
  dataDir?: string;
  logFile?: string;
}

export async function startFerretDb(options: FerretDbOptions = {}): Promise<StartedServer> {
  assertExecutable(toolPaths.ferretdbLauncher, setupHint);
  const port = options.port ?? (await findFreePort());
  const scratch = options.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-ferretdb-'));
  const args = ['-listen', `127.0.0.1:${port}`, '-sqlite-dir', options.dataDir ?? scratch!];
  const launched = startProcess('ferretdb', toolPaths.ferretdbLauncher, args, { logFile: options.logFile });
  const started: ManagedProcess = scratch
    ? {
        ...launched,
        async stop() {
          await launched.stop();
          fs.rmSync(scratch, { recursive: true, force: true });
        },
      }
    : launched;
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
