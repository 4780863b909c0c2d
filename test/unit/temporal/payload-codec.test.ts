import { AesGcmPayloadCodec, generateCodecKeys, parseCodecKeys } from '../../../config/payload-codec';
import { loadConfig } from '../../../config';
import { timerSummary } from '../../../workflows/case-visibility';

const plain = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify({ name: '李先生', phone: '13800000000' })) };

describe('payload codec (AES-256-GCM with key ids)', () => {
  test('when a payload is encoded, then its bytes hide the content, name the key, and decode restores it exactly', async () => {
    const codec = AesGcmPayloadCodec.fromConfig(generateCodecKeys());
    const [sealed] = await codec.encode([plain]);
    expect(Buffer.from(sealed!.data!).includes(Buffer.from('李先生'))).toBe(false);
    expect(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const [opened] = await codec.decode([sealed!]);
    expect(Buffer.from(opened!.data!).toString()).toBe(plain.data.toString());
    expect(Buffer.from(opened!.metadata!.encoding!).toString()).toBe('json/plain');
  });

  test('when keys rotate, then payloads sealed with the old key still decode and new ones use the new key', async () => {
    const old = generateCodecKeys('k0');
    const [sealedBefore] = await AesGcmPayloadCodec.fromConfig(old).encode([plain]);
    const rotated = AesGcmPayloadCodec.fromConfig(`${generateCodecKeys('k1')},${old}`);
    const [opened] = await rotated.decode([sealedBefore!]);
    expect(Buffer.from(opened!.data!).toString()).toBe(plain.data.toString());
    const [sealedAfter] = await rotated.encode([plain]);
    expect(Buffer.from(sealedAfter!.metadata!['encryption-key-id']!).toString()).toBe('k1');
  });

  test('when a sealed payload is altered or its key is unknown, then decode refuses it', async () => {
    const codec = AesGcmPayloadCodec.fromConfig(generateCodecKeys());
    const [sealed] = await codec.encode([plain]);
    const tampered = Buffer.from(sealed!.data!);
    tampered[20] = tampered[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data: tampered }])).rejects.toThrow();
    await expect(AesGcmPayloadCodec.fromConfig(generateCodecKeys('k2')).decode([sealed!])).rejects.toThrow(/k1/);
  });

  test('when a payload was stored before the codec (no encryption metadata), then it passes through unchanged', async () => {
    const codec = AesGcmPayloadCodec.fromConfig(generateCodecKeys());
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  test.each([
    ['k1:c2hvcnQ=', /32 bytes/],
    [':AAAA', /id/],
    [`${generateCodecKeys('k1')},${generateCodecKeys('k1')}`, /twice/],
  ])('when PAYLOAD_CODEC_KEYS is %s, then configuration refuses it', (keys, message) => {
    expect(() => parseCodecKeys(keys)).toThrow(message);
    expect(() => loadConfig({ MONGODB_URI: 'mongodb://x/', SESSION_SECRET: 'x'.repeat(16), PAYLOAD_CODEC_KEYS: keys })).toThrow(/PAYLOAD_CODEC_KEYS/);
  });
});

describe('timer summaries', () => {
  const clock = { label: '责令改正期限', status: 'running' as const, reminded: false, reminderAt: '2026-12-17T01:00:00.000Z', ladder: ['2026-12-20T15:59:59.999Z', '2026-12-23T15:59:59.999Z'], escalationLevel: 0 };

  test('when the next wake-up is a due instant, then the summary names the clock and its Shanghai date', () => {
    expect(timerSummary([clock], '2026-12-20T15:59:59.999Z')).toBe('责令改正期限 到期 2026-12-20');
  });

  test('when it is a reminder or a later overdue level, then the summary says so', () => {
    expect(timerSummary([clock], '2026-12-17T01:00:00.000Z')).toBe('责令改正期限 到期提醒 2026-12-17');
    expect(timerSummary([{ ...clock, reminded: true, escalationLevel: 1 }], '2026-12-23T15:59:59.999Z')).toBe('责令改正期限 逾期升县级督办 2026-12-23');
  });
});
