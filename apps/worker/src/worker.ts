import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Logger, ServiceConfig } from '@diarization/config';
import {
  coalesce,
  ClusterMetrics,
  createRedis,
  createWebhookQueue,
  deliverWebhook,
  DIARIZE_QUEUE,
  queuePolicies,
  relaySubmitOutbox,
  relayWebhookOutbox,
  createDiarizeQueue,
  JobRecordStore,
  parseFinishedEvent,
  RedisKeys,
  removeHeartbeat,
  sweepExpiredObjects,
  WEBHOOK_QUEUE,
  writeHeartbeat,
  type WebhookJobData,
  type WorkerHeartbeat,
} from '@diarization/jobs';
import { createObjectStore, type ObjectStore } from '@diarization/storage';
import { QueueEvents, Worker, type Job } from 'bullmq';
import { childEnvironment } from './child-config';
import { checkModels, type ModelStatus } from './model-check';
import { CANCELED_REASON, SHUTDOWN_REASON } from './process-job';

const MODEL_RETRY_MS = 15_000;
/** How often a worker checks that storage answers: at start, and while running (no jobs while it does not). */
const STORAGE_CHECK_MS = 5_000;
const SWEEP_INTERVAL_MS = 60_000;
/** How often the outboxes are relayed (the webhook one also at once when a job finishes). */
const OUTBOX_RELAY_MS = 5_000;
/** A new job the API has not confirmed as queued after this long is queued by a worker. */
const SUBMIT_CONFIRM_MS = 30_000;
const WEBHOOK_CONCURRENCY = 8;
/** After the grace period, how long an orderly close may still take before connections are cut. */
const CLOSE_MARGIN_MS = 5_000;

