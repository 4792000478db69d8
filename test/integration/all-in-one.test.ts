import { resolve } from 'node:path';
import { uploadJob, waitForJob } from '../support/http';
import { testModelsDir } from '../support/models';
import { REPO_ROOT, spawnService, type SpawnedService } from '../support/processes';
import { startRedis, type TestRedis } from '../support/redis-server';
import { SAMPLE_WAV } from '../support/audio';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/** `npm start` runs this: its own workspace, so that the API does not depend on the worker. */
const ALL_IN_ONE_MAIN = resolve(REPO_ROOT, 'apps/all-in-one/dist/main.js');
const TOKEN = 'all-in-one-test-token-0123';

describe('the all-in-one process (npm start)', () => {
  let redis: TestRedis;
  let data: TempDir;
  let service: SpawnedService | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    data = makeTempDir();
  });

  afterAll(async () => {
    await service?.kill('SIGKILL');
    await redis.close();
    data.remove();
  });

  it('serves the API and runs the jobs in one process, and stops on SIGTERM', async () => {
    service = spawnService(ALL_IN_ONE_MAIN, {
      DIARIZATION_TOKEN: TOKEN,
      DIARIZATION_HOST: '127.0.0.1',
      DIARIZATION_PORT: '0',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `all-in-one-${process.pid}`,
      STORAGE_DIR: data.path,
      MODELS_DIR: testModelsDir(),
      WORKER_CONCURRENCY: '1',
    });
    await service.waitForOutput(/"msg":"api listening"/, 30_000);
    await service.waitForOutput(/"msg":"worker ready"/, 60_000);
    const port = Number(/"msg":"api listening"[^\n]*"port":(\d+)/.exec(service.output())![1]);
    const url = `http://127.0.0.1:${port}`;

    const id = await uploadJob(url, TOKEN, SAMPLE_WAV);
    const job = await waitForJob(url, TOKEN, id);
    expect(job).toMatchObject({ status: 'succeeded', result: { duration: 30, num_speakers: 2 } });

    expect(await service.signal('SIGTERM')).toBe(0);
    expect(service.output()).toContain('"msg":"worker stopped"');
    expect(service.output()).not.toMatch(/\n\s+at /);
  });
});
