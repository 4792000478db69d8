import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, ServiceConfig } from '@diarization/config';
import { indexUnlistedJobs, reclaimOrphans, redisReady } from '@diarization/jobs';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { nodeServerOptions, RequestDeadlines } from './request-limits';
import { createApiServices, type ApiServices } from './services';

/** After the shutdown grace, how long requests whose connections were cut get to clean up. */
const CLEANUP_WAIT_MS = 10_000;

export interface RunningApi {
  url: string;
  port: number;
  services: ApiServices;
  /**
   * Stops taking connections, lets requests in progress finish for SHUTDOWN_GRACE_SECONDS, then
   * cuts the rest (their uploads are discarded), waits for their clean-up and closes Redis and
   * storage. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** Counts requests whose handler is still running, so that shutdown can wait for their clean-up. */
class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await task();
    } finally {
      if (--this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  get size(): number {
    return this.count;
  }

  /** Resolves when no handler runs, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * Reclaims what killed processes left behind (objects without a job record, unfinished writes,
 * upload temp folders): once at start, then every ORPHAN_SWEEP_INTERVAL_SECONDS.
 */
function startOrphanSweeps(services: ApiServices, log: Logger): { stop(): Promise<void> } {
  const { orphanGraceMs, orphanSweepIntervalMs } = services.config.retention;
  if (orphanSweepIntervalMs === 0) return { stop: async () => undefined };
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  const sweep = (): void => {
    if (running !== null || stopping.signal.aborted) return;
    running = reclaimOrphans(services.redis, services.keys, services.store, {
      graceMs: orphanGraceMs,
      // An S3 multipart upload is dated by its start: it may legitimately last the longest request.
      uploadGraceMs: orphanGraceMs + services.config.requestLimits.requestTimeoutMs,
      signal: stopping.signal,
    })
      .then((reclaimed) => {
        const total = reclaimed.objects + reclaimed.partialUploads + reclaimed.tempFolders;
        const fields = { objects: reclaimed.objects, partial_uploads: reclaimed.partialUploads, temp_folders: reclaimed.tempFolders };
        if (total > 0) log.info('reclaimed orphaned uploads', fields);
        else log.debug('orphan sweep: nothing to reclaim', fields);
      })
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) log.warn('orphan sweep failed; retrying at the next one', { error });
      })
      .finally(() => {
        running = null;
      });
  };
  sweep();
  const timer = setInterval(sweep, orphanSweepIntervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}

/** The API could not listen (port taken, address not available...): one line a person can act on. */
export class ListenError extends Error {
  constructor(host: string, port: number, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${port} is already in use: stop what listens there or set DIARIZATION_PORT`
        : code === 'EACCES'
          ? `port ${port} needs privileges: use a port above 1023 (DIARIZATION_PORT)`
          : code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this machine: set DIARIZATION_HOST`
            : cause instanceof Error
              ? cause.message
              : String(cause);
    super(`cannot listen on ${host}:${port}: ${why}`, { cause });
  }
}

/** Builds the services and serves the API; storage and Redis may still be down (503 until up). */
export async function startApi(config: ServiceConfig, logger: Logger): Promise<RunningApi> {
  const log = logger.child({ component: 'api' });
  const services = createApiServices(config, log);
  await redisReady(services.redis, 5000).catch(() => log.warn('redis is not reachable yet; answering 503 until it is'));
  await services.store.init().catch((error: unknown) =>
    log.warn('storage is not reachable yet; answering 503 until it is', { storage: services.store.description, error }),
  );
  const app = createApp(services);
  const inFlight = new InFlight();
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const started = serve(
        {
          fetch: (request, env) => inFlight.run(async () => app.fetch(request, env)),
          hostname: config.host,
          port: config.port,
          serverOptions: nodeServerOptions(config.requestLimits),
        },
        () => resolve(started as Server),
      ) as Server;
      started.once('error', reject);
    });
  } catch (error) {
    await services.close();
    throw new ListenError(config.host, config.port, error);
  }
  const deadlines = new RequestDeadlines(server, config.requestLimits, log);
  const sweeps = startOrphanSweeps(services, log);
  // jobs from before GET /jobs existed: listed once, in the background
  void indexUnlistedJobs(services.redis, services.keys).then(
    (listed) => listed > 0 && log.info('listed jobs made before the job list existed', { jobs: listed }),
    (error: unknown) => log.warn('could not list older jobs yet; the next start tries again', { error }),
  );
  const port = (server.address() as AddressInfo).port;
  log.info('api listening', { host: config.host, port, storage: services.store.description });

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    const sweepsStopped = sweeps.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      log.warn('shutdown grace over: closing the connections of requests still running', { requests: inFlight.size });
      server.closeAllConnections();
    }, config.worker.shutdownGraceMs);
    await closed;
    clearTimeout(cut);
    // A cut upload is still deleting its partial object and temp folder: let it, before the
    // storage client and Redis go away.
    await inFlight.idle(CLEANUP_WAIT_MS);
    deadlines.stop();
    await sweepsStopped;
    await services.close();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    services,
    close: () => (closing ??= close()),
  };
}
