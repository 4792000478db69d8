import { PassThrough } from 'node:stream';
import { S3ObjectStore } from '@diarization/storage';
import { startS3, type TestS3 } from '../support/s3-server';

describe('repro', () => {
  let s3: TestS3;
  beforeAll(async () => { s3 = await startS3({ bucket: 'b' }); });
  afterAll(async () => { await s3.stop(); });
  for (const delay of [0, 1, 5, 20, 50]) {
    it(`abort after ${delay}`, async () => {
      const store = new S3ObjectStore({ endpoint: s3.endpoint, region: 'us-east-1', bucket: 'b', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
      const ac = new AbortController();
      const body = new PassThrough();
      const p = store.put('audio/x', body, { signal: ac.signal });
      p.catch(() => undefined);
      await new Promise((r) => setTimeout(r, delay));
      ac.abort(new Error('discarded'));
      body.destroy();
      await p.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.head('audio/x')).toBeNull();
      store.destroy();
    });
  }
});
