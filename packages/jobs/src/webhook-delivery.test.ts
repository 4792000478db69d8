import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { silentLogger } from '@diarization/config';
import { LocalObjectStore } from '@diarization/storage';
import { startRedis, type TestRedis } from '../../../test/support/redis-server';
import { makeTempDir, type TempDir } from '../../../test/support/temp-dir';
import { createRedis, redisReady, deliverWebhook, JobRecordStore, RedisKeys, type WebhookDeliveryDeps } from './index';

const SECRET = `whsec_${Buffer.from('a test secret of 32 bytes.......').toString('base64')}`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('deliverWebhook', () => {
  let redisServer: TestRedis;
  let redis: Redis;
  let dir: TempDir;
  let receiver: Server;
  let receiverUrl: string;
  let nextStatus = 200;
  const received: Received[] = [];
  let deps: WebhookDeliveryDeps;
  const keys = new RedisKeys('wh');

  beforeAll(async () => {
    redisServer = await startRedis();
    redis = createRedis(redisServer.url, { failFast: true });
    await redisReady(redis);
    dir = makeTempDir();
    const store = new LocalObjectStore(dir.path);
    await store.init();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += String(chunk)));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(nextStatus).end(nextStatus === 200 ? 'ok' : 'receiver is down');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/diarization`;
    deps = {
      records: new JobRecordStore(redis, keys, 3600),
      store,
      secret: SECRET,
      timeoutMs: 2000,
      allowPrivateUrls: true,
      logger: silentLogger,
    };
    await store.put(
      'results/ok.json',
      JSON.stringify({
        id: 'ok',
        duration: 5,
        exclusive: false,
        segments: [{ speaker: 'SPEAKER_00', start: 0, end: 5 }],
        speakers: [{ speaker: 'SPEAKER_00', seconds: 5 }],
        recipe: 'community-1',
        models: { segmentation: { id: 's', file: 's.onnx' }, embedding: { id: 'e', file: 'e.onnx' } },
        notices: [],
      }),
    );
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    redis.disconnect();
    await redisServer.stop();
    dir.remove();
  });

  async function finishedJob(id: string, webhookUrl: string): Promise<void> {
    await deps.records.create({ id, owner: 'o', filename: null, audioKey: `audio/${id}/original`, options: { exclusive: false }, webhookUrl });
    await deps.records.markProcessing(id);
    await deps.records.markSucceeded(id, { duration: 5, num_speakers: 1, num_segments: 1, exclusive: false, speakers: [] }, `results/${id}.json`);
  }

  it('posts the result with a Standard Webhooks signature that an independent check accepts', async () => {
    await finishedJob('ok', receiverUrl);
    nextStatus = 200;
    const state = await deliverWebhook({ data: { jobId: 'ok' }, attemptsMade: 0, opts: { attempts: 3 } }, deps);
    expect(state).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });
    const last = received[received.length - 1];
    const payload = JSON.parse(last.body) as { id: string; status: string; result: { segments: unknown[]; models: unknown } };
    expect(payload.id).toBe('ok');
    expect(payload.status).toBe('succeeded');
    expect(payload.result.segments).toEqual([{ speaker: 'SPEAKER_00', start: 0, end: 5 }]);
    // A result stored with model files (older workers) is sent without them.
    expect(payload.result.models).toEqual({ segmentation: { id: 's', sha256: null }, embedding: { id: 'e', sha256: null } });

    const key = Buffer.from(SECRET.slice(6), 'base64');
    const signed = `${String(last.headers['webhook-id'])}.${String(last.headers['webhook-timestamp'])}.${last.body}`;
    const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
    expect(last.headers['webhook-signature']).toBe(expected);
    expect(last.headers['webhook-id']).toBe('msg_ok');
    expect(Math.abs(Number(last.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect((await deps.records.get('ok'))?.webhook).toMatchObject({ status: 'delivered', url: receiverUrl });
  });

  it('throws to retry while attempts remain, and marks the delivery failed on the last one', async () => {
    await deps.records.create({ id: 'down', owner: 'o', filename: null, audioKey: 'audio/down/original', options: { exclusive: false }, webhookUrl: receiverUrl });
    await deps.records.markFailed('down', { code: 'AUDIO_DECODE_FAILED', message: 'not audio' });
    nextStatus = 503;
    await expect(deliverWebhook({ data: { jobId: 'down' }, attemptsMade: 0, opts: { attempts: 2 } }, deps)).rejects.toThrow(/HTTP 503/);
    expect((await deps.records.get('down'))?.webhook).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 503 });
    await expect(deliverWebhook({ data: { jobId: 'down' }, attemptsMade: 1, opts: { attempts: 2 } }, deps)).rejects.toThrow(/HTTP 503/);
    expect((await deps.records.get('down'))?.webhook).toMatchObject({
      status: 'failed',
      attempts: 2,
      last_status_code: 503,
      last_error: 'the receiver answered HTTP 503: receiver is down',
    });
    const body = JSON.parse(received[received.length - 1].body) as Record<string, unknown>;
    expect(body).toEqual({ id: 'down', status: 'failed', error: { code: 'AUDIO_DECODE_FAILED', message: 'not audio' } });
  });

  it('gives up at once when the receiver answers 410 Gone, and says so in the delivery state', async () => {
    await deps.records.create({ id: 'gone', owner: 'o', filename: null, audioKey: 'audio/gone/original', options: { exclusive: false }, webhookUrl: receiverUrl });
    await deps.records.markFailed('gone', { code: 'AUDIO_EMPTY', message: 'the audio is empty' });
    nextStatus = 410;
    const before = received.length;
    const thrown = await deliverWebhook({ data: { jobId: 'gone' }, attemptsMade: 0, opts: { attempts: 5 } }, deps).catch((error: unknown) => error);
    expect(thrown).toMatchObject({ name: 'UnrecoverableError' });
    expect((thrown as Error).message).toMatch(/HTTP 410 Gone/);
    expect(received.length).toBe(before + 1);
    expect(received[received.length - 1].body).toContain('"id":"gone"');
    const state = (await deps.records.get('gone'))?.webhook;
    expect(state).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 410, delivered_at: null });
    expect(state?.last_error).toMatch(/^the receiver answered HTTP 410 Gone: receiver is down; .*not retried/);
  });

  it('gives up at once on a private destination when private URLs are not allowed', async () => {
    await finishedJob('private', receiverUrl);
    const strict = { ...deps, allowPrivateUrls: false };
    const before = received.length;
    await expect(deliverWebhook({ data: { jobId: 'private' }, attemptsMade: 0, opts: { attempts: 5 } }, strict)).rejects.toMatchObject({
      name: 'UnrecoverableError',
    });
    expect(received.length).toBe(before);
    expect((await deps.records.get('private'))?.webhook).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
