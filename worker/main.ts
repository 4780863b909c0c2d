import { Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import { connectMongo } from '../config/mongo';
import { codecDataConverter } from '../config/payload-codec';
import { connectWorker, payloadCodecFor } from '../config/temporal';
import { createActivities } from '../activities';
import { createCaseDocumentActivities } from '../activities/case-documents.activities';
import { PdfRenderer } from '../activities/documents/pdf-renderer';
import { createLogger } from '../api/logger';
import { instrumentRenderer, startWorkerMetricsServer } from './metrics';

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
    activities: createActivities(createCaseDocumentActivities({ renderer })),
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker started');
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.run();
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
