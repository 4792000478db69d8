import { extname } from 'node:path';
import { Queue, type JobsOptions } from 'bullmq';
import type { ServiceConfig } from '@diarization/config';
import type { Redis } from 'ioredis';
import { DIARIZE_QUEUE, WEBHOOK_QUEUE } from './keys';
import type { DiarizeJobData, WebhookJobData } from './schemas';

export interface QueuePolicy {
  attempts: number;
  backoffMs: number;
  /** How long finished BullMQ jobs are kept (the service's own records hold the same TTL). */
  ttlSeconds: number;
}

/** The retry policies of the two queues, from the service's configuration (one place for both). */
export function queuePolicies(config: Pick<ServiceConfig, 'worker' | 'webhooks' | 'retention'>): { diarize: QueuePolicy; webhooks: QueuePolicy } {
  const ttlSeconds = config.retention.jobTtlSeconds;
  return {
    diarize: { attempts: config.worker.attempts, backoffMs: config.worker.backoffMs, ttlSeconds },
    webhooks: { attempts: config.webhooks.attempts, backoffMs: config.webhooks.backoffMs, ttlSeconds },
  };
}

export function diarizeJobOptions(policy: QueuePolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: policy.ttlSeconds },
    removeOnFail: { age: policy.ttlSeconds },
  };
}

export function webhookJobOptions(policy: QueuePolicy): JobsOptions {
  return diarizeJobOptions(policy);
}

export type DiarizeQueue = Queue<DiarizeJobData, unknown, string>;
export type WebhookQueue = Queue<WebhookJobData, unknown, string>;

/**
 * BullMQ re-emits every error of its connection (each failed reconnect while Redis is down) as
 * an 'error' event; with no listener it prints the error with its stack to stderr, and a failing
 * write there (a sandbox child whose worker died: EPIPE) becomes an uncaught exception. So every
 * queue gets a listener.
 */
const ignoreQueueError = (): void => undefined;

export function createDiarizeQueue(connection: Redis, prefix: string, onError: (error: Error) => void = ignoreQueueError): DiarizeQueue {
  const queue = new Queue<DiarizeJobData, unknown, string>(DIARIZE_QUEUE, { connection, prefix });
  queue.on('error', onError);
  return queue;
}

export function createWebhookQueue(connection: Redis, prefix: string, onError: (error: Error) => void = ignoreQueueError): WebhookQueue {
  const queue = new Queue<WebhookJobData, unknown, string>(WEBHOOK_QUEUE, { connection, prefix });
  queue.on('error', onError);
  return queue;
}

/** The extension of an upload's file name worth keeping for its temp copy (".m4a"), or ''. */
export function audioExtension(filename: string | null): string {
  const extension = filename === null ? '' : extname(filename).toLowerCase();
  return /^\.[a-z0-9]{1,10}$/.test(extension) ? extension : '';
}

export async function enqueueDiarization(queue: DiarizeQueue, data: DiarizeJobData, policy: QueuePolicy): Promise<void> {
  // The BullMQ job id is the service's job id, so both sides can find each other.
  await queue.add('diarize', data, { ...diarizeJobOptions(policy), jobId: data.jobId });
}

/** One webhook delivery per job: the fixed BullMQ id makes a second enqueue a no-op. */
export async function enqueueWebhook(queue: WebhookQueue, jobId: string, policy: QueuePolicy): Promise<void> {
  await queue.add('deliver', { jobId }, { ...webhookJobOptions(policy), jobId: `webhook-${jobId}` });
}
