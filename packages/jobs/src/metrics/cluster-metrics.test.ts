import { createServer, type Server } from 'node:http';
import type { Redis } from 'ioredis';
import { ObjectNotFoundError } from '@diarization/storage';
import { startRedis, type TestRedis } from '../../../../test/support/redis-server';
import { freePort } from '../../../../test/support/ports';
import { newJobRecord } from '../../../../test/support/job-records';
import {
  CLUSTER_METRICS,
  ClusterMetrics,
  counterSamples,
  countJobsByStatus,
  createRedis,
  failureOfError,
  failureOfStatus,
  guardedRequest,
  histogramSamples,
  JobRecordStore,
  redisReady,
  RedisKeys,
  UnsafeUrlError,
} from '../index';

describe('cluster metrics in Redis (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  const keys = new RedisKeys('cluster-metrics-test');

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('adds up observations of several recorders (workers) into cumulative buckets', async () => {
    const workerA = new ClusterMetrics(redis, keys);
    const second = redis.duplicate();
    await redisReady(second);
    const workerB = new ClusterMetrics(second, keys);
    await workerA.jobSucceeded({ processingSeconds: 1, audioSeconds: 100 }); // on a bucket bound: counted in it
    await workerB.jobSucceeded({ processingSeconds: 7, audioSeconds: 10 });
    await workerB.jobSucceeded({ processingSeconds: 9000, audioSeconds: 0 }); // above every bound; no audio: no RTF
    const duration = histogramSamples(CLUSTER_METRICS.jobDuration, await redis.hgetall(keys.metric(CLUSTER_METRICS.jobDuration.name)));
    expect(duration).toHaveLength(1);
    const bounds = CLUSTER_METRICS.jobDuration.buckets;
    expect(duration[0].count).toBe(3);
    expect(duration[0].sum).toBe(9008);
    expect(duration[0].cumulative[bounds.indexOf(1)]).toBe(1);
    expect(duration[0].cumulative[bounds.indexOf(5)]).toBe(1);
    expect(duration[0].cumulative[bounds.indexOf(10)]).toBe(2);
    expect(duration[0].cumulative.at(-1)).toBe(2);
    const rtf = histogramSamples(CLUSTER_METRICS.jobRealTimeFactor, await redis.hgetall(keys.metric(CLUSTER_METRICS.jobRealTimeFactor.name)));
    expect(rtf[0]).toMatchObject({ count: 2, sum: 0.71 });
    second.disconnect();
  });

  it('counts by label, and never throws when Redis is gone', async () => {
    const metrics = new ClusterMetrics(redis, keys);
    await metrics.webhookAttempt({ failure: 'timeout', seconds: 10 });
    await metrics.webhookAttempt({ failure: 'timeout', seconds: 10 });
    await metrics.webhookAttempt({ failure: 'refused', seconds: 0.001 });
    const failures = counterSamples(CLUSTER_METRICS.webhookFailures, await redis.hgetall(keys.metric(CLUSTER_METRICS.webhookFailures.name)));
    expect(failures.sort((a, b) => a.labels.reason.localeCompare(b.labels.reason))).toEqual([
      { labels: { reason: 'refused' }, value: 1 },
      { labels: { reason: 'timeout' }, value: 2 },
    ]);

    const errors: unknown[] = [];
    const down = createRedis(`redis://127.0.0.1:${await freePort()}`, { failFast: true });
    await expect(new ClusterMetrics(down, keys, (error) => errors.push(error)).modelLoadFailed('job')).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    down.disconnect();
  });

  it('counts job records by status', async () => {
    const records = new JobRecordStore(redis, keys, 3600);
    await records.create(newJobRecord('j1'));
    await records.create(newJobRecord('j2'));
    await records.create(newJobRecord('j3'));
    await records.markProcessing('j2');
    await records.markProcessing('j3');
    await records.markFailed('j3', { code: 'X', message: 'x' });
    expect(await countJobsByStatus(redis, keys)).toEqual({ queued: 1, processing: 1, succeeded: 0, failed: 1, canceled: 0 });
  });
});

describe('webhook failure reasons', () => {
  let hanging: Server;
  let hangingPort: number;
  beforeAll(async () => {
    hanging = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingPort = (hanging.address() as { port: number }).port;
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  });

  it('classifies answers by status class', () => {
    expect([302, 404, 410, 500, 503].map(failureOfStatus)).toEqual(['http_3xx', 'http_4xx', 'http_4xx', 'http_5xx', 'http_5xx']);
  });

  it('classifies what real requests fail with', async () => {
    const post = (url: string, allowPrivate: boolean, timeoutMs = 5000) =>
      guardedRequest(url, { method: 'POST', label: 'webhook_url', allowPrivate, signal: AbortSignal.timeout(timeoutMs) }).then(
        () => null,
        (error: unknown) => error,
      );
    expect(failureOfError(await post(`http://127.0.0.1:${await freePort()}/hook`, true))).toBe('refused');
    expect(failureOfError(await post(`http://127.0.0.1:${hangingPort}/hook`, true, 200))).toBe('timeout');
    expect(failureOfError(await post('http://127.0.0.1/hook', false))).toBe('unsafe_url');
    expect(failureOfError(new UnsafeUrlError('x'))).toBe('unsafe_url');
    expect(failureOfError(new ObjectNotFoundError('results/x.json'))).toBe('result_missing');
    expect(failureOfError(new Error('socket hang up'))).toBe('network');
  });
});
