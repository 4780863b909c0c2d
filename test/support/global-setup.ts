import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedMongo, startTemporalDevServer } from '../../scripts/stack/embedded-servers';
import type { ManagedProcess } from '../../scripts/stack/processes';
import { toolPaths } from '../../scripts/stack/tool-paths';
import { bundleWorkflowsOnce } from './workflow-bundle';

/**
 * Starts the real servers once per Jest run: a throwaway PostgreSQL cluster with FerretDB on it
 * (unless MONGODB_URI is given) and the
 * Temporal dev server (unless TEMPORAL_ADDRESS is given), and bundles the workflow code once
 * so that every test worker loads the same bundle instead of running webpack itself.
 * Addresses reach the test files through process.env, which Jest's workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.ENVCASE_NO_SERVERS === '1') return;
  const started: ManagedProcess[] = [];
  (globalThis as { envcaseServers?: ManagedProcess[] }).envcaseServers = started;
  const logDir = path.join(toolPaths.projectRoot, 'test-artifacts', 'logs');
  fs.mkdirSync(logDir, { recursive: true });

  const bundling = bundleWorkflowsOnce();
  const [mongo, temporal] = await Promise.all([
    process.env.MONGODB_URI
      ? undefined
      : startEmbeddedMongo({ logDir, sharedBuffers: '128MB' }),
    process.env.TEMPORAL_ADDRESS
      ? undefined
      : startTemporalDevServer({ logFile: path.join(logDir, 'temporal.log') }),
  ]);
  if (mongo) {
    started.push(...mongo.processes);
    process.env.MONGODB_URI = mongo.address;
  }
  if (temporal) {
    started.push(temporal.process);
    process.env.TEMPORAL_ADDRESS = temporal.address;
  }
  process.env.WORKFLOW_BUNDLE_PATH = await bundling;
  // If Jest itself is killed, teardown never runs; scripts/test-all.sh stops these by pid.
  fs.writeFileSync(pidFile, started.map((server) => server.child.pid).join('\n'));
}

export const pidFile = path.join(toolPaths.projectRoot, 'test-artifacts', 'servers.pids');
