import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { z } from 'zod';
import { issueMessage } from '@diarization/common';
import { envSchema, type RawEnv } from './env-schema';

export type LogLevel = RawEnv['LOG_LEVEL'];
export type ExecutionProvider = RawEnv['EXECUTION_PROVIDER'];

export type StorageConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle: boolean;
    };

/** What a process needs: the API needs tokens, the worker does not. */
export type ServiceRole = 'api' | 'worker' | 'all';

export interface ServiceConfig {
  host: string;
  port: number;
  /** Accepted bearer tokens (empty for a worker-only process). */
  tokens: string[];
  /** Bearer tokens of GET /metrics; empty: /metrics is off. */
  metricsTokens: string[];
  redisUrl: string;
  queuePrefix: string;
  /** Unset: the engine's default (models/weights in the checkout, as `npm run models` fills it). */
  modelsDir?: string;
  /** FFMPEG_PATH; unset: the engine uses ffmpeg on PATH, then the bundled one. */
  ffmpegPath?: string;
  storage: StorageConfig;
  webhooks: {
    /** `whsec_...`; webhooks are refused while it is unset. */
    secret?: string;
    timeoutMs: number;
    attempts: number;
    backoffMs: number;
  };
  maxUploadBytes: number;
  audioUrlTimeoutMs: number;
  allowPrivateUrls: boolean;
  /** Browser origins allowed by CORS ("*": any); empty: CORS off. */
  corsOrigins: string[];
  syncTimeoutMs: number;
  /** Limits on receiving a request: slow or stalled clients get 408 and their upload is discarded. */
  requestLimits: {
    /** Time to receive the request line and headers. */
    headersTimeoutMs: number;
    /** Longest time without a byte of the body while the request is incomplete. */
    idleTimeoutMs: number;
    /** Time to receive the whole request, body included. */
    requestTimeoutMs: number;
  };
  worker: {
    concurrency: number;
    executionProvider: ExecutionProvider;
    intraOpThreads: number;
    maxAudioSeconds: number;
    attempts: number;
    backoffMs: number;
    lockDurationMs: number;
    stalledIntervalMs: number;
    maxStalledCount: number;
    heartbeatSeconds: number;
    shutdownGraceMs: number;
    /** Storage outages: a job waits, tried again every storageRetryMs, for storageOutageLimitMs at most. */
    storageRetryMs: number;
    storageOutageLimitMs: number;
  };
  retention: {
    jobTtlSeconds: number;
    deleteAudioAfterSuccess: boolean;
    /** Leftovers (objects without a job record, temp folders, partial files) older than this are orphans. */
    orphanGraceMs: number;
    /** How often the API looks for orphans (also once at start); 0: never. */
    orphanSweepIntervalMs: number;
  };
  logLevel: LogLevel;
}

/** A configuration problem, worded for the person who set the environment. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Empty strings count as unset. */
function withoutEmptyValues(env: Env): Env {
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  return cleaned;
}

/**
 * The shared wording (packages/common) grouped by variable, each once, with the value that was
 * set (never a secret's), so a person sees what to change.
 */
function describeIssues(error: z.ZodError, env: Env): string[] {
  const byVariable = new Map<string, string[]>();
  for (const issue of error.issues) {
    const variable = String(issue.path[0] ?? 'environment');
    const messages = byVariable.get(variable) ?? [];
    messages.push(issueMessage(issue));
    byVariable.set(variable, messages);
  }
  return [...byVariable.entries()].map(([variable, messages]) => {
    const value = env[variable];
    const shown = value === undefined || /TOKEN|SECRET|KEY/.test(variable) ? '' : ` (got "${value}")`;
    return `${variable}: ${[...new Set(messages)].join('; ')}${shown}`;
  });
}

