import fs from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './index';

function tlsOptions(config: Config): ConnectionOptions['tls'] {
  if (!config.TEMPORAL_TLS_CERT || !config.TEMPORAL_TLS_KEY) return undefined;
  return {
    clientCertPair: {
      crt: fs.readFileSync(config.TEMPORAL_TLS_CERT),
      key: fs.readFileSync(config.TEMPORAL_TLS_KEY),
    },
  };
}

export function connectClient(config: Config): Promise<Connection> {
  return Connection.connect({ address: config.TEMPORAL_ADDRESS, tls: tlsOptions(config) });
}

export function connectWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.TEMPORAL_ADDRESS, tls: tlsOptions(config) });
}
