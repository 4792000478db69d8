import type { Redis } from 'ioredis';
import { newJobRecord } from '../../../test/support/job-records';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { createDiarizeQueue, createRedis, JobRecordStore, redisReady, RedisKeys, relaySubmitOutbox, type DiarizeQueue, type NewJobRecord } from './index';

/**
 * A job whose API died between writing its record and queueing it must not stay "queued"
 * forever: the record goes into the submission outbox with it, and a worker queues it later.
 */
describe('submission outbox (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let records: JobRecordStore;
  let queue: DiarizeQueue;
  const keys = new RedisKeys('submit-test');
  const policy = { attempts: 2, backoffMs: 100, ttlSeconds: 3600 };
  const outbox = () => redis.zrange(keys.submitOutbox, 0, -1);
  const job = (id: string): NewJobRecord => newJobRecord(id, { filename: 'Meeting.M4A' });

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
    records = new JobRecordStore(redis, keys, 3600);
    queue = createDiarizeQueue(redis, keys.prefix);
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await server.stop();
  });

  it('holds a new record until the API confirms it queued the job', async () => {
    await records.create(job('confirmed'));
    expect(await outbox()).toEqual(['confirmed']);
    await records.confirmQueued('confirmed');
    expect(await outbox()).toEqual([]);
  });

  it('queues, from its record, a job its API created but never queued, once it is old enough', async () => {
    const created = Date.now();
    await records.create(job('orphaned'), new Date(created));
    // still young: the API may be queueing it right now
    expect(await relaySubmitOutbox(redis, keys, records, queue, policy, { olderThanMs: 30_000, now: created + 1000 })).toBe(0);
    expect(await relaySubmitOutbox(redis, keys, records, queue, policy, { olderThanMs: 30_000, now: created + 31_000 })).toBe(1);
    const queued = await queue.getJob('orphaned');
    expect(queued?.data).toEqual({ jobId: 'orphaned', audioKey: 'audio/orphaned/original', extension: '.m4a' });
    expect(queued?.opts.attempts).toBe(2);
    expect(await outbox()).toEqual([]);
  });

  it('drops entries of jobs that were removed or have already moved on', async () => {
    await records.create(job('removed'));
    await records.remove('removed');
    expect(await outbox()).toEqual([]);
    await records.create(job('started'));
    await records.markProcessing('started');
    expect(await relaySubmitOutbox(redis, keys, records, queue, policy, { olderThanMs: 0, now: Date.now() + 1 })).toBe(0);
    expect(await outbox()).toEqual([]);
    expect(await queue.getJob('started')).toBeUndefined();
  });
});