export interface RunningWorker {
  readonly id: string;
  /** Resolves once the worker takes jobs (models loaded). */
  readonly ready: Promise<void>;
  /** Stops taking jobs, lets the current ones finish within the grace period, hands back the rest. */
  close(): Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function initStorage(store: ObjectStore, logger: Logger, stopping: AbortSignal): Promise<void> {
  while (!stopping.aborted) {
    try {
      await store.init();
      return;
    } catch (error) {
      logger.warn('storage is not reachable yet; retrying', { storage: store.description, error });
      await sleep(STORAGE_CHECK_MS, stopping);
    }
  }
}

/** The worker process: diarization (sandboxed), webhook delivery, heartbeat, retention sweep. */
export function startWorker(config: ServiceConfig, logger: Logger): RunningWorker {
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const log = logger.child({ component: 'worker', worker_id: id });
  const keys = new RedisKeys(config.queuePrefix);
  const onRedisError = (error: Error): void => log.debug('redis connection error', { error: error.message });
  const redis = createRedis(config.redisUrl, { failFast: false, onError: onRedisError });
  const subscriber = createRedis(config.redisUrl, { failFast: false, onError: onRedisError });
  const store = createObjectStore(config.storage);
  const records = new JobRecordStore(redis, keys, config.retention.jobTtlSeconds);
  const metrics = new ClusterMetrics(redis, keys, (error) => log.debug('metrics write failed', { error }));
  const webhookQueue = createWebhookQueue(redis, config.queuePrefix, onRedisError);
  const diarizeQueue = createDiarizeQueue(redis, config.queuePrefix, onRedisError);
  const { diarize: jobPolicy, webhooks: webhookPolicy } = queuePolicies(config);
  const stopping = new AbortController();
  const startedAt = new Date().toISOString();
  let models: ModelStatus = { loaded: false, error: 'loading models' };

  // Coalesced: while Redis is down a write waits in the offline queue; ticks must not pile up more.
  const heartbeat = coalesce(async (): Promise<void> => {
    // A run that waited behind a slow one must not bring back the heartbeat close() removed.
    if (stopping.signal.aborted) return;
    const beat: WorkerHeartbeat = {
      id,
      hostname: hostname(),
      pid: process.pid,
      started_at: startedAt,
      models_loaded: models.loaded,
      model_error: models.loaded ? null : models.error,
      execution_provider: config.worker.executionProvider,
      concurrency: config.worker.concurrency,
      models: models.loaded ? { segmentation: models.segmentation, embedding: models.embedding, embedding_model: models.embeddingModel } : null,
    };
    await writeHeartbeat(redis, keys, beat, config.worker.heartbeatSeconds * 3).catch((error: unknown) =>
      log.debug('heartbeat failed', { error }),
    );
  });
  void heartbeat();
  const heartbeatTimer = setInterval(() => void heartbeat(), config.worker.heartbeatSeconds * 1000);

  const connections = [redis, subscriber];
  const connection = () => {
    const created = createRedis(config.redisUrl, { failFast: false, onError: onRedisError });
    connections.push(created);
    return created;
  };

  const diarizeWorker = new Worker(DIARIZE_QUEUE, join(__dirname, 'processor.js'), {
    connection: connection(),
    prefix: config.queuePrefix,
    concurrency: config.worker.concurrency,
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
    maxStalledCount: config.worker.maxStalledCount,
    workerForkOptions: { env: childEnvironment(config) },
    name: id,
    autorun: false,
  });
  diarizeWorker.on('error', (error) => log.warn('diarize worker error', { error: error.message }));
  diarizeWorker.on('stalled', (jobId) => log.warn('job stalled (its worker died?); requeued', { job_id: jobId }));

  const webhookWorker = new Worker<WebhookJobData>(
    WEBHOOK_QUEUE,
    async (job: Job<WebhookJobData>) => {
      await deliverWebhook(job, {
        records,
        store,
        secret: config.webhooks.secret,
        timeoutMs: config.webhooks.timeoutMs,
        allowPrivateUrls: config.allowPrivateUrls,
        logger: log,
        metrics,
      });
    },
    {
      connection: connection(),
      prefix: config.queuePrefix,
      concurrency: WEBHOOK_CONCURRENCY,
      autorun: false,
    },
  );
  webhookWorker.on('error', (error) => log.warn('webhook worker error', { error: error.message }));

  // Jobs BullMQ fails on its own (stalled too often) never reach the processor's failure path.
  const diarizeEvents = new QueueEvents(DIARIZE_QUEUE, {
    connection: connection(),
    prefix: config.queuePrefix,
  });
  diarizeEvents.on('error', onRedisError);
  diarizeEvents.on('failed', ({ jobId, failedReason }) => {
    void (async () => {
      // its webhook, if any, goes out through the outbox that markFailed itself fills
      const failed = await records.markFailed(jobId, { code: 'WORKER_LOST', message: `the job could not be finished: ${failedReason}` });
      if (failed.changed) log.warn('job failed outside the processor', { job_id: jobId, reason: failedReason });
    })().catch((error: unknown) => log.warn('could not record a failed job', { job_id: jobId, error }));
  });

  // Webhooks of finished jobs: the step that finishes a job puts it into the outbox; this queues
  // them, at once when a job finishes anywhere, and every few seconds for whatever was missed.
  const relayWebhooks = coalesce(async () => {
    await relayWebhookOutbox(redis, keys, webhookQueue, webhookPolicy).catch((error: unknown) => log.debug('webhook outbox relay failed', { error }));
  });
  // New jobs whose API died between creating and queueing them (normally it confirms at once).
  const relaySubmissions = coalesce(async () => {
    await relaySubmitOutbox(redis, keys, records, diarizeQueue, jobPolicy, { olderThanMs: SUBMIT_CONFIRM_MS })
      .then((queued) => queued > 0 && log.warn('queued jobs their API created but did not queue', { jobs: queued }))
      .catch((error: unknown) => log.debug('submission outbox relay failed', { error }));
  });
  const relayTimer = setInterval(() => {
    void relayWebhooks();
    void relaySubmissions();
  }, OUTBOX_RELAY_MS);

  // Every move into a terminal state is announced by the step that makes it (lua/transition.lua).
  // A cancel reaches a running attempt this one way: the announcement of its record's move to
  // "canceled" (the attempt also re-reads its record every 2 s, should the message be missed).
  void subscriber.subscribe(keys.finishedChannel).catch((error: unknown) => log.warn('event subscription failed', { error }));
  subscriber.on('message', (_channel: string, message: string) => {
    void relayWebhooks();
    const finished = parseFinishedEvent(message);
    if (finished?.status === 'canceled' && diarizeWorker.cancelJob(finished.id, CANCELED_REASON)) log.info('canceling running job', { job_id: finished.id });
  });

  const sweep = coalesce(async () => {
    await sweepExpiredObjects(redis, keys, store)
      .then((swept) => swept > 0 && log.info('deleted expired audio and results', { jobs: swept }))
      .catch((error: unknown) => log.warn('retention sweep failed', { error }));
  });
  const sweepTimer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);

