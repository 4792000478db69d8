import { Readable } from 'node:stream';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHoldingProxy } from '../../../test/support/holding-proxy';
import { startS3, type TestS3 } from '../../../test/support/s3-server';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';
import {
  downloadToFile,
  LocalObjectStore,
  ObjectNotFoundError,
  readText,
  S3ObjectStore,
  StorageUnavailableError,
  type ObjectStore,
} from './index';

/** A stream that fails after `bytesBeforeError` bytes, like a client that disconnects mid-upload. */
function failingStream(bytesBeforeError: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytesBeforeError) {
        this.destroy(new Error('client went away'));
        return;
      }
      const chunk = Buffer.alloc(Math.min(64 * 1024, bytesBeforeError - sent), 1);
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

interface Backend {
  name: string;
  setUp(): Promise<ObjectStore>;
  tearDown(): Promise<void>;
}

let s3: TestS3 | undefined;
let local: TempDir | undefined;

const backends: Backend[] = [
  {
    name: 'local folder',
    setUp: async () => {
      local = makeTempDir('store-');
      const store = new LocalObjectStore(join(local.path, 'objects'));
      await store.init();
      return store;
    },
    tearDown: async () => local?.remove(),
  },
  {
    name: 'S3 (s3rver)',
    setUp: async () => {
      // The bucket does not exist yet: init() must create it.
      s3 = await startS3({ createBucket: false, bucket: 'created-on-start' });
      const store = new S3ObjectStore({ ...s3, region: 'us-east-1', forcePathStyle: true });
      await store.init();
      await store.init(); // twice: an existing bucket is fine
      return store;
    },
    tearDown: async () => s3?.stop(),
  },
];

