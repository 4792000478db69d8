import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createDiarizeQueue, createRedis, redisReady, RedisKeys } from '@diarization/jobs';
import { longAudio, SHORT_OGG } from '../support/audio';
import { filesUnder, startApiProcess, uploadTempFolders, type ApiProcess } from '../support/api-process';
import { call, uploadJob, waitForJob } from '../support/http';
import { freePort, waitFor } from '../support/ports';
import type { SpawnedService } from '../support/processes';
import { stalledUpload } from '../support/raw-upload';
import { startStack, TOKEN_A, type Stack } from '../support/stack';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy';
import { makeTempDir, type TempDir } from '../support/temp-dir';

/**
 * The fault suite (`npm run test:faults`, also part of `npm test`): the real service — Redis with
 * an append-only file, an S3 server, the API, worker processes — on loopback, put through the
 * faults operators meet. Every scenario records a row; the table is printed at the end, and the
 * suite fails unless no job was lost, no object or temp folder leaked and no record is stuck.
 */

interface Row {
  fault: string;
  runs: number;
  /** Jobs accepted (202) that did not reach the state expected. */
  lost: number;
  /** Seconds from the fault (or its end) until the job ran again, or until it finished; worst run. */
  recovery: string;
  outcome: string;
}

type Job = Record<string, unknown>;

const rows: Row[] = [];

/** Adds a row, counting as lost every run whose job did not end as it must; then asserts none was. */
function report(row: Omit<Row, 'lost'>, finalStatuses: unknown[], expected = 'succeeded'): void {
  const lost = finalStatuses.filter((status) => status !== expected).length;
  rows.push({ ...row, lost });
  expect(lost).toBe(0);
}
/** Every job the service accepted, and the status it must end in. */
const accepted = new Map<string, 'succeeded' | 'canceled'>();
const isProcessing = (job: Job) => job.status === 'processing' && Number((job.progress as { percent: number }).percent) > 0;
const seconds = (since: number) => (performance.now() - since) / 1000;

