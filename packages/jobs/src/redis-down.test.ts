import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { waitFor } from '../../../test/support/ports';
import { coalesce, createDiarizeQueue, createRedis, createWebhookQueue, redisReady } from './index';

/** While Redis is down (a real redis-server, stopped), and once it is back on the same port. */
describe('connections to a Redis that is down (real redis-server, stopped)', () => {
  let server: TestRedis;
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const redis = createRedis(server.url, { failFast: false });
    connections.push(redis);
    return redis;
  };

  beforeEach(async () => {
    server = await startRedis();
    await server.stop();
  });
  afterEach(async () => {
    connections.splice(0).forEach((redis) => redis.disconnect());
    await server.stop();
    jest.restoreAllMocks();
  });

  it('queues report every failed reconnect to their listener, never to the console', async () => {
    // Unlistened, BullMQ prints each one with its stack to stderr; in a sandbox child whose
    // worker died, that write fails (EPIPE) and started an uncaught-exception loop.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const consoleWarn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const redis = connect();
    const errors: string[] = [];
    const webhooks = createWebhookQueue(redis, 'down', (error) => errors.push(error.message));
    const diarize = createDiarizeQueue(redis, 'down');

    await waitFor('three failed reconnects', async () => errors.length >= 3, { timeoutMs: 5000, intervalMs: 20 });
    expect(errors[0]).toMatch(/ECONNREFUSED/);
    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();

    await server.start();
    await redisReady(redis);
    await webhooks.add('deliver', { jobId: 'j1' }, { jobId: 'webhook-j1' });
    expect(await webhooks.getJobCounts('waiting')).toEqual({ waiting: 1 });
    await Promise.all([webhooks.close(), diarize.close()]);
  });

  it('a coalesced periodic write keeps one command waiting while Redis is down, not one per tick', async () => {
    const redis = connect();
    let runs = 0;
    const beat = coalesce(async () => {
      runs += 1;
      await redis.set('heartbeat', String(runs));
    });
    // 50 ticks of a 20 ms timer while nothing answers: one write waits, one more is pending.
    const ticks: Promise<void>[] = [];
    for (let tick = 0; tick < 50; tick++) {
      ticks.push(beat());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(runs).toBe(1);
    expect(new Set(ticks.slice(1)).size).toBe(1);

    await server.start();
    await Promise.all(ticks);
    // The waiting write, then one more with the state of the moment: the latest wins.
    expect(runs).toBe(2);
    expect(await redis.get('heartbeat')).toBe('2');
    await beat();
    expect(runs).toBe(3);
  });
});

describe('coalesce', () => {
  it('runs the waiting call after a run that failed', async () => {
    let runs = 0;
    const task = coalesce(async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (runs === 1) throw new Error('first run failed');
    });
    const first = task();
    const second = task();
    await expect(first).rejects.toThrow('first run failed');
    await expect(second).resolves.toBeUndefined();
    expect(runs).toBe(2);
  });
});
