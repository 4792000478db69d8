import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@diarization/storage';
import type { Redis } from 'ioredis';
import { jobObjectKeys, type RedisKeys } from './keys';
import { forgetListedJobs } from './records';

/** Prefix of the API's per-upload temp folders in the OS temp dir (see submit.ts). */
export const UPLOAD_TEMP_PREFIX = 'diarization-upload-';
const EXISTS_BATCH = 100;

/** Deletes what a job stored (audio, transcript, result); deleting what is not there is no error. */
export async function deleteJobObjects(store: ObjectStore, jobId: string): Promise<void> {
  for (const key of jobObjectKeys(jobId)) await store.delete(key);
}

/**
 * Deletes the stored audio and result of jobs whose retention ended, and their entries in their
 * owner's listing index. Records expire by their own Redis TTL; objects and the index need this sweep. ZREM decides which sweeper owns an id, so several
 * workers can sweep at once without doing the same work twice.
 */
export async function sweepExpiredObjects(
  redis: Redis,
  keys: RedisKeys,
  store: ObjectStore,
  { now = Date.now(), batch = 100 }: { now?: number; batch?: number } = {},
): Promise<number> {
  const due = await redis.zrangebyscore(keys.expiry, '-inf', now, 'LIMIT', 0, batch);
  let swept = 0;
  for (const jobId of due) {
    if ((await redis.zrem(keys.expiry, jobId)) !== 1) continue;
    await deleteJobObjects(store, jobId);
    // its record expired with the same TTL: the owner's listing index lets it go too
    await forgetListedJobs(redis, keys, [jobId]);
    swept++;
  }
  return swept;
}

export interface OrphanSweepOptions {
  /** Anything written more recently than this is left alone: it may belong to a request in progress. */
  graceMs: number;
  /**
   * S3 multipart uploads are dated by when they started, not by their last byte: they get this
   * much (at least graceMs; the API adds the longest request it accepts).
   */
  uploadGraceMs?: number;
  now?: number;
  /** Where the API makes its upload temp folders (the OS temp dir). */
  tempDir?: string;
  /** Stops between two deletions (shutdown). */
  signal?: AbortSignal;
}

export interface ReclaimedOrphans {
  /** Audio and result objects of jobs that have no record. */
  objects: number;
  /** Unfinished writes: the local store's .partial files, S3 multipart uploads. */
  partialUploads: number;
  /** `diarization-upload-*` temp folders nobody has touched within the grace period. */
  tempFolders: number;
}

/**
 * The Redis key whose existence keeps a stored object alive, else null (not one of ours):
 * a job's record for `audio/<id>/...` and `results/<id>.json`, an enrollment in progress for
 * `voiceprints/<id>/clip` (the clip is deleted once embedded).
 */
export function ownerKeyOfObject(key: string, keys: RedisKeys): string | null {
  const job = /^audio\/([^/]+)\/[^/]+$/.exec(key) ?? /^results\/([^/]+)\.json$/.exec(key);
  if (job) return keys.record(job[1]);
  const clip = /^voiceprints\/([^/]+)\/clip$/.exec(key);
  return clip ? keys.voiceprintEnrollment(clip[1]) : null;
}

/**
 * Reclaims what a process killed at the wrong moment (SIGKILL, OOM, power loss) leaves behind,
 * which the retention sweep never sees because it only walks jobs that have a record:
 *
 * - audio and result objects whose job has no record (the API died after storing an upload
 *   but before creating its job; a record lost with Redis's data or expired before the sweep);
 * - unfinished writes in the store (local `.partial` files, S3 multipart uploads);
 * - the API's `diarization-upload-*` temp folders.
 *
 * Only what is older than the grace period goes: an upload in progress touches its temp file
 * and partial object with every chunk, and a finished upload gets its record within seconds.
 * "No record" is asked of Redis for each candidate; a Redis error stops the sweep (it never
 * counts as "no record").
 */
export async function reclaimOrphans(
  redis: Redis,
  keys: RedisKeys,
  store: ObjectStore,
  options: OrphanSweepOptions,
): Promise<ReclaimedOrphans> {
  const now = options.now ?? Date.now();
  const cutoff = now - options.graceMs;
  const reclaimed: ReclaimedOrphans = { objects: 0, partialUploads: 0, tempFolders: 0 };

  // What needs no Redis first: a Redis outage must not keep these around.
  reclaimed.tempFolders = await removeStaleTempFolders(options.tempDir ?? tmpdir(), cutoff, options.signal);
  options.signal?.throwIfAborted();
  reclaimed.partialUploads = await store.removeStaleUploads({
    writtenBefore: new Date(cutoff),
    startedBefore: new Date(now - Math.max(options.graceMs, options.uploadGraceMs ?? 0)),
  });

  // Candidates are checked against Redis in batches (one round trip for many EXISTS).
  let batch: { key: string; ownerKey: string }[] = [];
  const flush = async (): Promise<void> => {
    const exists = await Promise.all(batch.map(({ ownerKey }) => redis.exists(ownerKey)));
    for (const [index, { key }] of batch.entries()) {
      if (exists[index] === 1) continue;
      options.signal?.throwIfAborted();
      await store.delete(key);
      reclaimed.objects++;
    }
    batch = [];
  };
  for (const prefix of ['audio/', 'results/', 'voiceprints/']) {
    for await (const object of store.list(prefix)) {
      options.signal?.throwIfAborted();
      if (object.lastModified.getTime() >= cutoff) continue;
      const ownerKey = ownerKeyOfObject(object.key, keys);
      if (ownerKey === null) continue; // not one of ours: leave it
      batch.push({ key: object.key, ownerKey });
      if (batch.length >= EXISTS_BATCH) await flush();
    }
  }
  await flush();
  return reclaimed;
}

/** Newest modification time of a folder and of what is directly inside it. */
async function lastTouched(dir: string, own: number): Promise<number> {
  let newest = own;
  for (const name of await readdir(dir)) {
    try {
      newest = Math.max(newest, (await lstat(join(dir, name))).mtimeMs);
    } catch {
      // removed meanwhile
    }
  }
  return newest;
}

async function removeStaleTempFolders(tempDir: string, cutoff: number, signal?: AbortSignal): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tempDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
    signal?.throwIfAborted();
    const path = join(tempDir, name);
    try {
      const info = await lstat(path);
      if (!info.isDirectory()) continue; // never follow a link out of the temp dir
      if ((await lastTouched(path, info.mtimeMs)) >= cutoff) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    } catch {
      // gone meanwhile, or another user's folder in a shared /tmp
    }
  }
  return removed;
}
