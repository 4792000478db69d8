/** BullMQ queue names. */
export const DIARIZE_QUEUE = 'diarize';
export const WEBHOOK_QUEUE = 'webhooks';

/** Redis keys of the service's own records, under the same prefix as its BullMQ queues. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  record(jobId: string): string {
    return `${this.prefix}:records:${jobId}`;
  }

  idempotency(ownerHash: string, keyHash: string): string {
    return `${this.prefix}:idempotency:${ownerHash}:${keyHash}`;
  }

  worker(workerId: string): string {
    return `${this.prefix}:workers:${workerId}`;
  }

  get workerPattern(): string {
    return `${this.prefix}:workers:*`;
  }

  /** Sorted set of finished job ids scored by when their stored objects expire. */
  get expiry(): string {
    return `${this.prefix}:expiry`;
  }

  /**
   * Outbox: ids of new jobs not yet confirmed in the diarize queue, scored by creation time.
   * Written with the record; a job whose API died before queueing it is queued by relaySubmitOutbox.
   */
  get submitOutbox(): string {
    return `${this.prefix}:submit-outbox`;
  }

  /**
   * Outbox: ids of finished jobs whose webhook must be queued, scored by when they finished.
   * Written by the same atomic step that finishes the job; emptied by relayWebhookOutbox.
   */
  get webhookOutbox(): string {
    return `${this.prefix}:webhook-outbox`;
  }

  /** Pub/sub: `{id, status}` when a job reaches a terminal state. */
  get finishedChannel(): string {
    return `${this.prefix}:events:finished`;
  }

}

/** Storage keys: the original upload and the result of one job. */
export function audioObjectKey(jobId: string): string {
  return `audio/${jobId}/original`;
}

export function resultObjectKey(jobId: string): string {
  return `results/${jobId}.json`;
}
