import { Client } from '@temporalio/client';
import { loadConfig } from '../config';
import { connectMongo } from '../config/mongo';
import { connectClient, payloadCodecFor } from '../config/temporal';
import { codecDataConverter } from '../config/payload-codec';
import { buildApp } from './app';
import { createLogger } from './logger';
import { pageRoutes } from './pages/page-routes';

/** API process: config, MongoDB, Temporal client, listen; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'api');
  await connectMongo(config);
  const codec = payloadCodecFor(config);
  const connection = await connectClient(config);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: codecDataConverter(codec) });
  const app = buildApp({
    config,
    temporal,
    logger,
    pages: pageRoutes({ temporal, config }),
    codec: { codec, corsOrigins: config.CODEC_CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean), logger },
    metricsToken: config.METRICS_TOKEN,
  });
  const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, 'api listening'));
  const stop = () => {
    logger.info('api stopping');
    server.close(async () => {
      await connection.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
