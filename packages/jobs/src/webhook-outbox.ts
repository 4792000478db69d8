import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys';
import { enqueueWebhook, type QueuePolicy, type WebhookQueue } from './queues';

/**
 * Queues the webhooks of the jobs in the outbox (see TRANSITION_SCRIPT: a job that finishes with
 * a webhook is put there by the step that finishes it), then takes them out. A crash between the
 * two queues it again on the next run, which is harmless: the webhook job's id is derived from the
 * job's, so BullMQ keeps one. Returns how many were relayed.
 */
export async function relayWebhookOutbox(
  redis: Redis,
  keys: RedisKeys,
  queue: WebhookQueue,
  policy: QueuePolicy,
  { batch = 100 }: { batch?: number } = {},
): Promise<number> {
  let relayed = 0;
  for (;;) {
    const ids = await redis.zrange(keys.webhookOutbox, 0, batch - 1);
    for (const id of ids) {
      await enqueueWebhook(queue, id, policy);
      await redis.zrem(keys.webhookOutbox, id);
      relayed++;
    }
    if (ids.length < batch) return relayed;
  }
}
