import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@diarization/config';
import type { DiarizationEngine } from '@diarization/engine';
import {
  coalesce,
  diarizeJobDataSchema,
  isTerminal,
  resultObjectKey,
  storedResultDocument,
  summarize,
  toStoredResult,
  type ClusterMetrics,
  type JobRecord,
  type JobRecordStore,
  type VoiceprintStore,
} from '@diarization/jobs';
import { downloadToFile, type ObjectStore } from '@diarization/storage';
import { attributeSpeakers, resolveVoiceprints } from './job-extras';
import { DelayedError, UnrecoverableError, WaitingError } from 'bullmq';
import { classifyError } from './job-errors';
import { PARENT_GONE_REASON } from './parent-watch';
import { throttledProgress } from './progress-reporter';

/** Reason given to BullMQ's cancelJob/cancelAllJobs. */
export const CANCELED_REASON = 'canceled';
export const SHUTDOWN_REASON = 'shutdown';

/** What the processor uses of a (sandboxed) BullMQ job. */
export interface DiarizeAttempt {
  id?: string;
  data: unknown;
  attemptsMade: number;
  opts: { attempts?: number };
  updateProgress(value: { stage: string; percent: number }): Promise<void>;
  moveToWait(token?: string): Promise<void>;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
  updateData(data: unknown): Promise<void>;
}

export interface ProcessDeps {
  records: JobRecordStore;
  store: ObjectStore;
  engine: () => Promise<DiarizationEngine>;
  deleteAudioAfterSuccess: boolean;
  logger: Logger;
  /** How often a running attempt re-reads its record to notice a cancel. */
  cancelPollMs?: number;
  /** Storage outages: a job waits, tried again every storageRetryMs, for storageOutageLimitMs at most. */
  storageRetryMs: number;
  storageOutageLimitMs: number;
  /** Job duration and real-time factor for /metrics. */
  metrics?: ClusterMetrics;
  /** The owners' voiceprints (identify, enrollment); without it, identify finds none. */
  voiceprints?: VoiceprintStore;
}

export type AttemptOutcome = 'succeeded' | 'canceled' | 'skipped';

/**
 * One attempt of a diarization job: audio to a temp file, engine, result to storage, record
 * and webhook. Throws to let BullMQ retry, UnrecoverableError when retrying cannot help, and
 * WaitingError after handing the job back on shutdown.
 */