/** Cross-variable rules that a per-variable schema cannot express. */
function crossChecks(raw: RawEnv, role: ServiceRole): string[] {
  const problems: string[] = [];
  if (role !== 'worker' && raw.DIARIZATION_TOKEN === undefined) {
    problems.push('DIARIZATION_TOKEN: required: set one bearer token, or several separated by commas');
  }
  if (raw.S3_ENDPOINT !== undefined && (raw.S3_ACCESS_KEY_ID === undefined) !== (raw.S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = raw.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    problems.push(`${missing}: required when the other S3 key variable is set`);
  }
  if (raw.REQUEST_HEADERS_TIMEOUT_SECONDS > raw.REQUEST_TIMEOUT_SECONDS) {
    problems.push('REQUEST_HEADERS_TIMEOUT_SECONDS: must not be larger than REQUEST_TIMEOUT_SECONDS');
  }
  if (raw.ORPHAN_SWEEP_INTERVAL_SECONDS > 0 && raw.ORPHAN_GRACE_SECONDS <= raw.REQUEST_IDLE_TIMEOUT_SECONDS) {
    // An upload may pause that long: its temp folder must not look abandoned meanwhile.
    problems.push('ORPHAN_GRACE_SECONDS: must be larger than REQUEST_IDLE_TIMEOUT_SECONDS');
  }
  return problems;
}

function storageConfig(raw: RawEnv, cwd: string): StorageConfig {
  if (raw.S3_ENDPOINT === undefined) return { kind: 'local', dir: resolve(cwd, raw.STORAGE_DIR) };
  return {
    kind: 's3',
    endpoint: raw.S3_ENDPOINT,
    region: raw.S3_REGION,
    bucket: raw.S3_BUCKET,
    accessKeyId: raw.S3_ACCESS_KEY_ID,
    secretAccessKey: raw.S3_SECRET_ACCESS_KEY,
    forcePathStyle: raw.S3_FORCE_PATH_STYLE,
  };
}

/**
 * Reads and validates the configuration. Throws one ConfigError naming every bad variable.
 */
export function loadConfig(env: Env = process.env, role: ServiceRole = 'all', cwd: string = process.cwd()): ServiceConfig {
  const cleaned = withoutEmptyValues(env);
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error, cleaned);
    if (role !== 'worker' && cleaned.DIARIZATION_TOKEN === undefined) {
      problems.push('DIARIZATION_TOKEN: required: set one bearer token, or several separated by commas');
    }
    throw new ConfigError(problems.sort());
  }
  const raw = parsed.data;
  const problems = crossChecks(raw, role);
  if (problems.length > 0) throw new ConfigError(problems.sort());

  return {
    host: raw.DIARIZATION_HOST,
    port: raw.DIARIZATION_PORT,
    tokens: raw.DIARIZATION_TOKEN ?? [],
    metricsTokens: raw.METRICS_TOKEN ?? [],
    redisUrl: raw.REDIS_URL,
    queuePrefix: raw.QUEUE_PREFIX,
    modelsDir: raw.MODELS_DIR === undefined ? undefined : resolve(cwd, raw.MODELS_DIR),
    ffmpegPath: raw.FFMPEG_PATH,
    storage: storageConfig(raw, cwd),
    webhooks: {
      secret: raw.WEBHOOK_SECRET,
      timeoutMs: Math.round(raw.WEBHOOK_TIMEOUT_SECONDS * 1000),
      attempts: raw.WEBHOOK_ATTEMPTS,
      backoffMs: Math.round(raw.WEBHOOK_BACKOFF_SECONDS * 1000),
    },
    maxUploadBytes: raw.MAX_UPLOAD_BYTES,
    audioUrlTimeoutMs: Math.round(raw.AUDIO_URL_TIMEOUT_SECONDS * 1000),
    allowPrivateUrls: raw.ALLOW_PRIVATE_URLS,
    corsOrigins: raw.CORS_ORIGINS,
    syncTimeoutMs: Math.round(raw.SYNC_TIMEOUT_SECONDS * 1000),
    requestLimits: {
      headersTimeoutMs: Math.round(raw.REQUEST_HEADERS_TIMEOUT_SECONDS * 1000),
      idleTimeoutMs: Math.round(raw.REQUEST_IDLE_TIMEOUT_SECONDS * 1000),
      requestTimeoutMs: Math.round(raw.REQUEST_TIMEOUT_SECONDS * 1000),
    },
    worker: {
      concurrency: raw.WORKER_CONCURRENCY,
      executionProvider: raw.EXECUTION_PROVIDER,
      intraOpThreads: raw.INTRA_OP_THREADS,
      maxAudioSeconds: raw.MAX_AUDIO_SECONDS,
      attempts: raw.JOB_ATTEMPTS,
      backoffMs: Math.round(raw.JOB_BACKOFF_SECONDS * 1000),
      lockDurationMs: raw.WORKER_LOCK_DURATION_MS,
      stalledIntervalMs: raw.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: raw.WORKER_MAX_STALLED_COUNT,
      heartbeatSeconds: raw.WORKER_HEARTBEAT_SECONDS,
      shutdownGraceMs: Math.round(raw.SHUTDOWN_GRACE_SECONDS * 1000),
      storageRetryMs: Math.round(raw.STORAGE_RETRY_SECONDS * 1000),
      storageOutageLimitMs: Math.round(raw.STORAGE_OUTAGE_LIMIT_SECONDS * 1000),
    },
    retention: {
      jobTtlSeconds: raw.JOB_TTL_SECONDS,
      deleteAudioAfterSuccess: raw.DELETE_AUDIO_AFTER_SUCCESS,
      orphanGraceMs: Math.round(raw.ORPHAN_GRACE_SECONDS * 1000),
      orphanSweepIntervalMs: Math.round(raw.ORPHAN_SWEEP_INTERVAL_SECONDS * 1000),
    },
    logLevel: raw.LOG_LEVEL,
  };
}

/**
 * For a process entry point: loads the configuration, or prints the one message naming each
 * bad variable (no stack trace) and exits with status 1.
 */
export function loadConfigOrExit(role: ServiceRole, env: Env = process.env): ServiceConfig {
  loadDotEnv(env);
  try {
    return loadConfig(env, role);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Fills unset variables from ./.env (as `npm start` is run); the real environment wins. */
export function loadDotEnv(env: Env, path = resolve(process.cwd(), '.env')): void {
  if (!existsSync(path)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (env[key] === undefined) env[key] = value;
  }
}