describe.each(backends)('ObjectStore on $name', (backend) => {
  let store: ObjectStore;
  let scratch: TempDir;

  beforeAll(async () => {
    store = await backend.setUp();
    scratch = makeTempDir();
  });
  afterAll(async () => {
    (store as { destroy?: () => void }).destroy?.();
    await backend.tearDown();
    scratch.remove();
  });

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('stores a stream in parts and reads it back byte for byte', async () => {
    // 9 MB crosses lib-storage's 8 MB part size, so S3 takes the multipart path.
    const payload = Buffer.alloc(9 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4096) payload[i] = i % 251;
    const info = await store.put('audio/job-1/original', Readable.from([payload.subarray(0, 5e6), payload.subarray(5e6)]));
    expect(info.size).toBe(payload.length);
    expect(await store.head('audio/job-1/original')).toEqual({ size: payload.length });
    const target = join(scratch.path, 'copy.bin');
    await downloadToFile(store, 'audio/job-1/original', target);
    expect(readFileSync(target).equals(payload)).toBe(true);
  });

  it('stores text and reads it back', async () => {
    await store.put('results/job-2.json', JSON.stringify({ ok: true }), { contentType: 'application/json' });
    expect(JSON.parse(await readText(store, 'results/job-2.json'))).toEqual({ ok: true });
  });

  it('reports a missing object as ObjectNotFoundError / null', async () => {
    await expect(store.get('results/missing.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.head('results/missing.json')).toBeNull();
  });

  it('deletes idempotently', async () => {
    await store.put('results/job-3.json', '{}');
    await store.delete('results/job-3.json');
    await store.delete('results/job-3.json');
    expect(await store.head('results/job-3.json')).toBeNull();
  });

  it('leaves no object behind when the source stream fails', async () => {
    await expect(store.put('audio/broken/original', failingStream(200_000))).rejects.toThrow();
    expect(await store.head('audio/broken/original')).toBeNull();
  });

  it('leaves no object behind when the write is aborted', async () => {
    const controller = new AbortController();
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    setTimeout(() => controller.abort(new Error('too large')), 50);
    await expect(store.put('audio/aborted/original', endless, { signal: controller.signal })).rejects.toThrow();
    expect(await store.head('audio/aborted/original')).toBeNull();
  });

  it('lists the objects under a prefix with their size and last write, never unfinished writes', async () => {
    const before = Date.now() - 5000;
    await store.put('audio/listed-1/original', 'abc');
    await store.put('audio/listed-2/original', Buffer.alloc(10));
    await store.put('results/listed-1.json', '{}');
    const listed = [];
    for await (const object of store.list('audio/listed-')) listed.push(object);
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual([
      { key: 'audio/listed-1/original', size: 3 },
      { key: 'audio/listed-2/original', size: 10 },
    ]);
    for (const object of listed) {
      expect(object.lastModified.getTime()).toBeGreaterThan(before);
      expect(object.lastModified.getTime()).toBeLessThan(Date.now() + 5000);
    }
    const results = [];
    for await (const object of store.list('results/')) results.push(object.key);
    expect(results).toContain('results/listed-1.json');
    expect(results.every((key) => key.startsWith('results/'))).toBe(true);
    const none = [];
    for await (const object of store.list('nothing-here/')) none.push(object);
    expect(none).toEqual([]);
  });

  it('removes no unfinished write that is newer than the cut-off', async () => {
    const anHourAgo = new Date(Date.now() - 3600_000);
    expect(await store.removeStaleUploads({ writtenBefore: anHourAgo, startedBefore: anHourAgo })).toBe(0);
  });

  it('refuses keys that could escape the store', async () => {
    await expect(store.put('../etc/passwd', 'x')).rejects.toThrow(/invalid object key/);
    await expect(store.get('a/../../b')).rejects.toThrow(/invalid object key/);
  });
});

describe('LocalObjectStore unfinished writes', () => {
  it('removes partial files last written before the cut-off, and lists none of them', async () => {
    const dir = makeTempDir('store-partials-');
    try {
      const store = new LocalObjectStore(dir.path);
      await store.init();
      const partials = join(dir.path, '.partial');
      writeFileSync(join(partials, 'abandoned'), 'half an upload');
      const old = new Date(Date.now() - 7200_000);
      utimesSync(join(partials, 'abandoned'), old, old);
      writeFileSync(join(partials, 'in-progress'), 'still being written');
      const listed = [];
      for await (const object of store.list('')) listed.push(object.key);
      expect(listed).toEqual([]);
      const anHourAgo = new Date(Date.now() - 3600_000);
      // Only the time of the last write counts for a file (a long upload started long ago is alive).
      expect(await store.removeStaleUploads({ writtenBefore: anHourAgo, startedBefore: new Date(0) })).toBe(1);
      expect(readdirSync(partials)).toEqual(['in-progress']);
    } finally {
      dir.remove();
    }
  });
});

describe('S3ObjectStore against a stopped server', () => {
  it('reports StorageUnavailableError from ping', async () => {
    const server = await startS3();
    await server.stop();
    const store = new S3ObjectStore({ ...server, region: 'us-east-1', forcePathStyle: true });
    await expect(store.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
    store.destroy();
  });
});

describe('S3ObjectStore aborted while its last request is in flight', () => {
  it('settles only after the request has finished, then deletes the object it created', async () => {
    const server = await startS3({ bucket: 'held' });
    const key = 'audio/held/original';
    // The small body ends at once, so lib-storage sends it as one PutObject: held by the proxy.
    const proxy = await startHoldingProxy(server.endpoint, (request) => request.method === 'PUT' && String(request.url).includes(key));
    const viaProxy = new S3ObjectStore({ ...server, endpoint: proxy.url, region: 'us-east-1', forcePathStyle: true });
    const direct = new S3ObjectStore({ ...server, region: 'us-east-1', forcePathStyle: true });
    try {
      const controller = new AbortController();
      const put = viaProxy.put(key, Readable.from([Buffer.alloc(100_000, 1)]), { signal: controller.signal });
      let settled = false;
      const outcome = put.then(
        () => 'stored',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ).finally(() => (settled = true));
      await proxy.held;
      controller.abort(new Error('upload discarded'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      // A put that returned now would delete before the PutObject lands, leaving the object.
      expect(settled).toBe(false);
      await proxy.release();
      expect(await outcome).toBe('upload discarded');
      expect(await direct.head(key)).toBeNull();
    } finally {
      viaProxy.destroy();
      direct.destroy();
      await proxy.close();
      await server.stop();
    }
  });
});
