import { z } from 'zod';

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
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  PDF_PAGE_POOL_SIZE: z.coerce.number().int().min(1).max(16).default(2),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters'),
  /** Signs the audit chain's daily head (HMAC-SHA256); kept outside the database it protects. */
  AUDIT_ANCHOR_KEY: z.string().optional().transform((value) => value || undefined).pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** How often the anchor workflow records the audit chain's head in its history. */
  AUDIT_ANCHOR_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(900),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return Object.freeze(parsed.data);
}
