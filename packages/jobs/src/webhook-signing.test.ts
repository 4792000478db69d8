import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook, webhookHeaders } from './index';

describe('Standard Webhooks signing', () => {
  // The example published with the Standard Webhooks specification.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const messageId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it('matches the specification example', () => {
    expect(signWebhook(secret, messageId, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('matches an independent HMAC over "id.timestamp.body" keyed with the decoded secret', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
    expect(signWebhook(secret, messageId, timestamp, body)).toBe(`v1,${expected}`);
  });

  it('produces headers that verify, and rejects tampering and stale timestamps', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    const headers = webhookHeaders(secret, 'msg_job1', '{"id":"job1"}', now);
    expect(headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    const received = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] };
    expect(verifyWebhook(secret, received, '{"id":"job1"}', { now })).toBe(true);
    expect(verifyWebhook(secret, received, '{"id":"job2"}', { now })).toBe(false);
    expect(verifyWebhook(secret, received, '{"id":"job1"}', { now: new Date(now.getTime() + 3600_000) })).toBe(false);
    expect(verifyWebhook(secret, { ...received, signature: `v1,AAAA ${received.signature}` }, '{"id":"job1"}', { now })).toBe(true);
  });
});
