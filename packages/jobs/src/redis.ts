import { isStorageUnavailable } from '@diarization/storage';
import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /**
   * Fail commands at once while disconnected (the API answers 503) instead of queueing them
   * until Redis comes back (what BullMQ workers need).
   */
  failFast: boolean;
  onError?: (error: Error) => void;
}

/** An ioredis connection with the options each role needs. */
export function createRedis(url: string, options: RedisConnectionOptions): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: !options.failFast,
    // BullMQ workers require null (retry forever); the API gives up after one retry.
    maxRetriesPerRequest: options.failFast ? 1 : null,
    connectTimeout: 5000,
    // A command on a half-open connection must not hang an HTTP request.
    commandTimeout: options.failFast ? 5000 : undefined,
    // Reconnect quickly after an outage, but without hammering a server that is down.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error.
  redis.on('error', options.onError ?? (() => undefined));
  return redis;
}

/**
 * Wraps a task that a timer starts again and again (heartbeat, retention sweep, cancel poll) so
 * that at most one run is in flight and at most one more waits for it; calls made meanwhile
 * share that waiting run. While Redis is unreachable, the commands of a connection that is not
 * fail-fast wait in ioredis's offline queue until it is back: a timer that started a new run on
 * every tick would add one more command each time, without bound, and flush them all at once
 * on reconnect.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let waiting: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const run = task().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    if (running === undefined) return start();
    if (waiting === undefined) {
      const next = (): Promise<void> => {
        waiting = undefined;
        return start();
      };
      waiting = running.then(next, next);
    }
    return waiting;
  };
}

/** Messages of the errors ioredis and BullMQ reject commands with while Redis is unreachable. */
const REDIS_DOWN_MESSAGES =
  /^(Connection is closed|Stream isn't writeable and enableOfflineQueue options is false|Command timed out|Ready check failed|Socket timeout\. Expecting data|Reached the max retries per request limit|Redis did not become ready within|BullMQ: cluster reconnect timed out)/;
/** Errors of the server itself that mean "not serving right now" (loading its data, failing over). */
const REDIS_REPLY_CODES = /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/;
/** Socket errors ioredis emits (and BullMQ passes on while it waits for the connection). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True for errors that mean "Redis is not reachable right now": the errors of ioredis and
 * BullMQ (by class and by their own messages), and bare socket errors, which only the Redis
 * client lets through unwrapped. Storage errors are never Redis's, even when their message
 * says ECONNREFUSED (the S3 client's refused connection inside a StorageUnavailableError).
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // (`as unknown`: a StorageUnavailableError has the shape of any Error, so the guard must not narrow `error`)
  if (isStorageUnavailable(error as unknown)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ConnectionClosedError' || error.name === 'ClusterAllFailedError') return true;
  if (error.name === 'ReplyError') return REDIS_REPLY_CODES.test(error.message);
  if (REDIS_DOWN_MESSAGES.test(error.message)) return true;
  const { code, syscall } = error as NodeJS.ErrnoException;
  // a socket error of ours names its syscall; a client that went away mid-request ('aborted', ECONNRESET) names none
  return code !== undefined && SOCKET_CODES.has(code) && syscall !== undefined && ['connect', 'getaddrinfo', 'read', 'write'].includes(syscall);
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export function redisReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
