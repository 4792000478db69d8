import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { createRedis, redisReady, RedisKeys, VoiceprintStore, voiceprintLabelSchema, type Voiceprint } from './index';

const voiceprint = (id: string, label: string, createdAt: string): Voiceprint => ({
  id,
  label,
  model: 'openvoice-refenc@0123456789ab',
  embedding: [0.1, -0.2, 0.3],
  created_at: createdAt,
  source: { kind: 'clip', speech_seconds: 5 },
});

describe('VoiceprintStore (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: VoiceprintStore;

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
    store = new VoiceprintStore(redis, new RedisKeys('test'));
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('keeps each owner to their own voiceprints, listed oldest first', async () => {
    await store.add('alice', voiceprint('v2', 'Bob', '2026-01-02T00:00:00Z'));
    await store.add('alice', voiceprint('v1', 'Alice', '2026-01-01T00:00:00Z'));
    await store.add('mallory', voiceprint('v3', 'Eve', '2026-01-01T00:00:00Z'));
    expect((await store.list('alice')).map((v) => v.id)).toEqual(['v1', 'v2']);
    expect(await store.get('mallory', 'v1')).toBeNull();
    expect(await store.get('alice', 'v1')).toEqual(voiceprint('v1', 'Alice', '2026-01-01T00:00:00Z'));
    expect(await store.count('alice')).toBe(2);
  });

  it('resolves the ids that still exist and are the owner\'s', async () => {
    expect((await store.getMany('alice', ['v2', 'gone', 'v3'])).map((v) => v.id)).toEqual(['v2']);
    expect(await store.getMany('alice', [])).toEqual([]);
  });

  it('deletes only the owner\'s voiceprint', async () => {
    expect(await store.remove('mallory', 'v1')).toBe(false);
    expect(await store.remove('alice', 'v1')).toBe(true);
    expect(await store.get('alice', 'v1')).toBeNull();
  });

  it('tracks an enrollment until its voiceprint is saved, or its failure', async () => {
    await store.startEnrollment('v9', 'alice');
    expect(await store.enrollment('v9')).toEqual({ owner: 'alice', status: 'pending' });
    await store.add('alice', voiceprint('v9', 'Carol', '2026-01-03T00:00:00Z'));
    expect(await store.enrollment('v9')).toBeNull();

    await store.startEnrollment('v10', 'alice');
    await store.failEnrollment('v10', 'alice', { code: 'NOT_ENOUGH_SPEECH', message: 'no speech' });
    expect(await store.enrollment('v10')).toEqual({ owner: 'alice', status: 'failed', error: { code: 'NOT_ENOUGH_SPEECH', message: 'no speech' } });
    expect(await redis.ttl(new RedisKeys('test').voiceprintEnrollment('v10'))).toBeGreaterThan(0);
  });

  it('checks labels', () => {
    expect(voiceprintLabelSchema.parse('  Alice ')).toBe('Alice');
    expect(voiceprintLabelSchema.safeParse('').error?.issues[0]?.message).toBe('label must not be empty');
    expect(voiceprintLabelSchema.safeParse('x'.repeat(101)).error?.issues[0]?.message).toBe('label must be at most 100 characters');
    expect(voiceprintLabelSchema.safeParse('a\nb').error?.issues[0]?.message).toBe('label must not contain control characters');
  });
});
