import type { Redis } from 'ioredis';
import type { RedisKeys } from '../keys';
import { JOB_STATUSES, type JobStatus } from '../schemas';

const SCAN_COUNT = 1000;

/**
 * Job records by status, counted when Prometheus scrapes: a SCAN of the record keys and one
 * pipelined HGET per record. Finished records count until their retention (JOB_TTL_SECONDS)
 * ends. The cost grows with the records kept (about 1 ms per thousand), which is why the
 * metric is read at scrape time and not kept up to date on every transition.
 */
export async function countJobsByStatus(redis: Redis, keys: RedisKeys): Promise<Record<JobStatus, number>> {
  const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.recordPattern, 'COUNT', SCAN_COUNT);
    cursor = next;
    if (found.length === 0) continue;
    const pipeline = redis.pipeline();
    for (const key of found) pipeline.hget(key, 'status');
    for (const [error, status] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      // a record that expired between SCAN and HGET reads as null
      if (typeof status === 'string' && status in counts) counts[status as JobStatus]++;
    }
  } while (cursor !== '0');
  return counts;
}
