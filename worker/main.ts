import { Worker } from '@temporalio/worker';
import { loadConfig } from '../config';
import { connectMongo } from '../config/mongo';
import { connectWorker } from '../config/temporal';
import { createActivities } from '../activities';
import { createCaseDocumentActivities } from '../activities/case-documents.activities';
import { PdfRenderer } from '../activities/documents/pdf-renderer';
import { createLogger } from '../api/logger';
import { startWorkerHeartbeat } from './heartbeat';

/** Worker process: runs case workflows and their activities, with one pooled Chromium. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  await connectMongo(config);
  const renderer = new PdfRenderer({ executablePath: config.CHROMIUM_PATH, poolSize: config.PDF_PAGE_POOL_SIZE });
  const connection = await connectWorker(config);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(process.env.WORKFLOW_BUNDLE_PATH
      ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(createCaseDocumentActivities({ renderer })),
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS, identity: worker.options.identity }, 'worker started');
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
    await running;
  } finally {
    await heartbeat.stop();
  }
  await renderer.close();
  await connection.close();
  logger.info('worker stopped');
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
