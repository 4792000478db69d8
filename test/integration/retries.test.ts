import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDiarizeQueue, createRedis, type DiarizeQueue } from '@diarization/jobs';
import type { Redis } from 'ioredis';
import { SAMPLE_WAV, SHORT_OGG } from '../support/audio';
import { encodeAs } from '../support/audio-formats';
import { call, uploadJob, waitForJob } from '../support/http';
import { testModelsDir } from '../support/models';
import type { SpawnedService } from '../support/processes';
import { startStack, TOKEN_A, type Stack } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/** What the worker needs: the default segmentation model and the default embedding model. */
const MODEL_FILES = ['segmentation-3.0.fp32-from-fp16.onnx', 'speaker-embedding.openvoice-refenc.onnx'];
const BACKOFF_SECONDS = 0.5;

interface LogLine {
  time: string;
  msg: string;
  job_id?: string;
  attempt?: number;
  code?: string;
}

/** The worker's JSON log lines about one job. */
function jobLog(worker: SpawnedService, id: string): LogLine[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(id))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.job_id === id);
}

const timeOf = (lines: LogLine[], msg: string, attempt: number): number => {
  const line = lines.find((entry) => entry.msg === msg && entry.attempt === attempt);
  if (line === undefined) throw new Error(`no "${msg}" for attempt ${attempt} in ${JSON.stringify(lines)}`);
  return Date.parse(line.time);
};

/** FLAC with garbage halfway: its first seconds decode (the upload check passes), the rest does not. */
function damagedHalfway(dir: string): string {
  const path = encodeAs(dir, SAMPLE_WAV, 'damaged.flac', ['-c:a', 'flac']);
  const bytes = readFileSync(path);
  for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 20_000; i++) bytes[i] = (i * 7) & 0xff;
  writeFileSync(path, bytes);
  return path;
}

describe('retries (real worker, real models)', () => {
  let stack: Stack;
  let api: string;
  let tmp: TempDir;
  let modelsDir: string;
  let worker: SpawnedService;
  let redis: Redis;
  let queue: DiarizeQueue;

  beforeAll(async () => {
    tmp = makeTempDir('retries-');
    modelsDir = join(tmp.path, 'models');
    stack = await startStack({
      storage: 'local',
      // The API sets each job's retry policy when it queues it.
      env: { JOB_ATTEMPTS: '5', JOB_BACKOFF_SECONDS: String(BACKOFF_SECONDS) },
    });
    api = stack.api.url;
    redis = createRedis(stack.redis.url, { failFast: false });
    queue = createDiarizeQueue(redis, stack.env.QUEUE_PREFIX);
  });

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await stack?.stop();
    tmp?.remove();
  });

  const installModels = (): void => {
    for (const file of MODEL_FILES) copyFileSync(join(testModelsDir(), file), join(modelsDir, file));
  };

  it('retries a MODEL_MISSING failure with growing delays until the models are back, then succeeds', async () => {
    // A worker only takes jobs once its models load, so they are there at start and go later,
    // as when a volume is remounted or `npm run models` is rerun under a running worker.
    mkdirSync(modelsDir);
    installModels();
    worker = await stack.startWorker({ MODELS_DIR: modelsDir });
    for (const file of MODEL_FILES) rmSync(join(modelsDir, file));

    const id = await uploadJob(api, TOKEN_A, SHORT_OGG);
    const retrying = await waitForJob(
      api,
      TOKEN_A,
      id,
      (job) => ['succeeded', 'failed'].includes(String(job.status)) || (Number(job.attempts) >= 2 && (job.progress as { stage: string }).stage === 'waiting_to_retry'),
    );
    expect(retrying).toMatchObject({ status: 'queued', last_error: { code: 'MODEL_MISSING' } });
    expect(String((retrying.last_error as { message: string }).message)).toMatch(/model/);

    installModels();
    const done = await waitForJob(api, TOKEN_A, id);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(done.last_error).toBeUndefined();
    const job = await queue.getJob(id);
    expect(job?.attemptsMade).toBeGreaterThan(1);
    // BullMQ counts the failed attempts and the one that succeeded; so does the record.
    expect(done.attempts).toBe(job?.attemptsMade);

    // Exponential backoff: about BACKOFF_SECONDS after the first failure, twice that after the second.
    const lines = jobLog(worker, id);
    const firstWait = timeOf(lines, 'job started', 2) - timeOf(lines, 'attempt failed, will retry', 1);
    const secondWait = timeOf(lines, 'job started', 3) - timeOf(lines, 'attempt failed, will retry', 2);
    expect(firstWait).toBeGreaterThanOrEqual(BACKOFF_SECONDS * 1000 * 0.9);
    expect(secondWait).toBeGreaterThanOrEqual(2 * BACKOFF_SECONDS * 1000 * 0.9);
    expect(secondWait).toBeGreaterThan(firstWait);
  });

  it('fails bad audio after exactly one attempt', async () => {
    const id = await uploadJob(api, TOKEN_A, damagedHalfway(tmp.path));
    const failed = await waitForJob(api, TOKEN_A, id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'AUDIO_DECODE_FAILED' } });
    expect((await queue.getJob(id))?.attemptsMade).toBe(1);
    expect(jobLog(worker, id).filter((line) => line.msg === 'job started')).toHaveLength(1);
    // No later attempt sneaks in after the failure was recorded.
    await new Promise((resolve) => setTimeout(resolve, 2 * BACKOFF_SECONDS * 1000));
    expect((await call(api, `/jobs/${id}`, { token: TOKEN_A })).body).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
