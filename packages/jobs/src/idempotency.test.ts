import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { claimIdempotencyKey, createRedis, PENDING_TTL_SECONDS, redisReady, type IdempotencyClaim, type IdempotencyOutcome } from './index';

const exists = async () => true;

function claimed(outcome: IdempotencyOutcome): IdempotencyClaim {
  if (outcome.state !== 'claimed') throw new Error(`expected the key to be claimed, got ${JSON.stringify(outcome)}`);
  return outcome.claim;
}

describe('Idempotency-Key claims (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('answers "pending" until the job is queued, then the job id for as long as the job lives', async () => {
    const claim = claimed(await claimIdempotencyKey(redis, 'k1', 'job-1', exists));
    expect(await claimIdempotencyKey(redis, 'k1', 'job-2', exists)).toEqual({ state: 'pending' });
    const pendingTtl = await redis.ttl('k1');
    expect(pendingTtl).toBeGreaterThan(0);
    expect(pendingTtl).toBeLessThanOrEqual(PENDING_TTL_SECONDS);

    await claim.complete(3600);
    expect(await claimIdempotencyKey(redis, 'k1', 'job-3', exists)).toEqual({ state: 'done', jobId: 'job-1' });
    expect(await redis.ttl('k1')).toBeGreaterThan(3500);
  });

  it('frees the key when the submission fails', async () => {
    const claim = claimed(await claimIdempotencyKey(redis, 'k2', 'job-1', exists));
    await claim.release();
    expect((await claimIdempotencyKey(redis, 'k2', 'job-2', exists)).state).toBe('claimed');
  });

  it('lets exactly one of many simultaneous claims win', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => claimIdempotencyKey(redis, 'k3', `job-${i}`, exists)));
    const winners = outcomes.filter((outcome) => outcome.state === 'claimed');
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.state === 'pending')).toHaveLength(19);
    await claimed(winners[0]).release();
  });

  it('takes over a key whose job no longer exists (deleted or expired), exactly once', async () => {
    const first = claimed(await claimIdempotencyKey(redis, 'k5', 'job-deleted', exists));
    await first.complete(3600);
    const gone = async (id: string) => id !== 'job-deleted';
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => claimIdempotencyKey(redis, 'k5', `job-retry-${i}`, gone)));
    const winners = outcomes.filter((outcome) => outcome.state === 'claimed');
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.state === 'pending')).toHaveLength(9);
    await claimed(winners[0]).complete(3600);
    expect((await claimIdempotencyKey(redis, 'k5', 'job-z', gone)).state).toBe('done');
  });

  it('never lets a claim that lost its key overwrite or delete the next owner', async () => {
    const stale = claimed(await claimIdempotencyKey(redis, 'k4', 'job-old', exists));
    await redis.del('k4'); // as if the pending marker had expired (the API process died)
    const fresh = claimed(await claimIdempotencyKey(redis, 'k4', 'job-new', exists));
    await stale.complete(3600);
    await stale.release();
    expect(await claimIdempotencyKey(redis, 'k4', 'job-x', exists)).toEqual({ state: 'pending' });
    await fresh.complete(3600);
    expect(await claimIdempotencyKey(redis, 'k4', 'job-x', exists)).toEqual({ state: 'done', jobId: 'job-new' });
  });
});
