import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './keys';
import { luaScript } from './lua-scripts';
import { decodeListingCursor, encodeListingCursor, type ListingPosition } from './listing-cursor';
import {
  JOB_STATUSES,
  engineOptionsSchema,
  jobErrorSchema,
  resultSummarySchema,
  webhookStateSchema,
  type EngineOptions,
  type JobError,
  type JobStatus,
  type ResultSummary,
  type WebhookState,
} from './schemas';

/** A job as the API reports it; kept in a Redis hash so that fields update independently. */
export interface JobRecord {
  id: string;
  /** sha256 of the bearer token that created the job. */
  owner: string;
  status: JobStatus;
  stage: string;
  percent: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Attempts started so far (retries and stalled restarts count). */
  attempts: number;
  filename: string | null;
  audioKey: string;
  options: EngineOptions;
  error: JobError | null;
  /** Why the last failed attempt failed, while BullMQ retries it. */
  lastError: JobError | null;
  summary: ResultSummary | null;
  resultKey: string | null;
  webhookUrl: string | null;
  webhook: WebhookState | null;
}

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(schema);

const hashSchema = z.object({
  id: z.string(),
  owner: z.string(),
  status: z.enum(JOB_STATUSES),
  stage: z.string(),
  percent: z.coerce.number(),
  created_at: z.string(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  attempts: z.coerce.number().default(0),
  filename: z.string().optional(),
  audio_key: z.string(),
  options: json(engineOptionsSchema),
  error: json(jobErrorSchema).optional(),
  last_error: json(jobErrorSchema).optional(),
  summary: json(resultSummarySchema).optional(),
  result_key: z.string().optional(),
  webhook_url: z.string().optional(),
  webhook: json(webhookStateSchema).optional(),
});

/** Every status change of a record (lua/transition.lua says what it takes and does). */
const TRANSITION_SCRIPT = luaScript('transition');

/** A terminal move as lua/transition.lua announces it on RedisKeys.finishedChannel. */
export interface FinishedEvent {
  id: string;
  status: string;
}

/** Reads an announcement of a terminal move; a malformed one reads as null. */
export function parseFinishedEvent(message: string): FinishedEvent | null {
  try {
    const parsed = JSON.parse(message) as { id?: unknown; status?: unknown };
    return typeof parsed.id === 'string' && typeof parsed.status === 'string' ? { id: parsed.id, status: parsed.status } : null;
  } catch {
    return null;
  }
}

/** Sets one field only while the record exists (never resurrects an expired record). */
const SET_IF_EXISTS_SCRIPT = luaScript('set-if-exists');

export interface NewJobRecord {
  id: string;
  owner: string;
  filename: string | null;
  audioKey: string;
  options: EngineOptions;
  webhookUrl: string | null;
}

export interface TransitionResult {
  changed: boolean;
  /** Status before the call ('' when the record does not exist). */
  previous: JobStatus | '';
}

/** One step of a listing walk (lua/list-owned.lua says what it takes and does). */
const LIST_OWNED_SCRIPT = luaScript('list-owned');
/** Index entries one step walks, and one listing at most: a status filter that matches little must not scan forever. */
const LISTING_STEP = 250;
const LISTING_BUDGET = 1000;

export interface ListOwnedOptions {
  /** sha256 of the owner's bearer token. */
  owner: string;
  status?: JobStatus;
  /** Jobs per page. */
  limit: number;
  /** next_cursor of the previous page. */
  cursor?: string;
}

export interface OwnedJobsPage {
  jobs: JobRecord[];
  /** null on the last page. A page cut short by the scan budget (rare filters) still has one. */
  nextCursor: string | null;
}

/**
 * Takes finished or deleted jobs out of their owner's listing index (the retention sweep does
 * this when a job's retention ends; the listing drops ids whose record is gone before that).
 */
export async function forgetListedJobs(redis: Redis, keys: RedisKeys, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  // the owner of a job never changes, so reading it before the MULTI is safe
  const owners = await redis.hmget(keys.jobOwners, ...jobIds);
  const multi = redis.multi();
  jobIds.forEach((jobId, index) => {
    const owner = owners[index];
    if (owner !== null) multi.zrem(keys.ownerJobs(owner), jobId);
  });
  await execOrThrow(multi.hdel(keys.jobOwners, ...jobIds));
}

/** A record as read from its hash; null when it does not exist. */
function fromHash(hash: Record<string, string>): JobRecord | null {
  if (Object.keys(hash).length === 0) return null;
  const parsed = hashSchema.parse(hash);
  return {
    id: parsed.id,
    owner: parsed.owner,
    status: parsed.status,
    stage: parsed.stage,
    percent: parsed.percent,
    createdAt: parsed.created_at,
    startedAt: parsed.started_at ?? null,
    finishedAt: parsed.finished_at ?? null,
    attempts: parsed.attempts,
    filename: parsed.filename ?? null,
    audioKey: parsed.audio_key,
    options: parsed.options,
    error: parsed.error ?? null,
    lastError: parsed.last_error ?? null,
    summary: parsed.summary ?? null,
    resultKey: parsed.result_key ?? null,
    webhookUrl: parsed.webhook_url ?? null,
    webhook: parsed.webhook ?? null,
  };
}

/** Runs a MULTI, failing when any of its commands failed (ioredis reports those per command). */
async function execOrThrow(multi: ReturnType<Redis['multi']>): Promise<void> {
  const results = await multi.exec();
  const failed = results?.find(([error]) => error !== null);
  if (failed) throw failed[0];
}

/** Job records in Redis: creation, status transitions, progress and webhook state. */
export class JobRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlSeconds: number,
  ) {}

  async create(job: NewJobRecord, now = new Date()): Promise<void> {
    const fields: Record<string, string> = {
      id: job.id,
      owner: job.owner,
      status: 'queued',
      stage: 'queued',
      percent: '0',
      created_at: now.toISOString(),
      attempts: '0',
      audio_key: job.audioKey,
      options: JSON.stringify(job.options),
    };
    if (job.filename !== null) fields.filename = job.filename;
    if (job.webhookUrl !== null) {
      fields.webhook_url = job.webhookUrl;
      const pending: WebhookState = {
        url: job.webhookUrl,
        status: 'pending',
        attempts: 0,
        last_status_code: null,
        last_error: null,
        delivered_at: null,
      };
      fields.webhook = JSON.stringify(pending);
    }
    // the record, its place in the submission outbox and in its owner's listing together, or none
    await execOrThrow(
      this.redis
        .multi()
        .hset(this.keys.record(job.id), fields)
        .zadd(this.keys.submitOutbox, now.getTime(), job.id)
        .zadd(this.keys.ownerJobs(job.owner), now.getTime(), job.id)
        .hset(this.keys.jobOwners, job.id, job.owner),
    );
  }

  /** The new job is in the diarize queue: nothing is left for the submission outbox to do. */
  async confirmQueued(jobId: string): Promise<void> {
    await this.redis.zrem(this.keys.submitOutbox, jobId);
  }

  /** Removes a record (one that never made it into the queue, or a deleted job). */
  async remove(jobId: string): Promise<void> {
    await execOrThrow(this.redis.multi().del(this.keys.record(jobId)).zrem(this.keys.submitOutbox, jobId));
    await forgetListedJobs(this.redis, this.keys, [jobId]);
  }

  /**
   * One page of an owner's jobs, newest first (creation time, then id, both descending). The
   * cursor is a position in the owner's index, so jobs created between two pages never shift
   * the next page: each job that existed when the walk started shows up exactly once.
   * Throws InvalidCursorError for a cursor this service did not issue.
   */
  async listOwned(options: ListOwnedOptions): Promise<OwnedJobsPage> {
    let position: ListingPosition = options.cursor === undefined ? { score: '+inf', id: '' } : decodeListingCursor(options.cursor);
    const jobs: JobRecord[] = [];
    let ended = false;
    for (let walked = 0; jobs.length < options.limit && !ended && walked < LISTING_BUDGET; walked += LISTING_STEP) {
      const [ids, score, id, end] = (await this.redis.eval(
        LIST_OWNED_SCRIPT,
        1,
        this.keys.ownerJobs(options.owner),
        this.keys.record(''),
        position.score,
        position.id,
        options.status ?? '',
        String(options.limit - jobs.length),
        String(LISTING_STEP),
      )) as [string[], string, string, number];
      position = { score, id };
      ended = end === 1;
      for (const record of await this.getMany(ids)) {
        // a record can expire or move on between the walk and this read
        if (record !== null && (options.status === undefined || record.status === options.status)) jobs.push(record);
      }
    }
    return { jobs, nextCursor: ended || position.id === '' ? null : encodeListingCursor(position) };
  }

  private async getMany(jobIds: readonly string[]): Promise<(JobRecord | null)[]> {
    if (jobIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const jobId of jobIds) pipeline.hgetall(this.keys.record(jobId));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, hash]) => {
      if (error !== null) throw error;
      return fromHash(hash as Record<string, string>);
    });
  }

  async get(jobId: string): Promise<JobRecord | null> {
    return fromHash(await this.redis.hgetall(this.keys.record(jobId)));
  }
  private async transition(
    jobId: string,
    from: readonly JobStatus[],
    to: JobStatus,
    fields: [string, string][],
    terminal: boolean,
  ): Promise<TransitionResult> {
    const now = Date.now();
    const args = [
      from.join(','),
      to,
      terminal ? String(this.ttlSeconds) : '0',
      String(now + this.ttlSeconds * 1000),
      jobId,
      this.keys.finishedChannel,
      ...fields.flat(),
    ];
    const [changed, previous] = (await this.redis.eval(
      TRANSITION_SCRIPT,
      3,
      this.keys.record(jobId),
      this.keys.expiry,
      this.keys.webhookOutbox,
      ...args,
    )) as [number, string];
    return { changed: changed === 1, previous: previous as JobStatus | '' };
  }

  /** A worker starts an attempt (also after a retry or a stalled restart). */
  markProcessing(jobId: string, now = new Date()): Promise<TransitionResult> {
    return this.transition(
      jobId,
      ['queued', 'processing'],
      'processing',
      [
        ['?started_at', now.toISOString()],
        ['stage', 'starting'],
        ['+attempts', '1'],
      ],
      false,
    );
  }

  async setProgress(jobId: string, stage: string, percent: number): Promise<boolean> {
    const result = await this.transition(
      jobId,
      ['processing'],
      'processing',
      [
        ['stage', stage],
        ['percent', String(Math.max(0, Math.min(100, Math.round(percent))))],
      ],
      false,
    );
    return result.changed;
  }

  /**
   * A failed attempt that BullMQ will retry (`waiting_to_retry`), or that waits, without using an
   * attempt, for a dependency to come back (`waiting_for_storage`).
   */
  markRetrying(jobId: string, error: JobError, stage: 'waiting_to_retry' | 'waiting_for_storage' = 'waiting_to_retry'): Promise<TransitionResult> {
    return this.transition(
      jobId,
      ['processing', 'queued'],
      'queued',
      [
        ['stage', stage],
        ['percent', '0'],
        ['last_error', JSON.stringify(error)],
        // a try that found storage down was not an attempt at the job
        ...(stage === 'waiting_for_storage' ? [['+attempts', '-1'] as [string, string]] : []),
      ],
      false,
    );
  }

  /** A running attempt handed back to the queue (worker shutdown): not a failure. */
  markRequeued(jobId: string): Promise<TransitionResult> {
    return this.transition(
      jobId,
      ['processing'],
      'queued',
      [
        ['stage', 'queued'],
        ['percent', '0'],
      ],
      false,
    );
  }

  markSucceeded(jobId: string, summary: ResultSummary, resultKey: string, now = new Date()): Promise<TransitionResult> {
    return this.transition(
      jobId,
      ['processing', 'queued'],
      'succeeded',
      [
        ['stage', 'done'],
        ['percent', '100'],
        ['finished_at', now.toISOString()],
        ['summary', JSON.stringify(summary)],
        ['result_key', resultKey],
      ],
      true,
    );
  }

  markFailed(jobId: string, error: JobError, now = new Date()): Promise<TransitionResult> {
    return this.transition(
      jobId,
      ['processing', 'queued'],
      'failed',
      [
        ['stage', 'failed'],
        ['finished_at', now.toISOString()],
        ['error', JSON.stringify(error)],
      ],
      true,
    );
  }

  markCanceled(jobId: string, now = new Date()): Promise<TransitionResult> {
    return this.transition(
      jobId,
      ['processing', 'queued'],
      'canceled',
      [
        ['stage', 'canceled'],
        ['finished_at', now.toISOString()],
        ['error', JSON.stringify({ code: 'CANCELED', message: 'the job was canceled by its owner' } satisfies JobError)],
      ],
      true,
    );
  }

  async setWebhookState(jobId: string, state: WebhookState): Promise<void> {
    await this.redis.eval(SET_IF_EXISTS_SCRIPT, 1, this.keys.record(jobId), 'webhook', JSON.stringify(state));
  }
}
