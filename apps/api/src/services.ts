import type { Logger, ServiceConfig } from '@diarization/config';
import {
  createDiarizeQueue,
  queuePolicies,
  createRedis,
  JobRecordStore,
  RedisKeys,
  type DiarizeQueue,
  type QueuePolicy,
} from '@diarization/jobs';
import { createObjectStore, type ObjectStore } from '@diarization/storage';
import type { Redis } from 'ioredis';
import { FinishedJobs } from './finished-jobs';
import { withRequestIds } from './request-log';
import { EngineAudioValidator, type AudioValidator } from './upload/audio-check';

/** Everything the routes use, built once from the configuration. */
export interface ApiServices {
  config: ServiceConfig;
  logger: Logger;
  keys: RedisKeys;
  redis: Redis;
  store: ObjectStore;
  records: JobRecordStore;
  diarizeQueue: DiarizeQueue;
  jobPolicy: QueuePolicy;
  audioValidator: AudioValidator;
  finished: FinishedJobs;
  close(): Promise<void>;
}

export function createApiServices(config: ServiceConfig, logger: Logger): ApiServices {
  const keys = new RedisKeys(config.queuePrefix);
  let lastRedisError = '';
  const onRedisError = (error: Error): void => {
    // One line per distinct outage, not one per reconnect attempt.
    if (error.message !== lastRedisError) logger.warn('redis connection error', { error: error.message });
    lastRedisError = error.message;
  };
  // Fail fast: while Redis is down, requests answer 503 at once instead of hanging.
  const redis = createRedis(config.redisUrl, { failFast: true, onError: onRedisError });
  redis.on('ready', () => {
    if (lastRedisError !== '') logger.info('redis connection restored');
    lastRedisError = '';
  });
  const subscriber = createRedis(config.redisUrl, { failFast: false, onError: () => undefined });
  const store = createObjectStore(config.storage);
  const records = new JobRecordStore(redis, keys, config.retention.jobTtlSeconds);
  const diarizeQueue = createDiarizeQueue(redis, config.queuePrefix);
  diarizeQueue.on('error', () => undefined);
  const finished = new FinishedJobs(subscriber, keys.finishedChannel, records, logger);

  return {
    config,
    logger: withRequestIds(logger),
    keys,
    redis,
    store,
    records,
    diarizeQueue,
    jobPolicy: queuePolicies(config).diarize,
    audioValidator: new EngineAudioValidator({
      maxDurationSeconds: config.worker.maxAudioSeconds,
      ffmpegPath: config.ffmpegPath,
      onServerProblem: (problem) => logger.error(problem),
    }),
    finished,
    close: async () => {
      finished.close();
      await Promise.allSettled([diarizeQueue.close()]);
      subscriber.disconnect();
      redis.disconnect();
      (store as { destroy?: () => void }).destroy?.();
    },
  };
}
