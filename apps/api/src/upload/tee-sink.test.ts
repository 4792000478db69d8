import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalObjectStore, readText, S3ObjectStore, type ObjectStore } from '@diarization/storage';
import { startS3, type TestS3 } from '../../../../test/support/s3-server';
import { makeTempDir, type TempDir } from '../../../../test/support/temp-dir';
import { HttpError } from '../errors';
import { TeeSink } from './tee-sink';

/** Gives a rejection that nobody handled the turn it needs to surface (jest fails the test on it). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

interface Backend {
  name: string;
  setUp(dir: string): Promise<ObjectStore>;
}

let s3: TestS3 | undefined;

const backends: Backend[] = [
  { name: 'a local folder', setUp: async (dir) => new LocalObjectStore(join(dir, 'objects')) },
  {
    name: 'S3 (s3rver)',
    setUp: async () => {
      s3 = await startS3({ bucket: 'tee' });
      return new S3ObjectStore({ ...s3, region: 'us-east-1', forcePathStyle: true });
    },
  },
];

describe.each(backends)('TeeSink into $name', (backend) => {
  let tmp: TempDir;
  let store: ObjectStore;

  beforeAll(async () => {
    tmp = makeTempDir('tee-sink-');
    store = await backend.setUp(tmp.path);
    await store.init();
  });
  afterAll(async () => {
    (store as { destroy?: () => void }).destroy?.();
    await s3?.stop();
    s3 = undefined;
    tmp.remove();
  });

  it('writes the same bytes to the store and the temp file', async () => {
    const sink = new TeeSink(store, 'audio/both/original', join(tmp.path, 'both.wav'), 1000);
    await sink.write(Buffer.from('RIFF'));
    await sink.write(Buffer.from('WAVE'));
    await sink.end();
    expect(sink.size).toBe(8);
    expect(readFileSync(sink.tempPath, 'utf8')).toBe('RIFFWAVE');
    expect(await readText(store, 'audio/both/original')).toBe('RIFFWAVE');
  });

  it('discards an upload in progress with every promise handled, leaving no object and no temp file', async () => {
    const sink = new TeeSink(store, 'audio/discarded/original', join(tmp.path, 'discarded.wav'), 1_000_000);
    // Small writes never wait for 'drain': nothing awaits the upload when discard() fails it.
    await sink.write(Buffer.alloc(1000, 1));
    await sink.write(Buffer.alloc(1000, 2));
    await sink.discard();
    await nextTurn();
    expect(await store.head('audio/discarded/original')).toBeNull();
    expect(existsSync(sink.tempPath)).toBe(false);
  });

  it('answers 413 the moment the limit is passed, and discard() then leaves nothing', async () => {
    const sink = new TeeSink(store, 'audio/large/original', join(tmp.path, 'large.wav'), 1500);
    await sink.write(Buffer.alloc(1000));
    const tooLarge = await sink.write(Buffer.alloc(1000)).catch((error: unknown) => error);
    expect(tooLarge).toBeInstanceOf(HttpError);
    expect((tooLarge as HttpError).status).toBe(413);
    await sink.discard();
    await nextTurn();
    expect(await store.head('audio/large/original')).toBeNull();
    expect(existsSync(sink.tempPath)).toBe(false);
  });
});
