import type { IncomingHttpHeaders } from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { longAudio, SHORT_OGG } from '../support/audio';
import { call, uploadJob, waitForJob } from '../support/http';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-server';
import { waitFor } from '../support/ports';
import { startStack, TOKEN_A, WEBHOOK_SECRET, type Stack } from '../support/stack';
import { makeTempDir, type TempDir } from '../support/temp-dir';

interface Delivery {
  headers: Record<string, string>;
  /** The body exactly as received, byte for byte. */
  rawBody: Buffer;
}

/** Only the three Standard Webhooks headers, as strings. */
function webhookHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

/**
 * The service's real deliveries (a real worker, a receiver on loopback) checked with the official
 * Standard Webhooks library, `standardwebhooks`, rather than with code of this project.
 */
describe('webhooks verify with the standardwebhooks library', () => {
  let stack: Stack;
  let tmp: TempDir;
  let receiver: LoopbackServer;
  let hooksUrl: string;
  const deliveries: Delivery[] = [];

  const deliveryFor = (jobId: string): Promise<Delivery> =>
    waitFor(`the webhook of ${jobId}`, async () => deliveries.find((delivery) => delivery.headers['webhook-id'] === `msg_${jobId}`), { timeoutMs: 60_000 });

  beforeAll(async () => {
    tmp = makeTempDir();
    stack = await startStack({ storage: 'local' });
    await stack.startWorker();
    receiver = await startLoopbackServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        deliveries.push({ headers: webhookHeaders(request.headers), rawBody: Buffer.concat(chunks) });
        response.writeHead(204).end();
      });
    });
    hooksUrl = `${receiver.url}/hooks`;
  });

  afterAll(async () => {
    await receiver?.close();
    await stack?.stop();
    tmp?.remove();
  });

  afterEach(() => jest.restoreAllMocks());

  it('verifies the delivery of a succeeded job and returns its payload', async () => {
    const id = await uploadJob(stack.api.url, TOKEN_A, SHORT_OGG, { webhook_url: hooksUrl });
    const delivery = await deliveryFor(id);
    const payload = new Webhook(WEBHOOK_SECRET).verify(delivery.rawBody, delivery.headers);
    expect(payload).toEqual(JSON.parse(delivery.rawBody.toString('utf8')));
    expect(payload).toMatchObject({ id, status: 'succeeded', result: { segments: expect.any(Array) } });
    // The string form of the body verifies too (what a framework hands over as text).
    expect(() => new Webhook(WEBHOOK_SECRET).verify(delivery.rawBody.toString('utf8'), delivery.headers)).not.toThrow();
  });

  it('verifies the delivery of a canceled job', async () => {
    const id = await uploadJob(stack.api.url, TOKEN_A, longAudio(tmp.path, 8), { webhook_url: hooksUrl });
    expect((await call(stack.api.url, `/jobs/${id}`, { method: 'DELETE', token: TOKEN_A })).status).toBe(200);
    const delivery = await deliveryFor(id);
    expect(new Webhook(WEBHOOK_SECRET).verify(delivery.rawBody, delivery.headers)).toMatchObject({ id, status: 'canceled', error: { code: 'CANCELED' } });
    await waitForJob(stack.api.url, TOKEN_A, id, (job) => (job.webhook as { status?: string } | undefined)?.status === 'delivered');
  });

  it('throws on a tampered body, signature, id or timestamp, another secret, and a delivery too old', async () => {
    const [delivery] = deliveries;
    const webhook = new Webhook(WEBHOOK_SECRET);
    const body = delivery.rawBody.toString('utf8');
    const headers = delivery.headers;
    const flipped = (signature: string): string => signature.replace(/^v1,(.)/, (_, first: string) => `v1,${first === 'A' ? 'B' : 'A'}`);

    expect(() => webhook.verify(body.replace('"succeeded"', '"failed"'), headers)).toThrow(WebhookVerificationError);
    expect(() => webhook.verify(`${body} `, headers)).toThrow(WebhookVerificationError);
    expect(() => webhook.verify(body, { ...headers, 'webhook-signature': flipped(headers['webhook-signature']) })).toThrow(/No matching signature/);
    expect(() => webhook.verify(body, { ...headers, 'webhook-id': 'msg_someone-else' })).toThrow(/No matching signature/);
    expect(() => webhook.verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) })).toThrow(/No matching signature/);
    const otherSecret = `whsec_${Buffer.from('another secret of 32 bytes!!!!!!').toString('base64')}`;
    expect(() => new Webhook(otherSecret).verify(body, headers)).toThrow(/No matching signature/);
    const { 'webhook-signature': _signature, ...unsigned } = headers;
    expect(() => webhook.verify(body, unsigned)).toThrow(/Missing required headers/);

    // The genuine delivery, checked 6 minutes after it was signed: past the 5-minute tolerance.
    const signedAt = Number(headers['webhook-timestamp']) * 1000;
    jest.spyOn(Date, 'now').mockReturnValue(signedAt + 6 * 60 * 1000);
    expect(() => webhook.verify(body, headers)).toThrow(/timestamp too old/);
    jest.spyOn(Date, 'now').mockReturnValue(signedAt + 4 * 60 * 1000);
    expect(() => webhook.verify(body, headers)).not.toThrow();
  });
});
