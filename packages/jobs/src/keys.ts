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

  /**
   * Listing index: one owner's job ids scored by creation time (epoch ms), for GET /jobs.
   * Written with the record; ids whose record expired are dropped by the listing and the sweeper.
   */
  ownerJobs(ownerHash: string): string {
    return `${this.prefix}:owner-jobs:${ownerHash}`;
  }

  /** Set once every record made before the listing index existed is in it (indexUnlistedJobs). */
  get listingBackfilled(): string {
    return `${this.prefix}:migrations:owner-jobs-backfilled`;
  }

  /** Every job record (the metrics count them by status at scrape time). */
  get recordPattern(): string {
    return `${this.prefix}:records:*`;
  }

  /** Hash: one cluster-wide metric (counter or histogram) that workers write and the API exports. */
  metric(name: string): string {
    return `${this.prefix}:metrics:${name}`;
  }

  /** Hash: job id → owner hash, so that whoever forgets a job can find its listing index. */
  get jobOwners(): string {
    return `${this.prefix}:job-owners`;
  }

  /** Pub/sub: `{id, status}` when a job reaches a terminal state. */
  get finishedChannel(): string {
    return `${this.prefix}:events:finished`;
  }

  /** Hash: one owner's voiceprints, id → JSON (voiceprints.ts). */
  voiceprints(ownerHash: string): string {
    return `${this.prefix}:voiceprints:${ownerHash}`;
  }

  /** A voiceprint being made from a clip by a worker: its state, for the API to wait on and answer. */
  voiceprintEnrollment(voiceprintId: string): string {
    return `${this.prefix}:voiceprint-enrollments:${voiceprintId}`;
  }

}

/** Storage keys: the original upload and the result of one job. */
export function audioObjectKey(jobId: string): string {
  return `audio/${jobId}/original`;
}

/**
 * The parsed transcript sent with a job, beside its audio (so the orphan sweep knows it): the
 * worker deletes it once the result holds the attributed transcript, or the job failed.
 */
export function transcriptObjectKey(jobId: string): string {
  return `audio/${jobId}/transcript.json`;
}

export function resultObjectKey(jobId: string): string {
  return `results/${jobId}.json`;
}

/** Every object a job can leave in storage, deleted together when the job goes (deleteJobObjects). */
export function jobObjectKeys(jobId: string): string[] {
  return [audioObjectKey(jobId), transcriptObjectKey(jobId), resultObjectKey(jobId)];
}
