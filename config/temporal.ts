import fs from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './index';
import { AesGcmPayloadCodec } from './payload-codec';

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

/** The payload codec of this process's clients and workers; refuses to go on without keys. */
export function payloadCodecFor(config: Pick<Config, 'PAYLOAD_CODEC_KEYS'>): AesGcmPayloadCodec {
  if (!config.PAYLOAD_CODEC_KEYS) {
    throw new Error('Invalid configuration:\n  PAYLOAD_CODEC_KEYS: required to talk to Temporal (id:<base64 32 bytes>, e.g. k1:$(openssl rand -base64 32))');
  }
  return AesGcmPayloadCodec.fromConfig(config.PAYLOAD_CODEC_KEYS);
}
