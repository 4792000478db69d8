import { createHash } from 'node:crypto';
import { loadConfig, silentLogger, type ServiceConfig } from '@diarization/config';
import { startApi, type RunningApi } from '../../apps/api/src/server';
import { testModelsDir } from './models';
import { spawnService, WORKER_MAIN, type SpawnedService } from './processes';
import { startRedis, type TestRedis } from './redis-server';
import { startS3, type TestS3 } from './s3-server';
import { makeTempDir, type TempDir } from './temp-dir';

export const TOKEN_A = 'token-alice-0123456789';
export const TOKEN_B = 'token-bob-9876543210';
export const WEBHOOK_SECRET = `whsec_${Buffer.from('integration-test webhook secret!').toString('base64')}`;

export interface Stack {
  redis: TestRedis;
  s3: TestS3 | null;
  /** The environment every process of this stack shares. */
  env: Record<string, string>;
  api: RunningApi;
  workers: SpawnedService[];
  /** Starts one more API in this process with some variables changed (413 and sync tests). */
  startExtraApi(overrides: Record<string, string>): Promise<RunningApi>;
  /** A worker process; an override of `undefined` leaves that variable unset (the default applies). */
  startWorker(overrides?: Record<string, string | undefined>): Promise<SpawnedService>;
  stop(): Promise<void>;
}

export function configFrom(env: Record<string, string>): ServiceConfig {
  return loadConfig(env, 'all');
}

/**
 * Redis (own process), S3 (s3rver) or a local folder, the API in this process, and workers as
 * child processes running the built `apps/worker/dist/main.js`, as in production.
 */
export async function startStack(options: { storage: 's3' | 'local'; env?: Record<string, string>; persistentRedis?: boolean }): Promise<Stack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const workers: SpawnedService[] = [];
  const extraApis: RunningApi[] = [];
  try {
    const redis = await startRedis({ persistent: options.persistentRedis });
    cleanups.push(() => redis.close());
    let s3: TestS3 | null = null;
    let dataDir: TempDir | null = null;
    const storageEnv: Record<string, string> = {};
    if (options.storage === 's3') {
      s3 = await startS3({ createBucket: false, bucket: 'jobs-test' });
      cleanups.push(() => s3?.stop());
      Object.assign(storageEnv, {
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
      });
    } else {
      dataDir = makeTempDir('diarization-data-');
      cleanups.push(() => dataDir?.remove());
      storageEnv.STORAGE_DIR = dataDir.path;
    }
    const env: Record<string, string> = {
      DIARIZATION_TOKEN: `${TOKEN_A},${TOKEN_B}`,
      DIARIZATION_HOST: '127.0.0.1',
      DIARIZATION_PORT: '0',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `test-${createHash('sha1').update(String(Math.random())).digest('hex').slice(0, 8)}`,
      MODELS_DIR: testModelsDir(),
      WEBHOOK_SECRET,
      WEBHOOK_BACKOFF_SECONDS: '0.2',
      WEBHOOK_ATTEMPTS: '3',
      ALLOW_PRIVATE_URLS: 'true',
      JOB_BACKOFF_SECONDS: '0.2',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_HEARTBEAT_SECONDS: '1',
      SHUTDOWN_GRACE_SECONDS: '1',
      LOG_LEVEL: 'info',
      ...storageEnv,
      ...options.env,
    };
    // DIARIZATION_PORT=0 lets the OS pick a free port.
    const api = await startApi(configFrom(env), silentLogger);
    cleanups.push(() => api.close());

    const startWorker = async (overrides: Record<string, string | undefined> = {}): Promise<SpawnedService> => {
      const merged = Object.entries({ ...env, ...overrides }).filter((entry): entry is [string, string] => entry[1] !== undefined);
      const worker = spawnService(WORKER_MAIN, Object.fromEntries(merged));
      workers.push(worker);
      await worker.waitForOutput(/"worker ready"/);
      return worker;
    };
    return {
      redis,
      s3,
      env,
      api,
      workers,
      startWorker,
      startExtraApi: async (overrides) => {
        const extra = await startApi(configFrom({ ...env, ...overrides }), silentLogger);
        extraApis.push(extra);
        return extra;
      },
      stop: async () => {
        await Promise.allSettled(workers.map((worker) => worker.kill('SIGKILL')));
        await Promise.allSettled(extraApis.map((extra) => extra.close()));
        for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      },
    };
  } catch (error) {
    await Promise.allSettled(workers.map((worker) => worker.kill('SIGKILL')));
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    throw error;
  }
}
