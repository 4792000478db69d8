import { DEFAULT_MAX_AUDIO_SECONDS } from '@diarization/common';
import { z } from 'zod';

/** Accepts the usual spellings of a boolean in an environment variable. */
const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(value), {
    message: 'must be true or false',
  })
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

function integer(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .refine((value) => value >= min && value <= max, {
      message: max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}` : `must be between ${min} and ${max}`,
    });
}

function positiveNumber() {
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { message: 'must be a positive number' })
    .transform(Number)
    .refine((value) => value > 0, { message: 'must be greater than 0' });
}

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), {
    message: 'must be an http:// or https:// URL',
  });

const redisUrl = z
  .string()
  .trim()
  .refine((value) => /^rediss?:\/\//i.test(value) && URL.canParse(value), {
    message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
  });

/** Bearer tokens shorter than this are too easy to guess. */
export const MIN_TOKEN_LENGTH = 16;
const GENERATE_TOKEN = 'generate one with: openssl rand -hex 32';

const tokenList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((token) => token.trim())
      .filter((token) => token.length > 0),
  )
  .refine((tokens) => tokens.length > 0, { message: 'must hold at least one token' })
  .refine((tokens) => tokens.every((token) => !/\s/.test(token)), { message: 'tokens must not contain spaces' })
  // RFC 6750's token68: the only characters a client can send in "Authorization: Bearer <token>"
  .refine((tokens) => tokens.every((token) => /^[A-Za-z0-9._~+/-]+=*$/.test(token)), {
    message: `tokens may only hold letters, digits and . _ ~ + / - (then = padding) (${GENERATE_TOKEN})`,
  })
  .refine((tokens) => tokens.every((token) => !/^change-?me/i.test(token)), {
    message: `is still the placeholder of .env.example: set a random token (${GENERATE_TOKEN})`,
  })
  .refine((tokens) => tokens.every((token) => token.length >= MIN_TOKEN_LENGTH), {
    message: `tokens must be at least ${MIN_TOKEN_LENGTH} characters (${GENERATE_TOKEN})`,
  });

const webhookSecret = z
  .string()
  .trim()
  .refine(
    (value) => /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value.slice(6), 'base64').length >= 16,
    { message: 'must be "whsec_" followed by at least 16 base64-encoded bytes (e.g. whsec_$(openssl rand -base64 32))' },
  );

/**
 * Every environment variable the service reads, with its default. Empty values count as unset
 * (docker compose passes `VAR=` through as an empty string).
 */
export const envSchema = z.object({
  DIARIZATION_HOST: z.string().trim().min(1).default('0.0.0.0'),
  DIARIZATION_PORT: integer(0, 65535).default(5000),
  DIARIZATION_TOKEN: tokenList.optional(),
  // Bearer token(s) of GET /metrics (Prometheus), apart from the API's; unset: /metrics is off (404).
  METRICS_TOKEN: tokenList.optional(),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]+$/, { message: 'may only hold letters, digits, "_", "." and "-"' })
    .default('diarization'),
  MODELS_DIR: z.string().trim().min(1).optional(),
  STORAGE_DIR: z.string().trim().min(1).default('./data'),
  S3_ENDPOINT: httpUrl.optional(),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid S3 bucket name (3-63 lowercase letters, digits, "." or "-")' })
    .default('diarization'),
  S3_ACCESS_KEY_ID: z.string().trim().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().trim().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(true),
  WEBHOOK_SECRET: webhookSecret.optional(),
  WEBHOOK_TIMEOUT_SECONDS: positiveNumber().default(10),
  WEBHOOK_ATTEMPTS: integer(1, 50).default(8),
  WEBHOOK_BACKOFF_SECONDS: positiveNumber().default(5),
  MAX_UPLOAD_BYTES: integer(1).default(100 * 1024 * 1024),
  AUDIO_URL_TIMEOUT_SECONDS: positiveNumber().default(120),
  ALLOW_PRIVATE_URLS: booleanFlag.default(false),
  // Browser origins allowed to call the API (CORS), comma-separated; "*": any; unset: CORS off.
  CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
    .refine((origins) => origins.every((origin) => origin === '*' || (URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol) && new URL(origin).origin === origin)), {
      message: 'must be origins such as https://app.example.com (scheme, host and port if any; no path or trailing slash), separated by commas, or *',
    })
    .default([]),
  SYNC_TIMEOUT_SECONDS: positiveNumber().default(270),
  // Slow or stalled clients: time to send the headers, longest pause in the body, whole request.
  REQUEST_HEADERS_TIMEOUT_SECONDS: positiveNumber().default(60),
  REQUEST_IDLE_TIMEOUT_SECONDS: positiveNumber().default(60),
  REQUEST_TIMEOUT_SECONDS: positiveNumber().default(3600),
  WORKER_CONCURRENCY: integer(1, 64).default(1),
  EXECUTION_PROVIDER: z
    .enum(['cpu', 'cuda'], { message: 'must be "cpu" or "cuda"' })
    .default('cpu'),
  INTRA_OP_THREADS: integer(0, 256).default(0),
  MAX_AUDIO_SECONDS: positiveNumber().default(DEFAULT_MAX_AUDIO_SECONDS),
  JOB_ATTEMPTS: integer(1, 20).default(3),
  JOB_BACKOFF_SECONDS: positiveNumber().default(10),
  JOB_TTL_SECONDS: integer(60).default(7 * 24 * 3600),
  DELETE_AUDIO_AFTER_SUCCESS: booleanFlag.default(true),
  // Leftovers of killed processes (objects without a job record, temp folders, partial files)
  // untouched for this long are deleted, at start and every ORPHAN_SWEEP_INTERVAL_SECONDS (0: never).
  ORPHAN_GRACE_SECONDS: positiveNumber().default(3600),
  ORPHAN_SWEEP_INTERVAL_SECONDS: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { message: 'must be a number of seconds (0 turns the orphan sweep off)' })
    .transform(Number)
    .default(900),
  // A dead worker's job is back in the queue at most lock + 2 intervals (20 s) after it died
  // (BullMQ marks a job on one check and moves it on the next); the lock is renewed every
  // lock/2 by the worker's main process, which never runs the engine.
  WORKER_LOCK_DURATION_MS: integer(1000).default(10_000),
  WORKER_STALLED_INTERVAL_MS: integer(500).default(5_000),
  WORKER_MAX_STALLED_COUNT: integer(0, 100).default(2),
  WORKER_HEARTBEAT_SECONDS: integer(1, 3600).default(10),
  SHUTDOWN_GRACE_SECONDS: positiveNumber().default(25),
  // While storage is unreachable jobs wait (no attempt used), tried again this often, this long at most.
  STORAGE_RETRY_SECONDS: positiveNumber().default(15),
  STORAGE_OUTAGE_LIMIT_SECONDS: positiveNumber().default(1800),
  /** Read by the engine itself (upload check and worker); validated here with the rest. */
  FFMPEG_PATH: z.string().trim().min(1).optional(),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { message: 'must be one of debug, info, warn, error' })
    .default('info'),
});

export type RawEnv = z.output<typeof envSchema>;
