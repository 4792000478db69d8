import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { filesUnder, startApiProcess, uploadTempFolders, type ApiProcess } from '../support/api-process';
import { SHORT_OGG } from '../support/audio';
import { waitFor } from '../support/ports';
import { startRedis, type TestRedis } from '../support/redis-server';
import { startS3, type TestS3 } from '../support/s3-server';
import { TOKEN_A } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/**
 * Clients that stop sending (or send a byte now and then) against a real API process, over raw
 * TCP sockets on loopback: each must get 408 (or a closed connection), and the upload's temp
 * folder and partial object must be gone; a shutdown must not wait for such a client.
 */

const BOUNDARY = 'slow-client-boundary';
/** Short limits for the tests; the defaults are 60 s, 60 s and 1 h. */
const SHORT_LIMITS = { REQUEST_HEADERS_TIMEOUT_SECONDS: '1', REQUEST_IDLE_TIMEOUT_SECONDS: '1', REQUEST_TIMEOUT_SECONDS: '3' };

interface RawClient {
  socket: Socket;
  /** Everything the server sent, once it closed the connection; and when that was. */
  closed: Promise<{ text: string; at: number }>;
}

async function openRaw(port: number): Promise<RawClient> {
  const socket = connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const closed = new Promise<{ text: string; at: number }>((resolve) => {
    socket.on('error', () => undefined); // a reset after the answer: what was read still counts
    socket.on('close', () => resolve({ text, at: Date.now() }));
  });
  return { socket, closed };
}

