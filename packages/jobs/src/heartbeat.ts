import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './keys';

export const workerHeartbeatSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  started_at: z.string(),
  models_loaded: z.boolean(),
  model_error: z.string().nullable(),
  execution_provider: z.string(),
  concurrency: z.number().int(),
  models: z
    .object({
      segmentation: z.string(),
      embedding: z.string(),
      /** The embedding model's reference (`id@sha256-prefix`), as voiceprints made with it carry it. */
      embedding_model: z.string().optional(),
    })
    .nullable(),
});
export type WorkerHeartbeat = z.output<typeof workerHeartbeatSchema>;

/** A worker announces itself; the key expires when it stops refreshing it. */
export async function writeHeartbeat(redis: Redis, keys: RedisKeys, heartbeat: WorkerHeartbeat, ttlSeconds: number): Promise<void> {
  await redis.set(keys.worker(heartbeat.id), JSON.stringify(heartbeat), 'EX', ttlSeconds);
}

export async function removeHeartbeat(redis: Redis, keys: RedisKeys, workerId: string): Promise<void> {
  await redis.del(keys.worker(workerId));
}

/** Live workers (those whose heartbeat has not expired). */
export async function listWorkers(redis: Redis, keys: RedisKeys): Promise<WorkerHeartbeat[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.workerPattern, 'COUNT', 100);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  if (found.length === 0) return [];
  const values = await redis.mget(found);
  const workers: WorkerHeartbeat[] = [];
  for (const value of values) {
    if (value === null) continue;
    const parsed = workerHeartbeatSchema.safeParse(JSON.parse(value));
    if (parsed.success) workers.push(parsed.data);
  }
  return workers;
}
