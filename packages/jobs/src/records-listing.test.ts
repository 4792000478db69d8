import type { Redis } from 'ioredis';
import { LocalObjectStore } from '@diarization/storage';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';
import { newJobRecord } from '../../../test/support/job-records';
import {
  createRedis,
  decodeListingCursor,
  encodeListingCursor,
  indexUnlistedJobs,
  InvalidCursorError,
  JobRecordStore,
  redisReady,
  RedisKeys,
  sweepExpiredObjects,
  type ListOwnedOptions,
} from './index';

describe('listing cursors', () => {
  it('round-trip a position', () => {
    const cursor = encodeListingCursor({ score: '1735689600000', id: '3f0c-aa' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeListingCursor(cursor)).toEqual({ score: '1735689600000', id: '3f0c-aa' });
  });

  it.each(['', 'not a cursor!', Buffer.from('abc').toString('base64url'), Buffer.from('12:').toString('base64url'), `${encodeListingCursor({ score: '1', id: 'a' })}x`])(
    'rejects %j with a message a person can act on',
    (cursor) => {
      expect(() => decodeListingCursor(cursor)).toThrow(InvalidCursorError);
      expect(() => decodeListingCursor(cursor)).toThrow(/^cursor: not a cursor this service issued/);
    },
  );
});

describe('JobRecordStore.listOwned (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let records: JobRecordStore;
  let dir: TempDir;
  const keys = new RedisKeys('listing-test');
  const T0 = Date.parse('2025-01-01T00:00:00Z');
  let owner = 0;
  /** A fresh owner per test, so that tests do not see each other's jobs. */
  const newOwner = (): string => `owner-${++owner}`;

  const create = (id: string, ownerHash: string, atMs: number): Promise<void> =>
    records.create(newJobRecord(id, { owner: ownerHash }), new Date(atMs));

  /** Every page of a listing, following next_cursor; `between` runs before each next page. */
  async function allPages(options: Omit<ListOwnedOptions, 'cursor'>, between?: (page: number) => Promise<void>): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await records.listOwned({ ...options, cursor });
      expect(page.jobs.length).toBeLessThanOrEqual(options.limit);
      pages.push(page.jobs.map((job) => job.id));
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined) await between?.(pages.length);
    } while (cursor !== undefined && pages.length < 100);
    return pages;
  }

  beforeAll(async () => {
    server = await startRedis();
    redis = createRedis(server.url, { failFast: true });
    await redisReady(redis);
    records = new JobRecordStore(redis, keys, 3600);
    dir = makeTempDir();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
    dir.remove();
  });

  it('lists newest first, ties broken by id, and only the owner’s jobs', async () => {
    const me = newOwner();
    const other = newOwner();
    await create('b-old', me, T0);
    await create('a-mid', me, T0 + 1000);
    await create('c-mid', me, T0 + 1000);
    await create('d-new', me, T0 + 2000);
    await create('theirs', other, T0 + 5000);
    const page = await records.listOwned({ owner: me, limit: 10 });
    expect(page.jobs.map((job) => job.id)).toEqual(['d-new', 'c-mid', 'a-mid', 'b-old']);
    expect(page.jobs[0]).toMatchObject({ id: 'd-new', owner: me, status: 'queued', createdAt: '2025-01-01T00:00:02.000Z' });
    expect(page.nextCursor).toBeNull();
    expect((await records.listOwned({ owner: other, limit: 10 })).jobs.map((job) => job.id)).toEqual(['theirs']);
    expect(await records.listOwned({ owner: newOwner(), limit: 10 })).toEqual({ jobs: [], nextCursor: null });
  });

  it('pages cover every job exactly once, also when jobs are created between pages', async () => {
    const me = newOwner();
    const ids: string[] = [];
    // 25 jobs, several sharing a millisecond, so that pages split groups of equal creation time
    for (let i = 0; i < 25; i++) {
      const id = `job-${String(i).padStart(2, '0')}`;
      ids.push(id);
      await create(id, me, T0 + Math.floor(i / 3) * 1000);
    }
    let added = 0;
    const pages = await allPages({ owner: me, limit: 4 }, async () => {
      // newer jobs arrive while the client pages
      await create(`late-${++added}`, me, T0 + 60_000 + added);
    });
    const seen = pages.flat();
    expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
    expect(seen.filter((id) => id.startsWith('job-')).sort()).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
    // in order: creation time descending, then id descending
    const expected = [...ids].sort((a, b) => Math.floor(Number(b.slice(4)) / 3) - Math.floor(Number(a.slice(4)) / 3) || b.localeCompare(a));
    expect(seen.filter((id) => id.startsWith('job-'))).toEqual(expected);
    // exactly 25 / 4 rounded up pages: the last full page has no empty page after it
    expect(pages).toHaveLength(7);
    const other = newOwner();
    for (let i = 0; i < 10; i++) await create(`exact-${i}`, other, T0 + i);
    expect((await allPages({ owner: other, limit: 5 })).map((page) => page.length)).toEqual([5, 5]);
  });

  it('filters by status and still fills pages', async () => {
    const me = newOwner();
    for (let i = 0; i < 30; i++) {
      await create(`s-${String(i).padStart(2, '0')}`, me, T0 + i * 1000);
      if (i % 3 === 0) {
        await records.markProcessing(`s-${String(i).padStart(2, '0')}`);
        await records.markFailed(`s-${String(i).padStart(2, '0')}`, { code: 'X', message: 'x' });
      }
    }
    const failedPages = await allPages({ owner: me, status: 'failed', limit: 4 });
    expect(failedPages.map((page) => page.length)).toEqual([4, 4, 2]);
    expect(failedPages.flat()).toEqual(['s-27', 's-24', 's-21', 's-18', 's-15', 's-12', 's-09', 's-06', 's-03', 's-00']);
    const queued = await records.listOwned({ owner: me, status: 'queued', limit: 20 });
    expect(queued.jobs).toHaveLength(20);
    expect(queued.jobs.every((job) => job.status === 'queued')).toBe(true);
    expect(await records.listOwned({ owner: me, status: 'succeeded', limit: 5 })).toEqual({ jobs: [], nextCursor: null });
  });

  it('bounds the work of a page whose filter matches little, and goes on where it stopped', async () => {
    const me = newOwner();
    const multi = redis.multi();
    // 1,500 queued jobs, then the oldest one fails: most of the index must be walked to find it
    for (let i = 0; i < 1500; i++) {
      const id = `many-${String(i).padStart(4, '0')}`;
      multi.hset(keys.record(id), { id, owner: me, status: 'queued', stage: 'queued', percent: '0', created_at: new Date(T0).toISOString(), audio_key: 'a', options: '{"exclusive":false}' });
      multi.zadd(keys.ownerJobs(me), T0 + i, id).hset(keys.jobOwners, id, me);
    }
    await multi.exec();
    await records.markFailed('many-0000', { code: 'X', message: 'x' });
    const first = await records.listOwned({ owner: me, status: 'failed', limit: 10 });
    expect(first.jobs).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    const second = await records.listOwned({ owner: me, status: 'failed', limit: 10, cursor: first.nextCursor ?? undefined });
    expect(second.jobs.map((job) => job.id)).toEqual(['many-0000']);
    expect(second.nextCursor).toBeNull();
  });

  it('skips and prunes jobs whose record expired or was removed; the retention sweep prunes too', async () => {
    const me = newOwner();
    for (const [i, id] of ['e1', 'e2', 'e3', 'e4'].entries()) await create(id, me, T0 + i * 1000);
    await redis.del(keys.record('e2')); // expired by its TTL
    await records.remove('e3'); // a deleted job
    expect(await redis.zrange(keys.ownerJobs(me), 0, -1)).toEqual(['e1', 'e2', 'e4']);
    expect(await redis.hexists(keys.jobOwners, 'e3')).toBe(0);
    const page = await records.listOwned({ owner: me, limit: 10 });
    expect(page.jobs.map((job) => job.id)).toEqual(['e4', 'e1']);
    expect(await redis.zrange(keys.ownerJobs(me), 0, -1)).toEqual(['e1', 'e4']);

    // e4 finishes; when its retention ends the sweep takes it out of the index, listed or not
    await records.markProcessing('e4');
    await records.markCanceled('e4');
    await redis.zadd(keys.expiry, Date.now() - 1, 'e4');
    const store = new LocalObjectStore(dir.path);
    await store.init();
    expect(await sweepExpiredObjects(redis, keys, store)).toBe(1);
    expect(await redis.zrange(keys.ownerJobs(me), 0, -1)).toEqual(['e1']);
    expect(await redis.hexists(keys.jobOwners, 'e4')).toBe(0);
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(records.listOwned({ owner: newOwner(), limit: 5, cursor: 'garbage!' })).rejects.toThrow(InvalidCursorError);
    await expect(records.listOwned({ owner: newOwner(), limit: 5, cursor: Buffer.from('x:y').toString('base64url') })).rejects.toThrow(
      'cursor: not a cursor this service issued',
    );
  });

  it('lists the jobs made before the listing existed, once per deployment, keeping what is listed', async () => {
    // a deployment of its own: no other test's records
    const own = new RedisKeys('listing-backfill-test');
    const store = new JobRecordStore(redis, own, 3600);
    const old = newOwner();
    const other = newOwner();
    await store.create(newJobRecord('old-1', { owner: old }), new Date(T0 + 1000));
    await store.create(newJobRecord('old-2', { owner: old }), new Date(T0 + 2000));
    await store.create(newJobRecord('other-1', { owner: other }), new Date(T0 + 1500));
    // as an older version left them: records without their place in a listing
    await redis.del(own.ownerJobs(old), own.ownerJobs(other), own.jobOwners);
    await store.create(newJobRecord('new-1', { owner: old }), new Date(T0 + 3000));

    expect(await indexUnlistedJobs(redis, own, { batch: 2 })).toBe(3);
    expect((await store.listOwned({ owner: old, limit: 10 })).jobs.map((job) => job.id)).toEqual(['new-1', 'old-2', 'old-1']);
    expect((await store.listOwned({ owner: other, limit: 10 })).jobs.map((job) => job.id)).toEqual(['other-1']);
    // listed like any job: whoever forgets a job finds its owner
    expect(await redis.hget(own.jobOwners, 'old-1')).toBe(old);

    // done once: a later start does not scan again
    await redis.zrem(own.ownerJobs(other), 'other-1');
    expect(await indexUnlistedJobs(redis, own)).toBe(0);
    expect((await store.listOwned({ owner: other, limit: 10 })).jobs).toEqual([]);
  });
});