export async function processDiarizeJob(
  job: DiarizeAttempt,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: ProcessDeps,
): Promise<AttemptOutcome> {
  const data = diarizeJobDataSchema.parse(job.data);
  const log = deps.logger.child({ job_id: data.jobId });
  const record = await deps.records.get(data.jobId);
  if (record === null || isTerminal(record.status)) {
    log.info('nothing to do for this job', { status: record?.status ?? 'expired' });
    // An attempt killed between the job's end and its clean-up (SIGKILL, a Redis reply lost
    // after the write) left what that end deletes: this later attempt finishes it.
    if (record !== null) await deleteWhatTheEndLeaves(record, deps);
    return 'skipped';
  }
  if (!(await deps.records.markProcessing(data.jobId)).changed) return 'skipped';
  const attemptStarted = performance.now();
  log.info('job started', { attempt: job.attemptsMade + 1 });

  // A cancel reaches this attempt through BullMQ's signal (pub/sub) or, should that message
  // be missed, through the record itself. One read at a time: while Redis is unreachable a read
  // waits (offline queue) instead of failing, and must not be joined by one more every tick.
  const canceled = new AbortController();
  const pollCancel = coalesce(async () => {
    const current = await deps.records.get(data.jobId).catch(() => null);
    if (current?.status === 'canceled') canceled.abort(CANCELED_REASON);
  });
  const poll = setInterval(() => void pollCancel(), deps.cancelPollMs ?? 2000);
  // The sandbox child's worker process died: nobody takes this attempt's outcome any more, and
  // another worker runs the job once its lock expires, so this attempt must leave no trace.
  const abandoned = (): boolean => signal?.aborted === true && signal.reason === PARENT_GONE_REASON;
  const combined = signal ? AbortSignal.any([signal, canceled.signal]) : canceled.signal;
  const workDir = await mkdtemp(join(tmpdir(), 'diarization-job-'));

  try {
    const audioPath = join(workDir, `audio${data.extension}`);
    await deps.records.setProgress(data.jobId, 'downloading', 0);
    await downloadToFile(deps.store, data.audioKey, audioPath, combined);
    // storage answers again: a later outage is counted from its own start
    if (data.storageUnavailableSince !== undefined) await job.updateData({ ...data, storageUnavailableSince: undefined });
    const engine = await deps.engine();
    const report = throttledProgress(async (stage, percent) => {
      await deps.records.setProgress(data.jobId, stage, percent);
      await job.updateProgress({ stage, percent: Math.round(percent) });
    });
    const { identify, transcriptKey, returnEmbeddings, ...engineOptions } = record.options;
    // resolved now: a voiceprint deleted since the job was queued is skipped
    const voiceprints = identify === undefined ? [] : await resolveVoiceprints(deps.voiceprints, record.owner, identify);
    // centroids always: a voiceprint can later be made from any of the job's speakers
    const result = await engine.diarize(audioPath, {
      ...engineOptions,
      returnEmbeddings: true,
      ...(voiceprints.length > 0 ? { voiceprints } : {}),
      signal: combined,
      onProgress: report,
    });
    if (abandoned()) throw new Error('the worker process is gone');

    const transcript = transcriptKey === undefined ? undefined : await attributeSpeakers(deps.store, transcriptKey, result);
    const stored = toStoredResult(data.jobId, result, undefined, { returnEmbeddings, identify: identify !== undefined, transcript });
    const resultKey = resultObjectKey(data.jobId);
    await deps.store.put(resultKey, storedResultDocument(stored, result.speakerEmbeddings), { contentType: 'application/json' });
    if (abandoned()) throw new Error('the worker process is gone');
    const finished = await deps.records.markSucceeded(data.jobId, summarize(stored), resultKey);
    if (!finished.changed) {
      // Canceled while the result was being written: the owner asked for nothing to remain.
      await deps.store.delete(resultKey);
      await deleteWhatTheEndLeaves({ ...record, status: 'canceled' }, deps);
      return 'canceled';
    }
    void deps.metrics?.jobSucceeded({ processingSeconds: (performance.now() - attemptStarted) / 1000, audioSeconds: stored.duration });
    await deleteWhatTheEndLeaves({ ...record, status: 'succeeded' }, deps);
    log.info('job succeeded', { duration: stored.duration, speakers: stored.speakers.length, engine_seconds: result.timings?.total });
    return 'succeeded';
  } catch (error) {
    if (abandoned()) {
      // No Redis here: it may be what is gone, and the job's record is the next attempt's.
      log.warn('attempt abandoned: the worker process is gone; another worker takes the job over');
      throw error;
    }
    if (canceled.signal.aborted || (await deps.records.get(data.jobId))?.status === 'canceled') {
      log.info('job canceled while running');
      await deleteWhatTheEndLeaves({ ...record, status: 'canceled' }, deps);
      return 'canceled';
    }
    if (signal?.aborted && signal.reason === SHUTDOWN_REASON) {
      // Hand the job back untouched so another worker starts it at once.
      await deps.records.markRequeued(data.jobId);
      await job.moveToWait(token);
      log.info('job handed back on shutdown');
      throw new WaitingError();
    }
    const { error: jobError, permanent } = classifyError(error);
    if (jobError.code === 'STORAGE_UNAVAILABLE') {
      // Not the job's fault: it waits for storage instead of using up its attempts.
      const since = data.storageUnavailableSince ?? Date.now();
      if (Date.now() - since < deps.storageOutageLimitMs) {
        await job.updateData({ ...data, storageUnavailableSince: since });
        await deps.records.markRetrying(data.jobId, jobError, 'waiting_for_storage');
        await job.moveToDelayed(Date.now() + deps.storageRetryMs, token);
        log.warn('storage is unreachable: the job waits for it without using an attempt', { error: jobError.message, since: new Date(since).toISOString() });
        throw new DelayedError();
      }
    }
    const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (final) {
      // the webhook, if any, goes out through the outbox that markFailed itself fills
      await deps.records.markFailed(data.jobId, jobError);
      await deleteWhatTheEndLeaves({ ...record, status: 'failed' }, deps);
      log.warn('job failed', { code: jobError.code, error: jobError.message, permanent });
    } else {
      await deps.records.markRetrying(data.jobId, jobError);
      log.warn('attempt failed, will retry', { code: jobError.code, error: jobError.message, attempt: job.attemptsMade + 1 });
    }
    throw permanent ? new UnrecoverableError(`${jobError.code}: ${jobError.message}`) : new Error(`${jobError.code}: ${jobError.message}`);
  } finally {
    clearInterval(poll);
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Deletes what a job no longer needs once it ended: its transcript (the result holds the
 * attributed one), and after success its audio when the deployment deletes it. Idempotent, so
 * that any later attempt can finish a clean-up that a killed one began; a storage error leaves
 * it to the retention sweep.
 */
async function deleteWhatTheEndLeaves(ended: JobRecord, deps: Pick<ProcessDeps, 'store' | 'deleteAudioAfterSuccess'>): Promise<void> {
  const keys: string[] = [];
  if (ended.options.transcriptKey !== undefined) keys.push(ended.options.transcriptKey);
  if (ended.status === 'succeeded' && deps.deleteAudioAfterSuccess) keys.push(ended.audioKey);
  for (const key of keys) await deps.store.delete(key).catch(() => undefined);
}