  // While storage is unreachable every job would fail at once: take none, and let them wait.
  let storageDown = false;
  let takingJobs = false;
  const probeStorage = coalesce(async () => {
    if (stopping.signal.aborted || !takingJobs) return;
    const reachable = await store.ping().then(
      () => true,
      () => false,
    );
    if (!reachable && !storageDown) {
      storageDown = true;
      log.warn('storage is unreachable: taking no jobs until it answers again', { storage: store.description });
      await diarizeWorker.pause(true);
    } else if (reachable && storageDown) {
      storageDown = false;
      log.info('storage answers again: taking jobs', { storage: store.description });
      await diarizeWorker.resume();
    }
  });
  const storageProbeTimer = setInterval(() => void probeStorage(), STORAGE_CHECK_MS);

  const ready = (async () => {
    await initStorage(store, log, stopping.signal);
    void webhookWorker.run().catch((error: unknown) => log.error('webhook worker stopped', { error }));
    void relayWebhooks();
    while (!stopping.signal.aborted) {
      models = await checkModels(config);
      await heartbeat();
      if (models.loaded) break;
      void metrics.modelLoadFailed('startup_check');
      log.error('models could not be loaded; not taking jobs until they can', { error: models.error });
      await sleep(MODEL_RETRY_MS, stopping.signal);
    }
    if (stopping.signal.aborted || !models.loaded) return;
    for (const notice of models.notices) log.warn(notice);
    void diarizeWorker.run().catch((error: unknown) => log.error('diarize worker stopped', { error }));
    takingJobs = true;
    log.info('worker ready', {
      concurrency: config.worker.concurrency,
      execution_provider: config.worker.executionProvider,
      segmentation: models.segmentation,
      embedding: models.embedding,
      storage: store.description,
    });
  })();

  const orderlyClose = async (): Promise<void> => {
    const grace = setTimeout(() => {
      log.warn('grace period over: handing running jobs back to the queue');
      diarizeWorker.cancelAllJobs(SHUTDOWN_REASON);
    }, config.worker.shutdownGraceMs);
    await Promise.allSettled([diarizeWorker.close(), webhookWorker.close(), diarizeEvents.close()]);
    clearTimeout(grace);
    await removeHeartbeat(redis, keys, id).catch(() => undefined);
    await webhookQueue.close().catch(() => undefined);
    await diarizeQueue.close().catch(() => undefined);
  };

  const close = async (): Promise<void> => {
    stopping.abort();
    clearInterval(heartbeatTimer);
    clearInterval(sweepTimer);
    clearInterval(relayTimer);
    clearInterval(storageProbeTimer);
    log.info('shutting down: no new jobs; waiting for running ones', { grace_ms: config.worker.shutdownGraceMs });
    // With Redis unreachable BullMQ's close waits for it forever: the process must still stop.
    let deadline: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      orderlyClose().then(() => true),
      new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(false), config.worker.shutdownGraceMs + CLOSE_MARGIN_MS))),
    ]);
    clearTimeout(deadline);
    if (!inTime) {
      log.warn('could not stop in an orderly way (is Redis reachable?): closing the connections; running jobs come back once their locks expire');
      diarizeWorker.cancelAllJobs(SHUTDOWN_REASON);
      void diarizeWorker.close(true).catch(() => undefined);
      void webhookWorker.close(true).catch(() => undefined);
    }
    for (const open of connections) open.disconnect();
    (store as { destroy?: () => void }).destroy?.();
    log.info('worker stopped');
  };

  return { id, ready, close };
}
