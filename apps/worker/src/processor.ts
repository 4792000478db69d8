/**
 * The sandboxed processor: BullMQ runs this file in a child process, so inference never blocks
 * the parent's event loop, which keeps renewing the job locks (no false "stalled" jobs).
 * One engine per child, loaded on its first job and reused for the next ones.
 */
import { createLogger } from '@diarization/config';
import {
  createRedis,
  createWebhookQueue,
  JobRecordStore,
  RedisKeys,
  type QueuePolicy,
  type WebhookQueue,
} from '@diarization/jobs';
import { createObjectStore } from '@diarization/storage';
import type { SandboxedJob } from 'bullmq';
import { configInChild } from './child-config';
import { sharedEngine } from './engine-loader';
import { processDiarizeJob, type AttemptOutcome, type ProcessDeps } from './process-job';

let deps: ProcessDeps | undefined;

function dependencies(): ProcessDeps {
  if (deps !== undefined) return deps;
  const config = configInChild();
  const logger = createLogger(config.logLevel, { component: 'worker-child', pid: process.pid });
  const redis = createRedis(config.redisUrl, { failFast: false, onError: (error) => logger.debug('redis error', { error }) });
  const webhooks: WebhookQueue = createWebhookQueue(redis, config.queuePrefix);
  const webhookPolicy: QueuePolicy = {
    attempts: config.webhooks.attempts,
    backoffMs: config.webhooks.backoffMs,
    ttlSeconds: config.retention.jobTtlSeconds,
  };
  deps = {
    records: new JobRecordStore(redis, new RedisKeys(config.queuePrefix), config.retention.jobTtlSeconds),
    store: createObjectStore(config.storage),
    webhooks,
    webhookPolicy,
    engine: () => sharedEngine(config),
    deleteAudioAfterSuccess: config.retention.deleteAudioAfterSuccess,
    logger,
  };
  return deps;
}

export default async function diarizeProcessor(job: SandboxedJob, token?: string, signal?: AbortSignal): Promise<AttemptOutcome> {
  return processDiarizeJob(job, token, signal, dependencies());
}
