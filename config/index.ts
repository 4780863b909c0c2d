import { isIP } from 'node:net';
import { z } from 'zod';
import { parseCodecKeys } from './payload-codec';

/**
 * Every setting EnvCase reads, validated once at start; the only reader of process.env.
 * An invalid value stops the process with a message naming the variable.
 */
const configSchema = z.object({
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]+$/, 'Latin letters, digits, _ and - only').default('envcase'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('envcase-cases'),
  /** Optional mTLS for a Temporal cluster or Temporal Cloud: PEM file paths; empty means none. */
  TEMPORAL_TLS_CERT: z.string().optional().transform((value) => value || undefined),
  TEMPORAL_TLS_KEY: z.string().optional().transform((value) => value || undefined),
  /**
   * Payload encryption keys, `id:<base64 32 bytes>,...`, the first one active. Optional here so
   * that database-only scripts load; every Temporal client and worker refuses to start without.
   */
  PAYLOAD_CODEC_KEYS: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .superRefine((value, context) => {
      if (value === undefined) return;
      try {
        parseCodecKeys(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /** Origins allowed to call /codec (the Temporal UI), comma-separated. */
  CODEC_CORS_ORIGINS: z.string().default('http://127.0.0.1:8233,http://localhost:8233'),
  /** Bearer token for Prometheus scrapes of /metrics, besides an admin's session; empty = admins only. */
  METRICS_TOKEN: z.string().optional().transform((value) => value || undefined).pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** The worker's own /metrics (render pool, Temporal SDK); 0 turns it off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Where the Temporal SDK's Prometheus exporter listens; the worker's /metrics relays it. */
  TEMPORAL_METRICS_ADDRESS: z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port').default('127.0.0.1:9465'),
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  PDF_PAGE_POOL_SIZE: z.coerce.number().int().min(1).max(16).default(2),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** Signs the audit chain's daily head (HMAC-SHA256); kept outside the database it protects. */
  AUDIT_ANCHOR_KEY: z.string().optional().transform((value) => value || undefined).pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** How often the anchor workflow records the audit chain's head in its history. */
  AUDIT_ANCHOR_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(900),
  /** How often the board refresher recounts the counties whose cases changed (all of them every 20 passes). */
  BOARD_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /**
   * Which proxies' X-Forwarded-For the API believes (Express `trust proxy`): empty or `false`
   * (the default) believes none, so a client cannot pick its own address for the login limits;
   * a number trusts that many hops; otherwise a comma-separated list of addresses, CIDR ranges
   * or `loopback`, `linklocal`, `uniquelocal`.
   */
  TRUST_PROXY: z
    .string()
    .default('')
    .refine((value) => parseTrustProxy(value) !== undefined, 'false, a hop count (1-10), or addresses / CIDR ranges / loopback, linklocal, uniquelocal separated by commas')
    .transform((value) => parseTrustProxy(value) as TrustProxy),
});

export type TrustProxy = false | number | string[];

const namedProxyRanges = ['loopback', 'linklocal', 'uniquelocal'];

function parseTrustProxy(raw: string): TrustProxy | undefined {
  const value = raw.trim();
  if (value === '' || value === 'false') return false;
  if (/^\d+$/u.test(value)) {
    const hops = Number(value);
    return hops >= 1 && hops <= 10 ? hops : undefined;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = entries.every((entry) => {
    if (namedProxyRanges.includes(entry)) return true;
    const [address, bits, extra] = entry.split('/');
    if (extra !== undefined || !address || !isIP(address)) return false;
    if (bits === undefined) return true;
    const max = isIP(address) === 4 ? 32 : 128;
    return /^\d+$/u.test(bits) && Number(bits) <= max;
  });
  return valid ? entries : undefined;
}

export type Config = Readonly<z.infer<typeof configSchema>>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return Object.freeze(parsed.data);
}
