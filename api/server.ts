import { Client } from '@temporalio/client';
import { loadConfig } from '../config';
import { connectMongo } from '../config/mongo';
import { connectClient } from '../config/temporal';
import { buildApp } from './app';
import { createLogger } from './logger';
import { pageRoutes } from './pages/page-routes';

/** API process: config, MongoDB, Temporal client, listen; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'api');
  await connectMongo(config);
  const connection = await connectClient(config);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = buildApp({ config, temporal, logger, pages: pageRoutes({ temporal, config }) });
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
