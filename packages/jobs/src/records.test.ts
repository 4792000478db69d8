import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { createRedis, parseFinishedEvent, redisReady, JobRecordStore, RedisKeys, sweepExpiredObjects, type NewJobRecord } from './index';
import { LocalObjectStore } from '@diarization/storage';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';
import { newJobRecord } from '../../../test/support/job-records';

describe('parseFinishedEvent', () => {
  it('reads the announcement of a terminal move, and garbage as null', () => {
    expect(parseFinishedEvent('{"id":"a","status":"canceled"}')).toEqual({ id: 'a', status: 'canceled' });
    expect(parseFinishedEvent('not json')).toBeNull();
    expect(parseFinishedEvent('{"id":3}')).toBeNull();
  });
});

describe('JobRecordStore (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let records: JobRecordStore;
  const keys = new RedisKeys('test');

  const newJob = (id: string): NewJobRecord => newJobRecord(id);

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
    records = new JobRecordStore(redis, keys, 3600);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('creates a queued record and reads it back', async () => {
    await records.create(newJob('a'), new Date('2025-01-01T00:00:00Z'));
    expect(await records.get('a')).toMatchObject({
      id: 'a',
      status: 'queued',
      percent: 0,
      createdAt: '2025-01-01T00:00:00.000Z',
      startedAt: null,
      options: { exclusive: false, numSpeakers: 2 },
      webhook: null,
    });
    expect(await records.get('missing')).toBeNull();
  });

  it('keeps the first start time across attempts and counts them', async () => {
    await records.create(newJob('b'));
    await records.markProcessing('b', new Date('2025-01-01T00:00:01Z'));
    await records.markRetrying('b', { code: 'X', message: 'transient' });
    await records.markProcessing('b', new Date('2025-01-01T00:00:09Z'));
    const record = await records.get('b');
    expect(record).toMatchObject({
      status: 'processing',
      startedAt: '2025-01-01T00:00:01.000Z',
      attempts: 2,
      lastError: { code: 'X', message: 'transient' },
    });
  });

  it('records progress only while processing', async () => {
    await records.create(newJob('c'));
    expect(await records.setProgress('c', 'segmentation', 10)).toBe(false);
    await records.markProcessing('c');
    expect(await records.setProgress('c', 'segmentation', 42.4)).toBe(true);
    expect(await records.get('c')).toMatchObject({ stage: 'segmentation', percent: 42 });
  });

  it('lets only one terminal transition win, sets the TTL and announces it', async () => {
    const subscriber = redis.duplicate();
    await redisReady(subscriber);
    const messages: string[] = [];
    await subscriber.subscribe(keys.finishedChannel);
    subscriber.on('message', (_channel, message) => messages.push(message));

    await records.create(newJob('d'));
    await records.markProcessing('d');
    const canceled = await records.markCanceled('d');
    const succeeded = await records.markSucceeded(
      'd',
      { duration: 1, num_speakers: 1, num_segments: 1, exclusive: false, speakers: [] },
      'results/d.json',
    );
    expect(canceled).toEqual({ changed: true, previous: 'processing' });
    expect(succeeded).toEqual({ changed: false, previous: 'canceled' });
    expect((await records.get('d'))?.status).toBe('canceled');
    expect(await redis.ttl(keys.record('d'))).toBeGreaterThan(3500);
    expect(await redis.zscore(keys.expiry, 'd')).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(messages.map((message) => JSON.parse(message))).toEqual([{ id: 'd', status: 'canceled' }]);
    subscriber.disconnect();
  });

  it('does not resurrect an expired record when webhook state arrives late', async () => {
    await records.setWebhookState('gone', {
      url: 'http://x',
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      last_error: null,
      delivered_at: null,
    });
    expect(await redis.exists(keys.record('gone'))).toBe(0);
  });

  describe('retention sweep', () => {
    let dir: TempDir;
    beforeAll(() => {
      dir = makeTempDir();
    });
    afterAll(() => dir.remove());

    it('deletes audio, transcript and result of jobs whose retention ended, once', async () => {
      const store = new LocalObjectStore(dir.path);
      await store.init();
      await store.put('audio/old/original', 'audio');
      await store.put('audio/old/transcript.json', '{}');
      await store.put('results/old.json', '{}');
      await store.put('audio/new/original', 'audio');
      await redis.zadd(keys.expiry, Date.now() - 1000, 'old', Date.now() + 3600_000, 'new');
      expect(await sweepExpiredObjects(redis, keys, store)).toBe(1);
      expect(await store.head('audio/old/original')).toBeNull();
      expect(await store.head('results/old.json')).toBeNull();
      expect(await store.head('audio/old/transcript.json')).toBeNull();
      expect(await store.head('audio/new/original')).not.toBeNull();
      expect(await sweepExpiredObjects(redis, keys, store)).toBe(0);
    });
  });
});
