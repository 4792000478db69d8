import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHORT_OGG } from '../support/audio';
import { call, uploadJob, waitForJob } from '../support/http';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server';
import { waitFor } from '../support/ports';
import { REPO_ROOT, spawnService, WORKER_MAIN, type SpawnedService } from '../support/processes';
import { parsePrometheusText, sampleSum, sampleValue, type PromScrape } from '../support/prometheus-text';
import { startStack, TOKEN_A, type Stack } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
const DASHBOARD = join(REPO_ROOT, 'deploy/grafana/diarization-dashboard.json');

/** Metric names a PromQL expression reads (series selectors; not functions, labels or keywords). */
function metricNamesIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/"[^"]*"/g, '');
  return [...withoutLabels.matchAll(/\b((?:diarization|process|nodejs)_[a-z0-9_]+)\b/g)].map((match) => match[1]);
}

/** True when the scrape declares the family a queried name belongs to (x_bucket/_sum/_count of a histogram x). */
function declared(scrape: PromScrape, name: string): boolean {
  if (scrape.types.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && ['histogram', 'summary'].includes(scrape.types.get(base) ?? '');
}

describe('GET /metrics of a real cluster (Redis, API, worker processes, real models)', () => {
  let stack: Stack;
  let receiver: LoopbackServer;
  let tmp: TempDir;
  const received: string[] = [];

  async function scrape(baseUrl = stack.api.url): Promise<PromScrape> {
    const response = await call(baseUrl, '/metrics', { token: METRICS_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(response.text);
  }

  beforeAll(async () => {
    tmp = makeTempDir();
    stack = await startStack({ storage: 'local', env: { METRICS_TOKEN } });
    await stack.startWorker();
    // /ok takes webhooks, /broken answers 500 to every one
    receiver = await startLoopbackServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(request.url ?? '');
        response.writeHead(request.url === '/ok' ? 204 : 500).end(request.url === '/ok' ? undefined : 'receiver is broken');
      });
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    tmp?.remove();
  });

  it('answers 401 without its token, and not to an API token', async () => {
    const none = await call(stack.api.url, '/metrics');
    expect(none.status).toBe(401);
    expect(none.body.error).toMatch(/bearer token/);
    const apiToken = await call(stack.api.url, '/metrics', { token: TOKEN_A });
    expect(apiToken.status).toBe(401);
    expect(apiToken.body).toEqual({ error: expect.any(String) });
  });

  it('answers 404 with what to do while METRICS_TOKEN is unset', async () => {
    const off = await stack.startExtraApi({ METRICS_TOKEN: '' });
    const response = await call(off.url, '/metrics', { token: METRICS_TOKEN });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'metrics are off: set METRICS_TOKEN' });
  });

  it('counts a job a worker finished, its duration and RTF, its webhook, the requests and the workers', async () => {
    const before = await scrape();
    expect(sampleValue(before, 'diarization_workers')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(before, 'diarization_jobs', { state: 'succeeded' })).toBe(0);

    const id = await uploadJob(stack.api.url, TOKEN_A, SHORT_OGG, { webhook_url: `${receiver.url}/ok` });
    const job = await waitForJob(stack.api.url, TOKEN_A, id, (body) => (body.webhook as { status?: string } | undefined)?.status === 'delivered');
    expect(job.status).toBe('succeeded');

    const after = await waitFor(
      'the job in the metrics',
      async () => {
        const metrics = await scrape();
        return sampleValue(metrics, 'diarization_job_duration_seconds_count') === 1 ? metrics : false;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(sampleValue(after, 'diarization_jobs', { state: 'succeeded' })).toBe(1);
    expect(sampleValue(after, 'diarization_jobs', { state: 'queued' })).toBe(0);
    expect(sampleValue(after, 'diarization_job_real_time_factor_count')).toBe(1);
    // the RTF is the duration over the audio's length (a few seconds of speech)
    const seconds = Number(sampleValue(after, 'diarization_job_duration_seconds_sum'));
    const rtf = Number(sampleValue(after, 'diarization_job_real_time_factor_sum'));
    const audioSeconds = (job.result as { duration: number }).duration;
    expect(audioSeconds).toBeGreaterThan(1);
    expect(seconds).toBeGreaterThan(0);
    expect(rtf).toBeCloseTo(seconds / audioSeconds, 3);
    expect(sampleValue(after, 'diarization_job_duration_seconds_bucket', { le: '+Inf' })).toBe(1);
    expect(sampleValue(after, 'diarization_webhook_attempts_total', { outcome: 'delivered' })).toBe(1);
    expect(sampleValue(after, 'diarization_webhook_duration_seconds_count')).toBe(1);
    expect(sampleSum(after, 'diarization_webhook_failures_total')).toBe(0);
    expect(sampleValue(after, 'diarization_queue_jobs', { queue: 'diarize', state: 'waiting' })).toBe(0);
    expect(sampleValue(after, 'diarization_queue_jobs', { queue: 'diarize', state: 'active' })).toBe(0);
    expect(sampleValue(after, 'diarization_workers')).toBeGreaterThanOrEqual(1);
    // requests by route pattern: the upload, the polls of /jobs/<id> under one pattern
    expect(sampleValue(after, 'diarization_http_requests_total', { method: 'POST', route: '/jobs', status: '202' })).toBe(1);
    expect(sampleValue(after, 'diarization_http_requests_total', { method: 'GET', route: '/jobs/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'diarization_http_requests_total', { method: 'GET', route: '/metrics', status: '401' })).toBe(2);
    expect(after.samples.some((sample) => sample.labels.route?.includes(id))).toBe(false);
    expect(sampleValue(after, 'diarization_http_request_duration_seconds_count', { method: 'POST', route: '/jobs', status: '202' })).toBe(1);
    expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts the failures of a webhook to a receiver answering 500, by reason', async () => {
    const id = await uploadJob(stack.api.url, TOKEN_A, SHORT_OGG, { webhook_url: `${receiver.url}/broken` });
    // WEBHOOK_ATTEMPTS=3 in the test stack
    await waitForJob(stack.api.url, TOKEN_A, id, (body) => (body.webhook as { status?: string } | undefined)?.status === 'failed');
    const metrics = await waitFor(
      'the failed deliveries in the metrics',
      async () => {
        const scraped = await scrape();
        return sampleValue(scraped, 'diarization_webhook_failures_total', { reason: 'http_5xx' }) === 3 ? scraped : false;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(received.filter((url) => url === '/broken')).toHaveLength(3);
    expect(sampleValue(metrics, 'diarization_webhook_attempts_total', { outcome: 'failed' })).toBe(3);
    expect(sampleValue(metrics, 'diarization_webhook_attempts_total', { outcome: 'delivered' })).toBe(1);
    expect(sampleValue(metrics, 'diarization_webhook_duration_seconds_count')).toBe(4);
    expect(sampleValue(metrics, 'diarization_jobs', { state: 'succeeded' })).toBe(2);
  });

  it('counts a worker that cannot load its models', async () => {
    let broken: SpawnedService | undefined;
    try {
      broken = spawnService(WORKER_MAIN, { ...stack.env, MODELS_DIR: join(tmp.path, 'no-models-here') });
      const metrics = await waitFor(
        'a model load failure in the metrics',
        async () => {
          const scraped = await scrape();
          return (sampleValue(scraped, 'diarization_model_load_failures_total', { stage: 'startup_check' }) ?? 0) >= 1 ? scraped : false;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(metrics.types.get('diarization_model_load_failures_total')).toBe('counter');
    } finally {
      await broken?.kill('SIGKILL');
    }
  });

  it('the Grafana dashboard parses and queries only series a real scrape has', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const queried = new Set(dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => metricNamesIn(target.expr))));
    expect(queried.size).toBeGreaterThan(10);
    const metrics = await scrape();
    const missing = [...queried].filter((name) => !declared(metrics, name));
    expect(missing).toEqual([]);
    // and every series of ours is on the dashboard
    const ours = [...metrics.types.keys()].filter((name) => name.startsWith('diarization_'));
    expect(ours.filter((name) => ![...queried].some((query) => query === name || query.startsWith(`${name}_`)))).toEqual([]);
  });
});
