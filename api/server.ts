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
  // Express 5 hands a failed bind (port taken) to this callback and swallows it otherwise,
  // leaving a process that looks alive and serves nothing: fail loudly instead.
  const server = app.listen(config.PORT, (error?: NodeJS.ErrnoException) => {
    if (!error) {
      logger.info({ port: config.PORT }, 'api listening');
      return;
    }
    const reason = error.code === 'EADDRINUSE' ? `端口 ${config.PORT} 已被占用` : `无法监听端口 ${config.PORT}`;
    logger.fatal({ err: error }, `${reason}，API 退出`);
    console.error(`api: ${reason} (${error.code ?? error.message}); exiting`);
    process.exit(1);
  });
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
