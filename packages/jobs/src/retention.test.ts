import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalObjectStore, S3ObjectStore, type ObjectStore } from '@diarization/storage';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { startS3, type TestS3 } from '../../../test/support/s3-server';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';
import { createRedis, JobRecordStore, ownerKeyOfObject, reclaimOrphans, redisReady, RedisKeys } from './index';

const HOUR = 3600_000;

/** Sets a file's or folder's modification time `ageMs` in the past. */
function age(path: string, ageMs: number): void {
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
}

describe('ownerKeyOfObject', () => {
  it("names the Redis key that keeps each of our objects alive, and nothing for others' objects", () => {
    const keys = new RedisKeys('t');
    expect(ownerKeyOfObject('audio/3f0c/original', keys)).toBe(keys.record('3f0c'));
    expect(ownerKeyOfObject('audio/3f0c/transcript.json', keys)).toBe(keys.record('3f0c'));
    expect(ownerKeyOfObject('results/3f0c.json', keys)).toBe(keys.record('3f0c'));
    expect(ownerKeyOfObject('voiceprints/9a1b/clip', keys)).toBe(keys.voiceprintEnrollment('9a1b'));
    expect(ownerKeyOfObject('audio/3f0c', keys)).toBeNull();
    expect(ownerKeyOfObject('audio/a/b/c', keys)).toBeNull();
    expect(ownerKeyOfObject('voiceprints/9a1b/other', keys)).toBeNull();
    expect(ownerKeyOfObject('backups/3f0c.json', keys)).toBeNull();
  });
});

interface Backend {
  name: string;
  setUp(dir: string): Promise<ObjectStore>;
  tearDown(): Promise<void>;
  /** Writes an object whose last write is `ageMs` ago (S3 cannot backdate: reclaim then looks from the future). */
  local: boolean;
}

let s3: TestS3 | undefined;
const backends: Backend[] = [
  { name: 'a local folder', local: true, setUp: async (dir) => new LocalObjectStore(join(dir, 'objects')), tearDown: async () => undefined },
  {
    name: 'S3 (s3rver)',
    local: false,
    setUp: async () => {
      s3 = await startS3({ bucket: 'orphans' });
      return new S3ObjectStore({ ...s3, region: 'us-east-1', forcePathStyle: true });
    },
    tearDown: async () => s3?.stop(),
  },
];