describe('fault suite', () => {
  let stack: Stack;
  let api: string;
  let tmp: TempDir;
  /** The workers reach S3 through this proxy, which the storage scenarios cut. */
  let storage: SwitchableProxy;
  /** 90 s of audio: a few seconds of work, long enough to be hit mid-job. */
  let medium: string;
  /** 5 minutes: still running while storage is cut, on any machine. */
  let long: string;
  let hooks: Server;
  let hooksUrl: string;

  const startWorker = (): Promise<SpawnedService> => stack.startWorker({ S3_ENDPOINT: storage.url });
  const submit = async (path: string, fields: Record<string, string> = {}): Promise<string> => {
    const id = await uploadJob(api, TOKEN_A, path, fields);
    accepted.set(id, 'succeeded');
    return id;
  };
  const job = async (id: string): Promise<Job> => (await call(api, `/jobs/${id}`, { token: TOKEN_A })).body;

  beforeAll(async () => {
    tmp = makeTempDir('faults-');
    medium = longAudio(tmp.path, 3);
    long = longAudio(tmp.path, 10);
    stack = await startStack({
      storage: 's3',
      persistentRedis: true,
      env: { STORAGE_RETRY_SECONDS: '1', WEBHOOK_TIMEOUT_SECONDS: '1', WEBHOOK_ATTEMPTS: '3' },
    });
    api = stack.api.url;
    storage = await startSwitchableProxy(stack.s3!.endpoint);
    hooks = createServer((request, response) => {
      request.resume();
      if (request.url === '/500') response.writeHead(500).end();
      else if (request.url === '/410') response.writeHead(410).end();
      // '/hang': never answered
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    hooks?.closeAllConnections();
    await new Promise((resolve) => hooks?.close(resolve));
    await stack?.stop();
    await storage?.close();
    tmp?.remove();
    if (rows.length > 0) {
      const table = [
        `${'fault'.padEnd(50)}${'runs'.padStart(5)}${'lost'.padStart(6)}${'recovery s'.padStart(12)}  outcome`,
        ...rows.map((r) => `${r.fault.padEnd(50)}${String(r.runs).padStart(5)}${String(r.lost).padStart(6)}${r.recovery.padStart(12)}  ${r.outcome}`),
      ];
      process.stdout.write(`\nfault suite\n${table.join('\n')}\n`);
    }
  });

  it('worker SIGKILL mid-job (3 times): another worker finishes the job', async () => {
    const recoveries: number[] = [];
    const finals: unknown[] = [];
    for (let run = 0; run < 3; run++) {
      const first = await startWorker();
      const id = await submit(medium);
      await waitForJob(api, TOKEN_A, id, isProcessing);
      await first.kill('SIGKILL');
      const killed = performance.now();
      const second = await startWorker();
      await second.waitForOutput(new RegExp(`"job_id":"${id}","attempt"`), 60_000);
      recoveries.push(seconds(killed));
      finals.push((await waitForJob(api, TOKEN_A, id)).status);
      await second.kill('SIGKILL');
    }
    report({ fault: 'worker SIGKILL mid-job', runs: 3, recovery: Math.max(...recoveries).toFixed(1), outcome: 'ran again on the next worker, finished' }, finals);
  });

  it('worker SIGTERM mid-job: the job is handed back and finished', async () => {
    const first = await startWorker();
    const id = await submit(medium);
    await waitForJob(api, TOKEN_A, id, isProcessing);
    const stopped = performance.now();
    expect(await first.signal('SIGTERM')).toBe(0);
    const second = await startWorker();
    await second.waitForOutput(new RegExp(`"job_id":"${id}","attempt"`), 60_000);
    const recovery = seconds(stopped);
    const final = (await waitForJob(api, TOKEN_A, id)).status;
    await second.kill('SIGKILL');
    report({ fault: 'worker SIGTERM mid-job', runs: 1, recovery: recovery.toFixed(1), outcome: 'handed back, ran again, finished' }, [final]);
  });

  it('Redis restart mid-job (append-only file): the job is finished', async () => {
    const worker = await startWorker();
    const id = await submit(medium);
    await waitForJob(api, TOKEN_A, id, isProcessing);
    await stack.redis.stop();
    const down = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await stack.redis.start();
    const finished = await waitForJob(api, TOKEN_A, id, undefined, 120_000);
    await worker.kill('SIGKILL');
    report({ fault: 'Redis killed mid-job, back after 3 s', runs: 1, recovery: seconds(down).toFixed(1), outcome: 'finished' }, [finished.status]);
  });

  it.each([
    ['short', 5],
    ['long', 30],
  ])('storage down mid-job (%s: %i s): the job waits, then finishes', async (_label, outageSeconds) => {
    const worker = await startWorker();
    const id = await submit(long);
    await waitForJob(api, TOKEN_A, id, isProcessing);
    await storage.cut();
    const cut = performance.now();
    await waitForJob(api, TOKEN_A, id, (current) => (current.progress as { stage: string }).stage === 'waiting_for_storage', 60_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageSeconds * 1000 - (performance.now() - cut))));
    expect((await job(id)).status).not.toBe('failed');
    await storage.restore();
    const restored = performance.now();
    const final = (await waitForJob(api, TOKEN_A, id, undefined, 120_000)).status;
    await worker.kill('SIGKILL');
    report({ fault: `storage down mid-job for ${outageSeconds} s`, runs: 1, recovery: seconds(restored).toFixed(1), outcome: 'waited without using attempts, finished' }, [final]);
  });

  it('webhook receivers answering 500 or 410, hanging, or refusing: the jobs succeed, deliveries end', async () => {
    const worker = await startWorker();
    const refusing = `http://127.0.0.1:${await freePort()}/hook`;
    const cases: Array<[string, string, number]> = [
      ['500', `${hooksUrl}/500`, 3],
      ['410', `${hooksUrl}/410`, 1],
      ['hanging', `${hooksUrl}/hang`, 3],
      ['refusing', refusing, 3],
    ];
    const outcomes: string[] = [];
    const finals: unknown[] = [];
    for (const [name, url, attempts] of cases) {
      const id = await submit(SHORT_OGG, { webhook_url: url });
      const done = await waitForJob(api, TOKEN_A, id, (current) => (current.webhook as { status?: string } | undefined)?.status === 'failed', 60_000);
      finals.push(done.status);
      expect(done.webhook).toMatchObject({ status: 'failed', attempts });
      outcomes.push(`${name}: ${attempts} attempt${attempts > 1 ? 's' : ''}`);
    }
    await worker.kill('SIGKILL');
    report({ fault: 'webhook receiver 500 / 410 / hanging / refusing', runs: 4, recovery: '-', outcome: `jobs succeeded; deliveries ended (${outcomes.join(', ')})` }, finals);
  });

  it('storage down mid-upload: the upload gets 503 naming storage, and nothing is kept', async () => {
    const apiTmp = join(tmp.path, 'api-tmp-storage');
    mkdirSync(apiTmp, { recursive: true });
    // an API that reaches S3 through the proxy, so that the test can cut it mid-upload
    const apiProcess = await startApiProcess({ ...stack.env, S3_ENDPOINT: storage.url, TMPDIR: apiTmp });
    const audio = readFileSync(longAudio(tmp.path, 20)); // 19 MB
    const boundary = 'fault-suite-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const socket = connect({ port: apiProcess.port, host: '127.0.0.1' });
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write(
      `POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN_A}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${head.length + audio.length + tail.length}\r\n\r\n`,
    );
    socket.write(head);
    socket.write(audio.subarray(0, 12 * 1024 * 1024));
    await waitFor('the upload to reach a temp folder', async () => uploadTempFolders(apiTmp).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await storage.cut();
    const cut = performance.now();
    socket.write(audio.subarray(12 * 1024 * 1024));
    socket.write(tail);
    await waitFor('the answer', async () => /\r\n\r\n[\s\S]*\}/.test(answer), { timeoutMs: 60_000 });
    const answered = seconds(cut);
    socket.destroy();
    await storage.restore();
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer).toContain('audio storage is unavailable');
    await waitFor('the upload to be cleaned up', async () => uploadTempFolders(apiTmp).length === 0 && filesUnder(apiTmp).length === 0);
    await apiProcess.service.kill('SIGKILL');
    report({ fault: 'storage down mid-upload', runs: 1, recovery: answered.toFixed(1), outcome: '503 naming storage, upload discarded' }, []);
  });

  it('API SIGKILL mid-upload and just after one: nothing is left behind, the accepted job runs', async () => {
    const apiTmp = join(tmp.path, 'api-tmp');
    const env = {
      ...stack.env,
      TMPDIR: apiTmp,
      ORPHAN_GRACE_SECONDS: '2',
      REQUEST_IDLE_TIMEOUT_SECONDS: '1',
      ORPHAN_SWEEP_INTERVAL_SECONDS: '3600',
    };
    mkdirSync(apiTmp, { recursive: true });
    let apiProcess: ApiProcess = await startApiProcess(env);
    const client = await stalledUpload(apiProcess.port, TOKEN_A);
    await waitFor('the upload to reach a temp folder', async () => uploadTempFolders(apiTmp).length > 0);
    await apiProcess.service.kill('SIGKILL');
    client.destroy();

    apiProcess = await startApiProcess(env);
    const id = await uploadJob(apiProcess.url, TOKEN_A, SHORT_OGG);
    accepted.set(id, 'succeeded');
    await apiProcess.service.kill('SIGKILL');

    // a new API reclaims the dead one's temp folder once it is older than the grace period
    await new Promise((resolve) => setTimeout(resolve, 2500));
    apiProcess = await startApiProcess(env);
    await waitFor('the orphaned temp folder to be reclaimed', async () => uploadTempFolders(apiTmp).length === 0, { timeoutMs: 20_000 });
    const worker = await startWorker();
    const final = (await waitForJob(api, TOKEN_A, id)).status;

    // and a client that stops sending gets 408, keeping nothing
    const slow = await stalledUpload(apiProcess.port, TOKEN_A);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      slow.on('data', (chunk: Buffer) => (text += chunk.toString()));
      slow.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await waitFor('the stalled upload to be cleaned up', async () => uploadTempFolders(apiTmp).length === 0 && filesUnder(apiTmp).length === 0);
    await apiProcess.service.kill('SIGKILL');
    await worker.kill('SIGKILL');
    report({ fault: 'API SIGKILL mid-upload / after 202; slow client', runs: 3, recovery: '-', outcome: 'temp folder reclaimed at start, the accepted job ran, 408' }, [final]);
  });

  it('at the end: no job lost, no record stuck, no audio or result left without its job', async () => {
    const worker = await startWorker();
    let lost = 0;
    for (const [id, expected] of accepted) {
      const current = await waitForJob(api, TOKEN_A, id, undefined, 120_000).catch(() => ({ status: 'missing' }));
      if (current.status !== expected) lost++;
    }
    const redis = createRedis(stack.redis.url, { failFast: true });
    await redisReady(redis);
    // A worker killed just after a job's success leaves the attempt active; a live worker takes
    // it again once its lock expires and finishes the clean-up. Account once every attempt settled.
    const queue = createDiarizeQueue(redis, stack.env.QUEUE_PREFIX);
    await waitFor(
      'every attempt in the queue to settle',
      async () => Object.values(await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized')).every((count) => count === 0),
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await queue.close();
    await worker.kill('SIGKILL');
    // records still queued or processing now, when every job has ended
    const keys = new RedisKeys(stack.env.QUEUE_PREFIX);
    let stuck = 0;
    for (const key of await redis.keys(keys.record('*'))) {
      if (['queued', 'processing'].includes((await redis.hget(key, 'status')) ?? '')) stuck++;
    }
    redis.disconnect();
    // every job succeeded, so its audio was deleted; results belong to live records
    const s3 = new S3Client({
      endpoint: stack.s3!.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: stack.s3!.accessKeyId, secretAccessKey: stack.s3!.secretAccessKey },
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.s3!.bucket }));
    s3.destroy();
    const objects = (listed.Contents ?? []).map((object) => object.Key ?? '');
    const leakedAudio = objects.filter((key) => key.startsWith('audio/'));
    const orphanResults = objects.filter((key) => key.startsWith('results/') && !accepted.has(key.slice('results/'.length, -'.json'.length)));
    rows.push({
      fault: 'accounting over all scenarios',
      runs: accepted.size,
      lost,
      recovery: '-',
      outcome: `${leakedAudio.length + orphanResults.length} objects leaked, ${stuck} records stuck`,
    });
    expect(lost).toBe(0);
    expect(stuck).toBe(0);
    expect(leakedAudio).toEqual([]);
    expect(orphanResults).toEqual([]);
  });
});
