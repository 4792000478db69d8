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
