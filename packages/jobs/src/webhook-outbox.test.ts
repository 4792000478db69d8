import type { Redis } from 'ioredis';
import { newJobRecord } from '../../../test/support/job-records';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { createRedis, createWebhookQueue, JobRecordStore, redisReady, RedisKeys, relayWebhookOutbox, type NewJobRecord, type WebhookQueue } from './index';

/**
 * A finished job's webhook cannot be lost between finishing the job and queueing the webhook:
 * the transition that finishes the job puts it into the outbox in the same atomic step.
 */
describe('webhook outbox (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let records: JobRecordStore;
  let queue: WebhookQueue;
  const keys = new RedisKeys('outbox-test');
  const policy = { attempts: 3, backoffMs: 100, ttlSeconds: 3600 };

  const job = (id: string, webhookUrl: string | null): NewJobRecord => newJobRecord(id, { webhookUrl });
  const outbox = () => redis.zrange(keys.webhookOutbox, 0, -1);

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
    records = new JobRecordStore(redis, keys, 3600);
    queue = createWebhookQueue(redis, keys.prefix);
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await server.stop();
  });

  it('is filled by the transitions that finish a job with a webhook, and only by them', async () => {
    await records.create(job('with-hook', 'https://app.example.com/hooks'));
    await records.create(job('no-hook', null));
    await records.create(job('canceled-hook', 'https://app.example.com/hooks'));
    await records.markProcessing('with-hook');
    await records.markRetrying('with-hook', { code: 'X', message: 'x' });
    expect(await outbox()).toEqual([]);
    await records.markProcessing('with-hook');
    await records.markFailed('with-hook', { code: 'X', message: 'x' });
    await records.markFailed('no-hook', { code: 'X', message: 'x' });
    await records.markCanceled('canceled-hook');
    expect((await outbox()).sort()).toEqual(['canceled-hook', 'with-hook']);
  });

  it('is relayed to the webhook queue once, even when relayed twice or by two relays at once', async () => {
    await Promise.all([relayWebhookOutbox(redis, keys, queue, policy), relayWebhookOutbox(redis, keys, queue, policy)]);
    expect(await relayWebhookOutbox(redis, keys, queue, policy)).toBe(0);
    expect(await outbox()).toEqual([]);
    const queued = await queue.getJobs(['waiting', 'delayed', 'active']);
    expect(queued.map((j) => j.data.jobId).sort()).toEqual(['canceled-hook', 'with-hook']);
  });

  it('relays a long outbox in batches', async () => {
    for (let i = 0; i < 7; i++) {
      await records.create(job(`many-${i}`, 'https://app.example.com/hooks'));
      await records.markCanceled(`many-${i}`);
    }
    expect(await relayWebhookOutbox(redis, keys, queue, policy, { batch: 3 })).toBe(7);
    expect(await outbox()).toEqual([]);
  });
});
