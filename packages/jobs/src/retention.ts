import type { ObjectStore } from '@diarization/storage';
import type { Redis } from 'ioredis';
import { audioObjectKey, resultObjectKey, type RedisKeys } from './keys';

/**
 * Deletes the stored audio and result of jobs whose retention ended. Records expire by their
 * own Redis TTL; objects need this sweep. ZREM decides which sweeper owns an id, so several
 * workers can sweep at once without doing the same work twice.
 */
export async function sweepExpiredObjects(
  redis: Redis,
  keys: RedisKeys,
  store: ObjectStore,
  { now = Date.now(), batch = 100 }: { now?: number; batch?: number } = {},
): Promise<number> {
  const due = await redis.zrangebyscore(keys.expiry, '-inf', now, 'LIMIT', 0, batch);
  let swept = 0;
  for (const jobId of due) {
    if ((await redis.zrem(keys.expiry, jobId)) !== 1) continue;
    await store.delete(audioObjectKey(jobId));
    await store.delete(resultObjectKey(jobId));
    swept++;
  }
  return swept;
}
