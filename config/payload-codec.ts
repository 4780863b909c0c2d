import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * AES-256-GCM for every payload Temporal stores (workflow and activity inputs, results, Update
 * arguments, timer summaries): complainants' names and phones must not sit in clear text in
 * histories that the Temporal UI and CLI show. The whole original payload (metadata and data)
 * is serialised and encrypted, so not even its encoding leaks.
 *
 * Keys rotate: `PAYLOAD_CODEC_KEYS` is `id:<base64 32 bytes>,...`, the first key encrypts and all
 * of them decrypt, and each payload names its key in its metadata. To rotate, put a new key in
 * front and keep the old ones until no history that uses them is retained.
 */

export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadataKey = 'encryption-key-id';

export interface CodecKey {
  id: string;
  key: Buffer;
}

const ivBytes = 12;
const tagBytes = 16;

/** Parses `k1:<base64>,k0:<base64>`; throws naming what is wrong. */
export function parseCodecKeys(text: string): CodecKey[] {
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('no key given (expected id:<base64 32 bytes>,...)');
  const seen = new Set<string>();
  return entries.map((entry) => {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    if (separator <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`key "${entry.slice(0, 8)}…" needs an id of letters, digits, _ or - before ":"`);
    if (seen.has(id)) throw new Error(`key id ${id} appears twice`);
    seen.add(id);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes in base64 (AES-256), got ${key.length}`);
    return { id, key };
  });
}

/** A fresh key list with one key, as `up` and the tests make it. */
export function generateCodecKeys(id = 'k1'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly active: CodecKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: CodecKey[]) {
    const [active] = keys;
    if (!active) throw new Error('AesGcmPayloadCodec needs at least one key');
    this.active = active;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  static fromConfig(keysText: string): AesGcmPayloadCodec {
    return new AesGcmPayloadCodec(parseCodecKeys(keysText));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(encryptedEncoding),
          [keyIdMetadataKey]: Buffer.from(this.active.id),
        },
        data: sealed,
      };
    });
  }

  /**
   * Payloads without our encoding pass through: histories recorded before the codec was turned
   * on (and the replay fixtures) must still decode.
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== encryptedEncoding) return payload;
      const idBytes = payload.metadata?.[keyIdMetadataKey];
      const id = idBytes ? Buffer.from(idBytes).toString() : '';
      const key = this.byId.get(id);
      if (!key) throw new Error(`payload encrypted with key "${id}", which PAYLOAD_CODEC_KEYS does not contain`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < ivBytes + tagBytes) throw new Error('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivBytes));
      decipher.setAuthTag(data.subarray(data.length - tagBytes));
      const plain = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * The data converter of every client and worker. Codecs run outside the workflow sandbox, so
 * the workflow bundle is unchanged and carries no key.
 */
export function codecDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec] };
}
