/**
 * Every Prometheus series the service exports, in one place: name, help, labels, buckets.
 * The cluster metrics are written to Redis by the workers (cluster-metrics.ts) and exported by
 * the API; the API metrics are the API process's own or read from Redis at scrape time
 * (apps/api/src/metrics.ts). The README's "Metrics" table and the Grafana dashboard follow this list.
 */

export interface CounterDefinition<Label extends string = string> {
  type: 'counter';
  name: string;
  help: string;
  labelNames: readonly Label[];
}

export interface HistogramDefinition<Label extends string = string> {
  type: 'histogram';
  name: string;
  help: string;
  labelNames: readonly Label[];
  /** Upper bounds, ascending (+Inf is implied). */
  buckets: readonly number[];
}

export interface GaugeDefinition<Label extends string = string> {
  type: 'gauge';
  name: string;
  help: string;
  labelNames: readonly Label[];
}

export type MetricDefinition = CounterDefinition | HistogramDefinition | GaugeDefinition;

/** Why a webhook delivery attempt failed (label `reason` of diarization_webhook_failures_total). */
export const WEBHOOK_FAILURE_REASONS = ['http_3xx', 'http_4xx', 'http_5xx', 'timeout', 'refused', 'unsafe_url', 'network', 'result_missing', 'no_secret'] as const;
export type WebhookFailureReason = (typeof WEBHOOK_FAILURE_REASONS)[number];

/** Where a model load failed: the worker's start-up check, or a job's engine load in a sandbox child. */
export const MODEL_LOAD_STAGES = ['startup_check', 'job'] as const;
export type ModelLoadStage = (typeof MODEL_LOAD_STAGES)[number];

/** Observed in worker processes, kept in Redis, exported by the API: one scrape sees the whole cluster. */
export const CLUSTER_METRICS = {
  jobDuration: {
    type: 'histogram',
    name: 'diarization_job_duration_seconds',
    help: 'Wall time of the attempt that finished a succeeded job (audio download, diarization, result upload), as observed by the workers.',
    labelNames: [],
    buckets: [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
  },
  jobRealTimeFactor: {
    type: 'histogram',
    name: 'diarization_job_real_time_factor',
    help: 'Processing seconds per second of audio of succeeded jobs (below 1: faster than real time).',
    labelNames: [],
    buckets: [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 5],
  },
  webhookAttempts: {
    type: 'counter',
    name: 'diarization_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome (delivered or failed).',
    labelNames: ['outcome'],
  },
  webhookFailures: {
    type: 'counter',
    name: 'diarization_webhook_failures_total',
    help: `Failed webhook delivery attempts, by reason (${WEBHOOK_FAILURE_REASONS.join(', ')}).`,
    labelNames: ['reason'],
  },
  webhookDuration: {
    type: 'histogram',
    name: 'diarization_webhook_duration_seconds',
    help: 'Time from sending a webhook to its answer (or to the error), per attempt.',
    labelNames: [],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  modelLoadFailures: {
    type: 'counter',
    name: 'diarization_model_load_failures_total',
    help: 'Failed model loads in workers, by stage (startup_check: the worker start-up check; job: a sandbox child loading the engine for a job).',
    labelNames: ['stage'],
  },
} as const satisfies Record<string, MetricDefinition>;

/** The API process's own series, or read from Redis and BullMQ when Prometheus scrapes. */
export const API_METRICS = {
  httpRequests: {
    type: 'counter',
    name: 'diarization_http_requests_total',
    help: 'HTTP requests answered by this API process, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
  },
  httpDuration: {
    type: 'histogram',
    name: 'diarization_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (until the response headers), by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  },
  jobs: {
    type: 'gauge',
    name: 'diarization_jobs',
    help: 'Job records in Redis by state (finished ones until their retention ends), counted at scrape time.',
    labelNames: ['state'],
  },
  queueJobs: {
    type: 'gauge',
    name: 'diarization_queue_jobs',
    help: 'Jobs in a BullMQ queue by queue state (waiting, active, delayed), read at scrape time.',
    labelNames: ['queue', 'state'],
  },
  workers: {
    type: 'gauge',
    name: 'diarization_workers',
    help: 'Live worker processes (heartbeat not expired), read at scrape time.',
    labelNames: [],
  },
} as const satisfies Record<string, MetricDefinition>;

/** Queue states reported by diarization_queue_jobs. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed'] as const;
