import { loadConfig, silentLogger } from '@diarization/config';
import { ClusterMetrics, JobRecordStore, redisReady, writeHeartbeat } from '@diarization/jobs';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';
import { newJobRecord } from '../../../test/support/job-records';
import { parsePrometheusText, sampleSum, sampleValue, type PromScrape } from '../../../test/support/prometheus-text';
import { createApp } from './app';
import { createApiServices, type ApiServices } from './services';

const TOKEN = 'api-token-0123456789abcdef';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('GET /metrics (real Redis)', () => {
  let redis: TestRedis;
  let dir: TempDir;
  const opened: ApiServices[] = [];

  const servicesWith = async (env: Record<string, string>): Promise<ApiServices> => {
    const config = loadConfig({ DIARIZATION_TOKEN: TOKEN, REDIS_URL: redis.url, STORAGE_DIR: dir.path, QUEUE_PREFIX: 'metrics-unit', ...env }, 'api');
    const services = createApiServices(config, silentLogger);
    opened.push(services);
    await redisReady(services.redis);
    return services;
  };

  async function scrape(app: ReturnType<typeof createApp>): Promise<PromScrape> {
    const response = await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  }

  beforeAll(async () => {
    redis = await startRedis();
    dir = makeTempDir();
  });
  afterAll(async () => {
    await Promise.all(opened.map((services) => services.close()));
    await redis.close();
    dir.remove();
  });

  it('is off (404 with what to do) while METRICS_TOKEN is unset', async () => {
    const app = createApp(await servicesWith({}));
    const response = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'metrics are off: set METRICS_TOKEN' });
  });

  it('wants its own token: none, or the API token, is 401 JSON', async () => {
    const app = createApp(await servicesWith({ METRICS_TOKEN }));
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
      const response = await app.request('/metrics', { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/bearer token/) });
    }
  });

  it('counts requests by route pattern, never by raw path', async () => {
    const app = createApp(await servicesWith({ METRICS_TOKEN }));
    await app.request('/jobs/0b0f5d4c-4a4f-4b8e-9a57-8f1d0c7e3a21', { headers: { authorization: `Bearer ${TOKEN}` } });
    await app.request('/jobs/another-id'); // 401 from the auth middleware: still the handler's pattern
    await app.request('/no/such/path/123');
    const metrics = await scrape(app);
    expect(sampleValue(metrics, 'diarization_http_requests_total', { method: 'GET', route: '/jobs/:id', status: '404' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_http_requests_total', { method: 'GET', route: '/jobs/:id', status: '401' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_http_request_duration_seconds_count', { route: '/jobs/:id', status: '404' })).toBe(1);
    const routes = new Set(metrics.samples.filter((sample) => sample.name === 'diarization_http_requests_total').map((sample) => sample.labels.route));
    expect([...routes].some((route) => /another-id|0b0f5d4c|no\/such/.test(route))).toBe(false);
    // the scrape itself shows up (in the next one), under its own pattern
    expect(sampleValue(await scrape(app), 'diarization_http_requests_total', { route: '/metrics', status: '200' })).toBe(1);
    // process metrics of the API
    expect(metrics.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(metrics.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('exports what the workers recorded in Redis, jobs by state, queue depth and live workers', async () => {
    const services = await servicesWith({ METRICS_TOKEN, QUEUE_PREFIX: 'metrics-cluster' });
    const app = createApp(services);
    const recorder = new ClusterMetrics(services.redis, services.keys);
    await recorder.jobSucceeded({ processingSeconds: 3, audioSeconds: 30 });
    await recorder.jobSucceeded({ processingSeconds: 90, audioSeconds: 60 });
    await recorder.webhookAttempt({ failure: null, seconds: 0.02 });
    await recorder.webhookAttempt({ failure: 'http_5xx', seconds: 0.3 });
    await recorder.webhookAttempt({ failure: 'no_secret', seconds: null });
    await recorder.modelLoadFailed('startup_check');
    const records = new JobRecordStore(services.redis, services.keys, 3600);
    await records.create(newJobRecord('q1'));
    await records.create(newJobRecord('s1'));
    await records.markProcessing('s1');
    await records.markCanceled('s1');
    await writeHeartbeat(
      services.redis,
      services.keys,
      { id: 'w1', hostname: 'h', pid: 1, started_at: '', models_loaded: true, model_error: null, execution_provider: 'cpu', concurrency: 1, models: null },
      30,
    );
    await services.diarizeQueue.add('diarize', { jobId: 'q1', audioKey: 'a', extension: '' }, { jobId: 'q1', delay: 60_000 });

    const metrics = await scrape(app);
    expect(metrics.types.get('diarization_job_duration_seconds')).toBe('histogram');
    expect(sampleValue(metrics, 'diarization_job_duration_seconds_count')).toBe(2);
    expect(sampleValue(metrics, 'diarization_job_duration_seconds_sum')).toBe(93);
    expect(sampleValue(metrics, 'diarization_job_duration_seconds_bucket', { le: '5' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_job_duration_seconds_bucket', { le: '120' })).toBe(2);
    expect(sampleValue(metrics, 'diarization_job_duration_seconds_bucket', { le: '+Inf' })).toBe(2);
    expect(sampleValue(metrics, 'diarization_job_real_time_factor_bucket', { le: '0.1' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_job_real_time_factor_bucket', { le: '1.5' })).toBe(2);
    expect(sampleValue(metrics, 'diarization_webhook_attempts_total', { outcome: 'delivered' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_webhook_attempts_total', { outcome: 'failed' })).toBe(2);
    expect(sampleValue(metrics, 'diarization_webhook_failures_total', { reason: 'http_5xx' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_webhook_failures_total', { reason: 'no_secret' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_webhook_duration_seconds_count')).toBe(2);
    expect(sampleValue(metrics, 'diarization_model_load_failures_total', { stage: 'startup_check' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_jobs', { state: 'queued' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_jobs', { state: 'canceled' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_jobs', { state: 'succeeded' })).toBe(0);
    expect(sampleValue(metrics, 'diarization_queue_jobs', { queue: 'diarize', state: 'delayed' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_queue_jobs', { queue: 'diarize', state: 'waiting' })).toBe(0);
    expect(sampleValue(metrics, 'diarization_workers')).toBe(1);
    // a second scrape reads Redis again and does not add up the first
    await recorder.modelLoadFailed('startup_check');
    const again = await scrape(app);
    expect(sampleValue(again, 'diarization_model_load_failures_total', { stage: 'startup_check' })).toBe(2);
    expect(sampleSum(again, 'diarization_webhook_attempts_total')).toBe(3);
  });
});
