import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys';

/**
 * Puts the records made before the listing index existed (GET /jobs) into their owners'
 * listings, once per deployment: the API runs it at start, and the marker it sets when done
 * makes later starts skip it. NX keeps what create() wrote; several APIs at once are harmless.
 * Returns how many jobs it listed.
 */
export async function indexUnlistedJobs(redis: Redis, keys: RedisKeys, { batch = 500 }: { batch?: number } = {}): Promise<number> {
  if ((await redis.exists(keys.listingBackfilled)) === 1) return 0;
  let listed = 0;
  let cursor = '0';
  do {
    const [next, recordKeys] = await redis.scan(cursor, 'MATCH', keys.recordPattern, 'COUNT', batch);
    cursor = next;
    if (recordKeys.length === 0) continue;
    const read = redis.pipeline();
    for (const key of recordKeys) read.hmget(key, 'id', 'owner', 'created_at');
    const write = redis.pipeline();
    for (const [error, fields] of (await read.exec()) ?? []) {
      if (error) throw error;
      const [id, owner, createdAt] = fields as (string | null)[];
      const score = Date.parse(createdAt ?? '');
      // a record expiring meanwhile reads as empty: nothing to list
      if (!id || !owner || !Number.isFinite(score)) continue;
      write.zadd(keys.ownerJobs(owner), 'NX', score, id).hsetnx(keys.jobOwners, id, owner);
    }
    const results = (await write.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    // every other reply is a ZADD's: 1 when the job was not listed yet
    listed += results.filter((_, index) => index % 2 === 0).reduce((sum, [, added]) => sum + Number(added), 0);
  } while (cursor !== '0');
  await redis.set(keys.listingBackfilled, new Date().toISOString());
  return listed;
}
