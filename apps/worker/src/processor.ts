/**
 * The sandboxed processor: BullMQ runs this file in a child process, so inference never blocks
 * the parent's event loop, which keeps renewing the job locks (no false "stalled" jobs).
 * One engine per child, loaded on its first job and reused for the next ones.
 */
import { createLogger } from '@diarization/config';
import {
  ClusterMetrics,
  createRedis,
  ENROLL_VOICE_JOB,
  JobRecordStore,
  RedisKeys,
  VoiceprintStore,
} from '@diarization/jobs';
import { createObjectStore } from '@diarization/storage';
import type { SandboxedJob } from 'bullmq';
import { configInChild } from './child-config';
import { sharedEngine } from './engine-loader';
import { watchParent } from './parent-watch';
import { processEnrollment } from './enroll-voice';
import { processDiarizeJob, type AttemptOutcome, type ProcessDeps } from './process-job';

let deps: ProcessDeps | undefined;

// This child exits (after aborting its running attempt) once the worker process that forked it
// is gone, whatever killed it: see parent-watch.ts.
const parent = watchParent({
  onGone: (why) => deps?.logger.warn('the worker process is gone; abandoning the running job and exiting', { reason: why }),
});

function dependencies(): ProcessDeps {
  if (deps !== undefined) return deps;
  const config = configInChild();
  const logger = createLogger(config.logLevel, { component: 'worker-child', pid: process.pid });
  const onRedisError = (error: Error): void => logger.debug('redis error', { error: error.message });
  const redis = createRedis(config.redisUrl, { failFast: false, onError: onRedisError });
  const metrics = new ClusterMetrics(redis, new RedisKeys(config.queuePrefix), (error) => logger.debug('metrics write failed', { error }));
  deps = {
    records: new JobRecordStore(redis, new RedisKeys(config.queuePrefix), config.retention.jobTtlSeconds),
    store: createObjectStore(config.storage),
    engine: () =>
      sharedEngine(config).catch((error: unknown) => {
        void metrics.modelLoadFailed('job');
        throw error;
      }),
    metrics,
    voiceprints: new VoiceprintStore(redis, new RedisKeys(config.queuePrefix)),
    deleteAudioAfterSuccess: config.retention.deleteAudioAfterSuccess,
    logger,
    storageRetryMs: config.worker.storageRetryMs,
    storageOutageLimitMs: config.worker.storageOutageLimitMs,
  };
  return deps;
}

/** BullMQ's signal (cancel, shutdown) and the parent watch's, for one attempt. */
function attemptSignal(signal: AbortSignal | undefined): { signal: AbortSignal; release(): void } {
  const attempt = new AbortController();
  const sources = signal === undefined ? [parent.signal] : [signal, parent.signal];
  const listeners = sources.map((source) => {
    const forward = (): void => attempt.abort(source.reason);
    if (source.aborted) forward();
    else source.addEventListener('abort', forward, { once: true });
    return { source, forward };
  });
  return {
    signal: attempt.signal,
    release: () => listeners.forEach(({ source, forward }) => source.removeEventListener('abort', forward)),
  };
}

export default async function diarizeProcessor(job: SandboxedJob, token?: string, signal?: AbortSignal): Promise<AttemptOutcome> {
  const attempt = attemptSignal(signal);
  try {
    // enrollments (POST /voiceprints with a clip) share this queue: they need the same models
    if (job.name === ENROLL_VOICE_JOB) return await parent.track(processEnrollment(job, attempt.signal, dependencies()));
    return await parent.track(processDiarizeJob(job, token, attempt.signal, dependencies()));
  } finally {
    attempt.release();
  }
}
