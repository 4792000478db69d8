import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys';
import { audioExtension, enqueueDiarization, type DiarizeQueue, type QueuePolicy } from './queues';
import type { JobRecordStore } from './records';

/**
 * Queues the new jobs that their API created but did not confirm as queued within `olderThanMs`
 * (it died in between), from their records, and takes them out of the outbox. Queueing twice is
 * harmless: the BullMQ job id is the job's, and a processor skips a job that has ended.
 * Returns how many were queued.
 */
export async function relaySubmitOutbox(
  redis: Redis,
  keys: RedisKeys,
  records: JobRecordStore,
  queue: DiarizeQueue,
  policy: QueuePolicy,
  { olderThanMs, now = Date.now(), batch = 100 }: { olderThanMs: number; now?: number; batch?: number },
): Promise<number> {
  const due = await redis.zrangebyscore(keys.submitOutbox, '-inf', now - olderThanMs, 'LIMIT', 0, batch);
  let queued = 0;
  for (const jobId of due) {
    const record = await records.get(jobId);
    if (record?.status === 'queued') {
      await enqueueDiarization(queue, { jobId, audioKey: record.audioKey, extension: audioExtension(record.filename) }, policy);
      queued++;
    }
    await records.confirmQueued(jobId);
  }
  return queued;
}