/** Request head and the start of a multipart body whose file part never ends. */
function uploadHead(port: number, declaredBytes = 50 * 1024 * 1024): string {
  return (
    `POST /jobs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN_A}\r\n` +
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${declaredBytes}\r\n\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="slow.wav"\r\nContent-Type: audio/wav\r\n\r\n`
  );
}

function write(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

/** Fails instead of hanging when the server never closes the connection (the bug). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function expect408(text: string, pattern: RegExp): void {
  expect(text.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
  expect(text).toMatch(/\r\ncontent-type: application\/json\r\n/i);
  const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: string };
  expect(body.error).toMatch(pattern);
}

/** SIGTERM; resolves with the exit code and how long the API's close() took. */
async function stopApi(api: ApiProcess): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const code = await within(15_000, 'the API to exit after SIGTERM', api.service.signal('SIGTERM'));
  return { code, ms: Date.now() - started };
}

interface Backend {
  name: string;
  /** Environment selecting the store; made in `dir`. */
  env(dir: string): Record<string, string>;
  /** Every object and unfinished write in the store. */
  leftovers(dir: string): Promise<string[]>;
  /** Body bytes sent before the client stops (S3: past lib-storage's 8 MB part, so a part is in flight). */
  partialBytes: number;
}

let redis: TestRedis;
let s3: TestS3;
const s3Client = (): S3Client =>
  new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });

const localBackend: Backend = {
  name: 'a local folder',
  env: (dir) => ({ STORAGE_DIR: join(dir, 'data') }),
  // .partial files included: an unfinished write is a leftover too.
  leftovers: async (dir) => filesUnder(join(dir, 'data')),
  partialBytes: 256 * 1024,
};

const s3Backend: Backend = {
  name: 'S3 (s3rver)',
  env: () => ({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  }),
  leftovers: async () => {
    const client = s3Client();
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      return (listed.Contents ?? []).map((object) => String(object.Key));
    } finally {
      client.destroy();
    }
  },
  partialBytes: 9 * 1024 * 1024,
};

beforeAll(async () => {
  redis = await startRedis();
  s3 = await startS3({ bucket: 'slow-clients' });
});

afterAll(async () => {
  await redis?.stop();
  await s3?.stop();
});

/** An API process with its own TMPDIR (to see its temp folders) and a fresh queue prefix. */
async function startApiWithOwnTmp(prefix: string, env: (dir: string) => Record<string, string>): Promise<{ dir: TempDir; tmp: string; api: ApiProcess }> {
  const dir = makeTempDir(prefix);
  const tmp = join(dir.path, 'tmp');
  mkdirSync(tmp);
  const api = await startApiProcess({
    DIARIZATION_TOKEN: TOKEN_A,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `slow-${Math.random().toString(36).slice(2, 8)}`,
    TMPDIR: tmp,
    ...env(dir.path),
  });
  return { dir, tmp, api };
}

describe.each([localBackend, s3Backend])('slow clients, storage in $name', (backend) => {
  let dir: TempDir;
  let tmp: string;
  let api: ApiProcess;

  beforeAll(async () => {
    ({ dir, tmp, api } = await startApiWithOwnTmp('slow-clients-', (path) => ({
      SYNC_TIMEOUT_SECONDS: '2.5',
      ...SHORT_LIMITS,
      ...backend.env(path),
    })));
  });

  afterAll(async () => {
    await api?.service.kill('SIGKILL');
    dir?.remove();
  });

  const expectNothingLeft = async (): Promise<void> => {
    // The handler cleans up right after the connection is closed: give it a moment, not minutes.
    await waitFor('the temp folder and the partial object to go', async () => uploadTempFolders(tmp).length === 0 && (await backend.leftovers(dir.path)).length === 0, {
      timeoutMs: 5000,
      intervalMs: 50,
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}: temp ${JSON.stringify(uploadTempFolders(tmp))}, storage ${JSON.stringify(await backend.leftovers(dir.path))}`);
    });
  };

  it('answers 408 to a client that stops mid-body, and keeps nothing of its upload', async () => {
    const client = await openRaw(api.port);
    await write(client.socket, uploadHead(api.port));
    await write(client.socket, Buffer.alloc(backend.partialBytes, 7));
    // The upload is under way: its temp folder exists.
    await waitFor('the upload temp folder', async () => uploadTempFolders(tmp).length === 1, { timeoutMs: 5000, intervalMs: 20 });
    const stoppedAt = Date.now();

    const { text, at } = await within(8000, 'an answer to the stalled upload', client.closed);
    expect408(text, /no data for 1 s/);
    expect(at - stoppedAt).toBeLessThan(6000);
    await expectNothingLeft();
  });

  it('answers 408 to a client that trickles its body past the whole-request limit', async () => {
    const client = await openRaw(api.port);
    const startedAt = Date.now();
    await write(client.socket, uploadHead(api.port));
    // 1 kB every 100 ms: never idle for 1 s, never done.
    const trickle = setInterval(() => {
      if (!client.socket.destroyed) client.socket.write(Buffer.alloc(1024, 1), () => undefined);
    }, 100);
    try {
      const { text, at } = await within(10_000, 'an answer to the trickling upload', client.closed);
      // Written while the client was still sending: the 408 may be lost to a reset, but not the close.
      if (text !== '') expect408(text, /longer than 3 s/);
      expect(at - startedAt).toBeGreaterThanOrEqual(2900);
      expect(at - startedAt).toBeLessThan(8000);
    } finally {
      clearInterval(trickle);
    }
    await expectNothingLeft();
  });

  it('answers 408 to a client that stops in the middle of its headers', async () => {
    const client = await openRaw(api.port);
    await write(client.socket, `POST /jobs HTTP/1.1\r\nHost: 127.0.0.1:${api.port}\r\nAuthorization: Bea`);
    const { text } = await within(8000, 'an answer to the unfinished headers', client.closed);
    expect408(text, /headers took longer than 1 s/);
    expect(uploadTempFolders(tmp)).toEqual([]);
  });

  it('does not limit the time the server takes to answer a complete request', async () => {
    if (backend !== localBackend) return; // once is enough
    // No worker: POST /diarize waits SYNC_TIMEOUT_SECONDS (2.5 s, longer than the idle limit)
    // without a byte either way, then answers 202.
    const form = new FormData();
    form.append('file', new Blob([readFileSync(SHORT_OGG)], { type: 'audio/ogg' }), 'short.ogg');
    const response = await fetch(`${api.url}/diarize`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN_A}` }, body: form });
    expect(response.status).toBe(202);
  });

  it('closes promptly on SIGTERM afterwards', async () => {
    const { code, ms } = await stopApi(api);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
  });
});

describe('graceful shutdown with a stalled upload in progress (default request limits)', () => {
  let dir: TempDir;
  let tmp: string;
  let api: ApiProcess;

  beforeAll(async () => {
    ({ dir, tmp, api } = await startApiWithOwnTmp('slow-shutdown-', (path) => ({
      STORAGE_DIR: join(path, 'data'),
      SHUTDOWN_GRACE_SECONDS: '1',
    })));
  });

  afterAll(async () => {
    await api?.service.kill('SIGKILL');
    dir?.remove();
  });

  it('cuts the upload after SHUTDOWN_GRACE_SECONDS, cleans it up and exits', async () => {
    const client = await openRaw(api.port);
    await write(client.socket, uploadHead(api.port));
    await write(client.socket, Buffer.alloc(256 * 1024, 7));
    await waitFor('the upload to be under way', async () => uploadTempFolders(tmp).length === 1 && filesUnder(join(dir.path, 'data')).length === 1, {
      timeoutMs: 5000,
      intervalMs: 20,
    });

    const { code, ms } = await stopApi(api);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    await within(2000, 'the client connection to close', client.closed);
    expect(uploadTempFolders(tmp)).toEqual([]);
    expect(filesUnder(join(dir.path, 'data'))).toEqual([]);
  });
});
