import type { LogFields, ServiceConfig } from '@diarization/config';
import { createRedis, hashToken, isRedisUnavailable, JobRecordStore, RedisKeys } from '@diarization/jobs';
import { S3ObjectStore, StorageUnavailableError, type ObjectStore } from '@diarization/storage';
import type { Redis } from 'ioredis';
import { createApp } from './app';
import type { ApiServices } from './services';
import { freePort } from '../../../test/support/ports';

const TOKEN = 'test-token';
const JOB_ID = '00000000-0000-4000-8000-000000000001';

interface LogLine {
  level: string;
  message: string;
  fields: LogFields | undefined;
}


function services(parts: { records: Pick<JobRecordStore, 'get'>; store?: ObjectStore }, lines: LogLine[]): ApiServices {
  const log =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, fields });
    };
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return {
    config: { tokens: [TOKEN] } as unknown as ServiceConfig,
    logger: { ...logger, child: () => logger },
    records: parts.records,
    store: parts.store,
  } as unknown as ApiServices;
}

/** A succeeded job of TOKEN whose result lives in storage. */
const succeededRecord = {
  id: JOB_ID,
  owner: hashToken(TOKEN),
  status: 'succeeded',
  resultKey: `results/${JOB_ID}.json`,
  filename: null,
};

async function get(app: ReturnType<typeof createApp>, path: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const response = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
}

describe('503 answers name the dependency that failed', () => {
  let redis: Redis | undefined;
  afterEach(() => {
    redis?.disconnect();
    redis = undefined;
  });

  it('a storage outage (S3 connection refused) is "audio storage", not Redis, and the cause is logged', async () => {
    const port = await freePort();
    const store = new S3ObjectStore({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'audio',
      forcePathStyle: true,
      accessKeyId: 'key',
      secretAccessKey: 'secret',
    });
    // The real error of the store: a StorageUnavailableError whose message carries ECONNREFUSED.
    const storageError = await store.get(`results/${JOB_ID}.json`).catch((error: unknown) => error);
    expect(storageError).toBeInstanceOf(StorageUnavailableError);
    expect((storageError as Error).message).toMatch(/ECONNREFUSED/);
    expect(isRedisUnavailable(storageError)).toBe(false);

    const lines: LogLine[] = [];
    const app = createApp(services({ records: { get: async () => succeededRecord as never }, store }, lines));
    const answer = await get(app, `/jobs/${JOB_ID}/result`);
    expect(answer).toEqual({ status: 503, body: { error: 'audio storage is unavailable; try again shortly' }, retryAfter: '5' });
    const logged = lines.find((line) => line.fields?.dependency === 'storage');
    expect(logged).toMatchObject({ level: 'warn', fields: { path: `/jobs/${JOB_ID}/result`, error: storageError } });
    expect(lines.some((line) => line.fields?.dependency === 'redis')).toBe(false);
  });

  it('a Redis outage (ioredis, connection refused) is "the job queue (Redis)", and the cause is logged', async () => {
    const port = await freePort();
    redis = createRedis(`redis://127.0.0.1:${port}`, { failFast: true });
    const records = new JobRecordStore(redis, new RedisKeys('errors'), 3600);
    const lines: LogLine[] = [];
    const app = createApp(services({ records }, lines));
    const answer = await get(app, `/jobs/${JOB_ID}`);
    expect(answer).toEqual({ status: 503, body: { error: 'the job queue (Redis) is unavailable; try again shortly' }, retryAfter: '5' });
    const logged = lines.find((line) => line.fields?.dependency === 'redis');
    expect(logged).toMatchObject({ level: 'warn', fields: { path: `/jobs/${JOB_ID}` } });
    expect(logged?.fields?.error).toBeInstanceOf(Error);
  });

  it.each([
    ['a StorageUnavailableError with ECONNREFUSED', new StorageUnavailableError('S3 storage is unavailable (put): connect ECONNREFUSED 10.0.0.5:9000'), 'audio storage is unavailable; try again shortly'],
    [
      'a storage error that wraps a refused connection as its cause',
      new StorageUnavailableError('storage folder /data is not writable', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
      'audio storage is unavailable; try again shortly',
    ],
    ["ioredis's fail-fast error", new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'the job queue (Redis) is unavailable; try again shortly'],
    ["ioredis's closed connection", new Error('Connection is closed.'), 'the job queue (Redis) is unavailable; try again shortly'],
    [
      "BullMQ's connection error (a refused socket, as ioredis reports it)",
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 }),
      'the job queue (Redis) is unavailable; try again shortly',
    ],
  ])('maps %s', async (_, error, message) => {
    const lines: LogLine[] = [];
    const app = createApp(services({ records: { get: () => Promise.reject(error) } }, lines));
    const answer = await get(app, `/jobs/${JOB_ID}`);
    expect(answer).toEqual({ status: 503, body: { error: message }, retryAfter: '5' });
    expect(lines.find((line) => line.level === 'warn')?.fields?.error).toBe(error);
  });
});
