import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { createRedis, JobRecordStore, redisReady, RedisKeys, type NewJobRecord } from '@diarization/jobs';
import { LocalObjectStore, S3ObjectStore, type ObjectStore } from '@diarization/storage';
import type { Redis } from 'ioredis';
import { filesUnder, startApiProcess, uploadTempFolders, type ApiProcess } from '../support/api-process';
import { waitFor } from '../support/ports';
import { stalledUpload } from '../support/raw-upload';
import { startRedis, type TestRedis } from '../support/redis-server';
import { startS3, type TestS3 } from '../support/s3-server';
import { TOKEN_A } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/**
 * What an API killed with SIGKILL mid-upload (or just after storing one) leaves behind, and
 * that the retention sweep never sees: the API reclaims it at start and then periodically,
 * without touching anything of live jobs.
 */

function newJob(id: string): NewJobRecord {
  return { id, owner: 'owner', filename: 'live.wav', audioKey: `audio/${id}/original`, options: { exclusive: false }, webhookUrl: null };
}

/** Sets the modification time of a path and of everything under it `ageMs` in the past. */
function backdate(path: string, ageMs: number): void {
  if (!existsSync(path)) return;
  const then = new Date(Date.now() - ageMs);
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) utimesSync(join(entry.parentPath, entry.name), then, then);
  utimesSync(path, then, then);
}

let redisServer: TestRedis;
let redis: Redis;

beforeAll(async () => {
  redisServer = await startRedis();
  redis = createRedis(redisServer.url, { failFast: true });
  await redisReady(redis);
});

afterAll(async () => {
  redis?.disconnect();
  await redisServer?.stop();
});

describe('an API killed (SIGKILL) mid-upload: the next API reclaims the leftovers at start (local storage)', () => {
  let dir: TempDir;
  let tmp: string;
  let data: string;
  let store: LocalObjectStore;
  const prefix = `orphans-${randomUUID().slice(0, 8)}`;
  const apis: ApiProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = makeTempDir('orphans-local-');
    tmp = join(dir.path, 'tmp');
    data = join(dir.path, 'data');
    mkdirSync(tmp);
    store = new LocalObjectStore(data);
    await store.init();
    env = {
      DIARIZATION_TOKEN: TOKEN_A,
      REDIS_URL: redisServer.url,
      QUEUE_PREFIX: prefix,
      TMPDIR: tmp,
      STORAGE_DIR: data,
      REQUEST_IDLE_TIMEOUT_SECONDS: '30',
      ORPHAN_GRACE_SECONDS: '60',
      // Only the sweep at start can reclaim anything during this test.
      ORPHAN_SWEEP_INTERVAL_SECONDS: '3600',
    };
  });

  afterAll(async () => {
    await Promise.allSettled(apis.map((api) => api.service.kill('SIGKILL')));
    dir?.remove();
  });

  it('removes the temp folder, the partial file and the objects without a job record; keeps the live job', async () => {
    const records = new JobRecordStore(redis, new RedisKeys(prefix), 3600);
    const live = randomUUID();
    await records.create(newJob(live));
    await store.put(`audio/${live}/original`, 'audio of a queued job');

    // An upload in progress when the API is killed.
    const first = await startApiProcess(env);
    apis.push(first);
    const client = await stalledUpload(first.port, TOKEN_A);
    await waitFor('the upload to be under way', async () => uploadTempFolders(tmp).length === 1 && readdirSync(join(data, '.partial')).length === 1, {
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    await first.service.kill('SIGKILL');
    client.destroy();
    expect(uploadTempFolders(tmp)).toHaveLength(1);
    expect(readdirSync(join(data, '.partial'))).toHaveLength(1);

    // An API killed just after storing an upload, before creating its job; a result whose job
    // was deleted meanwhile.
    const stored = randomUUID();
    const resultOnly = randomUUID();
    await store.put(`audio/${stored}/original`, 'complete upload, no job');
    await store.put(`results/${resultOnly}.json`, '{}');

    // Ten minutes pass (everything, the live job's audio included, is older than the grace).
    for (const path of [tmp, join(data, '.partial'), join(data, 'audio'), join(data, 'results')]) backdate(path, 600_000);

    const second = await startApiProcess(env);
    apis.push(second);
    await waitFor(
      'the orphans to be reclaimed',
      async () =>
        uploadTempFolders(tmp).length === 0 &&
        readdirSync(join(data, '.partial')).length === 0 &&
        (await store.head(`audio/${stored}/original`)) === null &&
        (await store.head(`results/${resultOnly}.json`)) === null,
      { timeoutMs: 10_000, intervalMs: 50 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; left: temp ${JSON.stringify(uploadTempFolders(tmp))}, storage ${JSON.stringify(filesUnder(data))}`);
    });
    expect(await store.head(`audio/${live}/original`)).toEqual({ size: 'audio of a queued job'.length });
    expect(await records.get(live)).toMatchObject({ id: live, status: 'queued' });
    expect(filesUnder(data)).toEqual([`audio/${live}/original`]);
    await waitFor('the log line', async () => /"msg":"reclaimed orphaned uploads"[^\n]*"objects":2,"partial_uploads":1,"temp_folders":1/.test(second.service.output()), {
      timeoutMs: 5000,
    });
    expect(await second.service.signal('SIGTERM')).toBe(0);
  });
});

describe('the API reclaims orphans periodically, after the grace period (S3)', () => {
  let s3: TestS3;
  let dir: TempDir;
  let api: ApiProcess | undefined;
  let store: ObjectStore;
  const prefix = `orphans-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    s3 = await startS3({ bucket: 'orphans' });
    dir = makeTempDir('orphans-s3-');
    mkdirSync(join(dir.path, 'tmp'));
    store = new S3ObjectStore({ ...s3, region: 'us-east-1', forcePathStyle: true });
  });

  afterAll(async () => {
    await api?.service.kill('SIGKILL');
    (store as S3ObjectStore | undefined)?.destroy();
    await s3?.stop();
    dir?.remove();
  });

  it('deletes an object without a job record once it is older than ORPHAN_GRACE_SECONDS, and not the live job', async () => {
    api = await startApiProcess({
      DIARIZATION_TOKEN: TOKEN_A,
      REDIS_URL: redisServer.url,
      QUEUE_PREFIX: prefix,
      TMPDIR: join(dir.path, 'tmp'),
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      REQUEST_IDLE_TIMEOUT_SECONDS: '1',
      ORPHAN_GRACE_SECONDS: '2',
      ORPHAN_SWEEP_INTERVAL_SECONDS: '0.5',
    });
    const records = new JobRecordStore(redis, new RedisKeys(prefix), 3600);
    const live = randomUUID();
    const orphan = randomUUID();
    await records.create(newJob(live));
    await store.put(`audio/${live}/original`, 'audio of a queued job');
    const storedAt = Date.now();
    await store.put(`audio/${orphan}/original`, 'no job');

    const goneAt = await waitFor('the orphan to be reclaimed', async () => ((await store.head(`audio/${orphan}/original`)) === null ? Date.now() : false), {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    // Not before the grace period (S3 dates objects to the second).
    expect(goneAt - storedAt).toBeGreaterThanOrEqual(900);
    expect(await store.head(`audio/${live}/original`)).not.toBeNull();
    expect(await records.get(live)).toMatchObject({ status: 'queued' });
  });
});