describe.each(backends)('reclaimOrphans, storage in $name (real Redis)', (backend) => {
  let server: TestRedis;
  let redis: Redis;
  let dir: TempDir;
  let store: ObjectStore;
  const keys = new RedisKeys('orphans-test');

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
    dir = makeTempDir('orphans-');
    store = await backend.setUp(dir.path);
    await store.init();
  });
  afterAll(async () => {
    redis.disconnect();
    (store as { destroy?: () => void }).destroy?.();
    await backend.tearDown();
    await server.stop();
    dir.remove();
  });

  it('deletes objects without a job record, stale partial writes and upload temp folders; nothing of live jobs', async () => {
    const records = new JobRecordStore(redis, keys, 3600);
    await records.create({ id: 'live', owner: 'o', filename: null, audioKey: 'audio/live/original', options: { exclusive: false }, webhookUrl: null });
    await store.put('audio/live/original', 'live audio');
    await store.put('results/live.json', '{}');
    await store.put('audio/orphan/original', 'stored by an API killed before it created the job');
    await store.put('results/gone.json', '{}');
    await store.put('audio/live/transcript.json', '{}');
    await store.put('voiceprints/abandoned/clip', 'an enrollment whose API died before it was recorded');
    await store.put('voiceprints/pending/clip', 'an enrollment waiting for a worker');
    await redis.set(keys.voiceprintEnrollment('pending'), '{}', 'EX', 3600);
    await store.put('backups/keep.json', '{}'); // not a key of ours

    // The OS temp dir: the API's upload folders, a worker's job folder, somebody else's.
    const tmp = join(dir.path, 'tmp');
    const abandoned = join(tmp, 'diarization-upload-abandoned');
    const uploading = join(tmp, 'diarization-upload-uploading');
    for (const folder of [abandoned, uploading, join(tmp, 'diarization-job-1'), join(tmp, 'unrelated')]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'upload.wav'), 'bytes');
      age(join(folder, 'upload.wav'), 2 * HOUR);
      age(folder, 2 * HOUR);
    }
    // An upload in progress: an old folder, but its file was written a moment ago.
    writeFileSync(join(uploading, 'upload.wav'), 'more bytes');

    let partials: string | undefined;
    if (backend.local) {
      // Writes of a process killed mid-put: one long abandoned, one still being written.
      partials = join(dir.path, 'objects', '.partial');
      writeFileSync(join(partials, 'abandoned'), 'half an upload');
      age(join(partials, 'abandoned'), 2 * HOUR);
      writeFileSync(join(partials, 'writing'), 'in progress');
      for (const key of [
        'audio/live/original',
        'audio/live/transcript.json',
        'results/live.json',
        'audio/orphan/original',
        'results/gone.json',
        'voiceprints/abandoned/clip',
        'voiceprints/pending/clip',
        'backups/keep.json',
      ]) {
        age(join(dir.path, 'objects', key), 2 * HOUR);
      }
    }

    // S3 objects were just written: look from two hours on, as the local ones were aged.
    const now = backend.local ? Date.now() : Date.now() + 2 * HOUR;
    const reclaimed = await reclaimOrphans(redis, keys, store, { graceMs: HOUR, now, tempDir: tmp });
    expect(reclaimed).toEqual({ objects: 3, partialUploads: backend.local ? 1 : 0, tempFolders: backend.local ? 1 : 2 });

    expect(await store.head('audio/orphan/original')).toBeNull();
    expect(await store.head('results/gone.json')).toBeNull();
    expect(await store.head('voiceprints/abandoned/clip')).toBeNull();
    expect(await store.head('voiceprints/pending/clip')).not.toBeNull();
    expect(await store.head('audio/live/transcript.json')).not.toBeNull();
    expect(await store.head('audio/live/original')).not.toBeNull();
    expect(await store.head('results/live.json')).not.toBeNull();
    expect(await store.head('backups/keep.json')).not.toBeNull();
    const left = readdirSync(tmp).sort();
    expect(left).toEqual(backend.local ? ['diarization-job-1', 'diarization-upload-uploading', 'unrelated'] : ['diarization-job-1', 'unrelated']);
    if (partials !== undefined) expect(readdirSync(partials)).toEqual(['writing']);

    // Nothing left to do: a second sweep finds nothing.
    expect(await reclaimOrphans(redis, keys, store, { graceMs: HOUR, now, tempDir: tmp })).toEqual({ objects: 0, partialUploads: 0, tempFolders: 0 });
  });

  it('leaves objects younger than the grace period, record or not (an upload just stored, its job being created)', async () => {
    await store.put('audio/just-stored/original', 'audio');
    const reclaimed = await reclaimOrphans(redis, keys, store, { graceMs: HOUR, tempDir: join(dir.path, 'no-tmp') });
    expect(reclaimed.objects).toBe(0);
    expect(await store.head('audio/just-stored/original')).not.toBeNull();
  });

  it('never takes a Redis failure for "no record": the sweep stops and deletes no object', async () => {
    await store.put('audio/while-redis-is-down/original', 'audio');
    // What the API's fail-fast connection answers while Redis is down.
    const down = { exists: () => Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false")) } as unknown as Redis;
    await expect(
      reclaimOrphans(down, keys, store, { graceMs: HOUR, now: Date.now() + 2 * HOUR, tempDir: join(dir.path, 'no-tmp') }),
    ).rejects.toThrow(/Stream isn't writeable/);
    expect(await store.head('audio/while-redis-is-down/original')).not.toBeNull();
    expect(await store.head('audio/live/original')).not.toBeNull();
  });
});
