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

/** True for errors that mean "Redis is not reachable right now". */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const text = `${error.name} ${error.message}`;
  return /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|MaxRetriesPerRequestError|Reached the max retries|connect ETIMEDOUT|Connection timeout|enableOfflineQueue|LOADING|CLUSTERDOWN|getaddrinfo/i.test(
    text,
  );
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
