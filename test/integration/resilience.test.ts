import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { audioObjectKey, createRedis, JobRecordStore, redisReady, RedisKeys, resultObjectKey } from '@diarization/jobs';
import { createObjectStore } from '@diarization/storage';
import { longAudio, SHORT_OGG } from '../support/audio';
import { audioForm, call, uploadJob, waitForJob } from '../support/http';
import { waitFor } from '../support/ports';
import { childPids, isRunning, killIfRunning } from '../support/processes';
import { configFrom, startStack, TOKEN_A, type Stack } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const isProcessing = (job: Record<string, unknown>): boolean =>
  job.status === 'processing' && Number((job.progress as { percent: number }).percent) > 0;

describe('resilience (local storage, workers as separate processes)', () => {
  let stack: Stack;
  let api: string;
  let tmp: TempDir;
  /** 180 s: still running after SHUTDOWN_GRACE_SECONDS, even on a fast machine. */
  let longFile: string;
  /** 90 s: enough to be killed mid-job, and half the time to finish on the next worker. */
  let mediumFile: string;
  /** Receives webhooks: the job ids of the deliveries, in order. */
  let hooks: Server;
  let hooksUrl: string;
  const delivered: string[] = [];

  beforeAll(async () => {
    tmp = makeTempDir();
    longFile = longAudio(tmp.path, 6);
    mediumFile = longAudio(tmp.path, 3);
    stack = await startStack({ storage: 'local' });
    api = stack.api.url;
    hooks = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        delivered.push(String((JSON.parse(body) as { id?: unknown }).id));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
  });
  const storedAudio = (): string[] => {
    const audioDir = join(stack.env.STORAGE_DIR, 'audio');
    return existsSync(audioDir) ? readdirSync(audioDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name) : [];
  };

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => hooks?.close(resolve));
    tmp?.remove();
  });

  it('finishes a job whose worker was killed (SIGKILL) mid-job on another worker', async () => {
    const first = await stack.startWorker();
    const id = await uploadJob(api, TOKEN_A, mediumFile);
    await waitForJob(api, TOKEN_A, id, isProcessing);
    await first.kill('SIGKILL');

    const second = await stack.startWorker();
    const job = await waitForJob(api, TOKEN_A, id, undefined, 120_000);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ duration: 90 });
    // Two attempts were started; the second worker ran the second one.
    // The child's log lines reach us through two pipes: wait for them rather than race them.
    await second.waitForOutput(new RegExp(`"job succeeded".*"job_id":"${id}"|"job_id":"${id}".*"job succeeded"`), 10_000);
    expect(second.output()).toContain(`"job_id":"${id}","attempt":1`);
    await second.kill('SIGKILL');
  });

  it("with the default lock settings, takes a killed worker's job back within 35 s and never calls a long healthy job stalled", async () => {
    const defaults = { WORKER_LOCK_DURATION_MS: undefined, WORKER_STALLED_INTERVAL_MS: undefined };
    const first = await stack.startWorker(defaults);
    // 20 minutes of audio: still running well past the 10 s lock on any machine
    const id = await uploadJob(api, TOKEN_A, longAudio(tmp.path, 40));
    await waitForJob(api, TOKEN_A, id, isProcessing);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).body).toMatchObject({ status: 'processing' });
    expect(first.output()).not.toContain('job stalled');

    await first.kill('SIGKILL');
    const killedAt = performance.now();
    const second = await stack.startWorker(defaults);
    await second.waitForOutput(new RegExp(`"job_id":"${id}","attempt":1`), 60_000);
    const recoverySeconds = (performance.now() - killedAt) / 1000;
    expect(recoverySeconds).toBeLessThanOrEqual(35);
    await second.kill('SIGKILL');
    // leave nothing behind for the next tests: the 20-minute job is not needed any further
    expect((await call(api, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_A })).status).toBe(200);
  });

  it('when only the worker process is killed (SIGKILL, not its group), its sandbox child exits and another worker finishes the job once', async () => {
    const first = await stack.startWorker();
    const id = await uploadJob(api, TOKEN_A, mediumFile, { webhook_url: hooksUrl });
    await waitForJob(api, TOKEN_A, id, isProcessing);
    const workerPid = first.child.pid ?? 0;
    const sandbox = childPids(workerPid);
    try {
      expect(sandbox.length).toBeGreaterThan(0);
      // The OOM killer or `kill -9 <pid>`: the worker process alone, its children left behind.
      process.kill(workerPid, 'SIGKILL');
      const killedAt = Date.now();
      await waitFor('the orphaned sandbox child to exit', async () => sandbox.every((pid) => !isRunning(pid)), { timeoutMs: 5000, intervalMs: 25 });
      const exitedAfterMs = Date.now() - killedAt;
      expect(exitedAfterMs).toBeLessThan(5000);
      // Still unfinished: the orphan neither finished it nor marked it failed.
      expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).body.status).toBe('processing');

      const second = await stack.startWorker();
      const job = await waitForJob(api, TOKEN_A, id, undefined, 120_000);
      expect(job).toMatchObject({ status: 'succeeded', attempts: 2, result: { duration: 90 } });
      const succeeded = new RegExp(`"job succeeded"[^\\n]*"job_id":"${id}"|"job_id":"${id}"[^\\n]*"job succeeded"`, 'g');
      await second.waitForOutput(new RegExp(succeeded.source), 10_000);
      expect(second.output().match(succeeded)).toHaveLength(1);
      await waitFor('the webhook', async () => delivered.includes(id), { timeoutMs: 30_000 });
      // Time for a duplicate to show up (a second delivery, or a late attempt overwriting or
      // deleting the result): none may.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(delivered.filter((delivery) => delivery === id)).toHaveLength(1);
      expect((await call(api, `/jobs/${id}/result`, { token: TOKEN_A })).status).toBe(200);
      expect(await call(api, `/jobs/${id}`, { token: TOKEN_A })).toMatchObject({
        body: { status: 'succeeded', attempts: 2, finished_at: job.finished_at, webhook: { status: 'delivered', attempts: 1 } },
      });
      await second.kill('SIGKILL');
    } finally {
      killIfRunning(sandbox);
    }
  });

  it('on SIGTERM hands a running job back after the grace period, and another worker finishes it', async () => {
    const leaving = await stack.startWorker({ SHUTDOWN_GRACE_SECONDS: '0.5' });
    const id = await uploadJob(api, TOKEN_A, longFile);
    await waitForJob(api, TOKEN_A, id, isProcessing);
    const exitCode = await leaving.signal('SIGTERM');
    expect(exitCode).toBe(0);
    expect(leaving.output()).toContain('"job handed back on shutdown"');
    expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).body.status).toBe('queued');

    const next = await stack.startWorker();
    expect((await waitForJob(api, TOKEN_A, id, undefined, 120_000)).status).toBe('succeeded');
    await next.kill('SIGKILL');
  });

  it('answers 503 with JSON while Redis is down, and recovers when it is back', async () => {
    const worker = await stack.startWorker();
    await waitFor('healthy', async () => (await call(api, '/health')).status === 200);
    await stack.redis.stop();

    const health = await call(api, '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', redis: 'unavailable', storage: 'ok' });
    const submit = await call(api, '/jobs', { method: 'POST', token: TOKEN_A, body: await audioForm(SHORT_OGG) });
    expect(submit.status).toBe(503);
    expect(submit.body).toEqual({ error: 'the job queue (Redis) is unavailable; try again shortly' });
    expect(submit.headers.get('retry-after')).toBe('5');
    const status = await call(api, '/jobs/00000000-0000-0000-0000-000000000000', { token: TOKEN_A });
    expect(status.status).toBe(503);

    await stack.redis.start();
    await waitFor('healthy again', async () => (await call(api, '/health')).status === 200, { timeoutMs: 30_000 });
    const id = await uploadJob(api, TOKEN_A, SHORT_OGG);
    expect((await waitForJob(api, TOKEN_A, id)).status).toBe('succeeded');
    // Every job so far succeeded (audio deleted) or was refused (never stored).
    expect(storedAudio()).toEqual([]);
    await worker.kill('SIGKILL');
  });

  it('stops a worker on SIGTERM within its grace period even while Redis is down', async () => {
    const worker = await stack.startWorker({ SHUTDOWN_GRACE_SECONDS: '2' });
    await stack.redis.stop();
    try {
      const started = performance.now();
      const code = await worker.signal('SIGTERM');
      // grace 2 s, then at most 5 s more for an orderly close before connections are cut
      expect((performance.now() - started) / 1000).toBeLessThan(15);
      expect(code).toBe(0);
      expect(worker.output()).toContain('worker stopped');
    } finally {
      await stack.redis.start();
      await worker.kill('SIGKILL');
    }
    await waitFor('the API to reach Redis again', async () => (await call(api, '/health')).body.redis === 'ok', { timeoutMs: 30_000 });
  });

  it('finishes the clean-up of a job whose attempt recorded success, then died before deleting the audio', async () => {
    // queued while no worker runs, then left as such an attempt leaves it: succeeded, audio stored
    const id = await uploadJob(api, TOKEN_A, SHORT_OGG);
    const audioKey = audioObjectKey(id);
    const store = createObjectStore(configFrom(stack.env).storage);
    const redis = createRedis(stack.redis.url, { failFast: true });
    try {
      await redisReady(redis);
      const records = new JobRecordStore(redis, new RedisKeys(stack.env.QUEUE_PREFIX), 3600);
      const summary = { duration: 5.2, num_speakers: 0, num_segments: 0, exclusive: false, speakers: [] };
      expect((await records.markSucceeded(id, summary, resultObjectKey(id))).changed).toBe(true);
      expect(await store.head(audioKey)).not.toBeNull();

      // the job's next attempt finds it ended and deletes what the end left
      const worker = await stack.startWorker();
      await waitFor('the audio of the ended job to be deleted', async () => (await store.head(audioKey)) === null, { timeoutMs: 30_000, intervalMs: 200 });
      expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).body.status).toBe('succeeded');
      await worker.kill('SIGKILL');
    } finally {
      redis.disconnect();
    }
  });

  it('reports degraded while no worker is alive', async () => {
    let last: unknown;
    await waitFor(
      'worker heartbeats to expire',
      async () => {
        last = (await call(api, '/health')).body;
        return (last as { workers: number }).workers === 0;
      },
      { timeoutMs: 15_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last health: ${JSON.stringify(last)}; workers: ${stack.workers.map((w) => w.child.pid).join(',')}`);
    });
    const health = await call(api, '/health');
    expect(health).toMatchObject({ status: 503, body: { status: 'degraded', model_loaded: false, redis: 'ok', storage: 'ok', workers: 0 } });
  });
});
