import { Client } from '@temporalio/client';
import { Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import { connectMongo } from '../config/mongo';
import { codecDataConverter } from '../config/payload-codec';
import { connectClient, connectWorker, payloadCodecFor } from '../config/temporal';
import { createActivities } from '../activities';
import { createAuditAnchorActivities, ensureAuditAnchorWorkflow } from '../activities/audit-anchor';
import { createCaseDocumentActivities } from '../activities/case-documents.activities';
import { PdfRenderer } from '../activities/documents/pdf-renderer';
import { createLogger } from '../api/logger';
import { instrumentRenderer, startWorkerMetricsServer } from './metrics';
import { startWorkerHeartbeat } from './heartbeat';
import { ensureBoardRefresher } from './board-refresher';

/** Worker process: runs case workflows and their activities, with one pooled Chromium. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  await connectMongo(config);
  const codec = payloadCodecFor(config);
  const metricsOn = config.WORKER_METRICS_PORT > 0;
  if (metricsOn) Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_ADDRESS } } } });
  const renderer = instrumentRenderer(new PdfRenderer({ executablePath: config.CHROMIUM_PATH, poolSize: config.PDF_PAGE_POOL_SIZE }));
  const metricsServer = metricsOn
    ? await startWorkerMetricsServer({ port: config.WORKER_METRICS_PORT, token: config.METRICS_TOKEN, sdkMetricsAddress: config.TEMPORAL_METRICS_ADDRESS, logger })
    : undefined;
  const connection = await connectWorker(config);
  const worker = await Worker.create({
    connection,
    dataConverter: codecDataConverter(codec),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(process.env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: {
      ...createActivities(createCaseDocumentActivities({ renderer })),
      ...createAuditAnchorActivities({ key: config.AUDIT_ANCHOR_KEY, log: (line) => logger.info({ signedAuditHead: line }, line) }),
    },
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS, identity: worker.options.identity }, 'worker started');
  if (!config.AUDIT_ANCHOR_KEY) logger.warn('AUDIT_ANCHOR_KEY is not set: the audit chain is anchored, but its daily head is not signed');
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const running = worker.run();
  const heartbeat = startWorkerHeartbeat({
    identity: worker.options.identity,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    isRunning: () => worker.getState() === 'RUNNING',
    onError: (error) => logger.warn({ err: error }, 'worker heartbeat not written'),
  });
  try {
    // With the worker running, so that a closed earlier run can hand over its anchors.
    const clientConnection = await connectClient(config);
    try {
      const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: codecDataConverter(codec) });
      const anchor = await ensureAuditAnchorWorkflow(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, intervalMs: config.AUDIT_ANCHOR_INTERVAL_SECONDS * 1000 });
      logger.info({ anchor }, 'audit anchor workflow');
      const board = await ensureBoardRefresher(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, intervalMs: config.BOARD_REFRESH_SECONDS * 1000, fullRecountEvery: 20, dueSoonDays: 3 });
      logger.info({ board }, 'board refresher workflow');
    } catch (error) {
      logger.error({ err: error }, 'could not start the audit anchor or board refresher workflow');
    } finally {
      await clientConnection.close();
    }
    await running;
  } finally {
    await heartbeat.stop();
  }
  metricsServer?.close();
  await renderer.close();
  await connection.close();
  logger.info('worker stopped');
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
