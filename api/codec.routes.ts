import { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { operatorsOnly } from './metrics.routes';
import { HttpError } from './http-errors';

export interface CodecRouteOptions {
  codec: PayloadCodec;
  /** Origins of the Temporal UI allowed to call from the browser. */
  corsOrigins: string[];
  logger?: Logger;
}

/** Temporal's remote codec protocol: payloads in the proto3 JSON form, bytes as base64. */
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, '不是 base64');
const payloadsSchema = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() }))
    .max(10_000, '一次最多 10000 个载荷'),
});

type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])) : {},
    data: data ? Buffer.from(data, 'base64') : undefined,
  };
}

function toJson({ metadata, data }: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}

/**
 * The Temporal UI calls these from the operator's browser (TEMPORAL_CODEC_ENDPOINT) to show
 * and to send payloads in clear text. Only operators may: whoever decodes reads complainants'
 * names and phones. The UI sends the operator's EnvCase session cookie when it is configured to
 * include credentials, or a bearer token; a JSON body is required, so a cross-site form cannot
 * ride the cookie, and only the configured origins get CORS answers.
 */
export function codecRoutes(options: CodecRouteOptions): Router {
  const router = Router();
  const allowed = new Set(options.corsOrigins);
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin && allowed.has(origin)) {
      res.set({
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Namespace',
        'Access-Control-Max-Age': '600',
      });
    }
    if (req.method === 'OPTIONS') {
      res.status(origin && allowed.has(origin) ? 204 : 403).end();
      return;
    }
    next();
  };

  router.options('/codec/:operation', cors);
  router.post('/codec/:operation', cors, operatorsOnly(undefined), async (req, res) => {
    const operation = req.params.operation;
    if (operation !== 'encode' && operation !== 'decode') throw new HttpError(404, '编解码接口只有 /codec/encode 和 /codec/decode');
    if (!req.is('application/json')) throw new HttpError(415, '请求体须为 JSON（Content-Type: application/json）');
    const { payloads } = payloadsSchema.parse(req.body);
    let result: Payload[];
    try {
      result = await options.codec[operation](payloads.map(fromJson));
    } catch (error) {
      throw new HttpError(400, `载荷无法${operation === 'decode' ? '解密' : '加密'}：${(error as Error).message}`);
    }
    options.logger?.info({ userId: req.user?.userId, operation, count: payloads.length, namespace: req.headers['x-namespace'] }, 'payload codec used');
    res.set('Cache-Control', 'no-store').json({ payloads: result.map(toJson) });
  });
  return router;
}
