import type { Logger } from '@diarization/config';
import { ObjectNotFoundError, readText, type ObjectStore } from '@diarization/storage';
import { UnrecoverableError } from 'bullmq';
import { guardedRequest, readBodySnippet } from './http-client';
import { failureOfError, failureOfStatus, type ClusterMetrics, type WebhookFailureReason } from './metrics';
import type { JobRecord, JobRecordStore } from './records';
import { storedResultSchema } from './results';
import type { WebhookState } from './schemas';
import { UnsafeUrlError } from './url-guard';
import { webhookHeaders } from './webhook-signing';

export interface WebhookDeliveryDeps {
  records: JobRecordStore;
  store: ObjectStore;
  /** `whsec_...`; without it nothing is sent. */
  secret: string | undefined;
  timeoutMs: number;
  allowPrivateUrls: boolean;
  logger: Logger;
  /** Counts attempts, failures by reason and latency for /metrics. */
  metrics?: ClusterMetrics;
}

/** The part of a BullMQ job the delivery needs (kept small so tests can pass plain objects). */
export interface WebhookAttempt {
  data: { jobId: string };
  attemptsMade: number;
  opts: { attempts?: number };
}

/** `{"id", "status", "result"|"error"}`: the full result on success, the error otherwise. */
export async function buildWebhookPayload(record: JobRecord, store: ObjectStore): Promise<string> {
  if (record.status === 'succeeded' && record.resultKey !== null) {
    const result = storedResultSchema.parse(JSON.parse(await readText(store, record.resultKey)));
    return JSON.stringify({ id: record.id, status: record.status, result });
  }
  return JSON.stringify({ id: record.id, status: record.status, error: record.error });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    return error.message;
  }
  return String(error);
}

/**
 * One delivery attempt of a job's webhook. Throws to make BullMQ retry with backoff; the
 * job record shows the delivery state after every attempt.
 */
export async function deliverWebhook(attempt: WebhookAttempt, deps: WebhookDeliveryDeps): Promise<WebhookState | null> {
  const record = await deps.records.get(attempt.data.jobId);
  if (record === null || record.webhookUrl === null) return null; // expired or never asked for
  if (record.webhook?.status === 'delivered') return record.webhook;

  const attemptNumber = attempt.attemptsMade + 1;
  const lastAttempt = attemptNumber >= (attempt.opts.attempts ?? 1);
  const state: WebhookState = {
    url: record.webhookUrl,
    status: 'pending',
    attempts: attemptNumber,
    last_status_code: null,
    last_error: null,
    delivered_at: null,
  };

  let failure: string;
  let permanent = false;
  let reason: WebhookFailureReason = 'no_secret';
  let sentAt: number | null = null;
  const observe = (outcome: WebhookFailureReason | null): Promise<void> | undefined =>
    deps.metrics?.webhookAttempt({ failure: outcome, seconds: sentAt === null ? null : (performance.now() - sentAt) / 1000 });
  if (deps.secret === undefined) {
    failure = 'WEBHOOK_SECRET is not set, so webhooks cannot be signed';
    permanent = true;
  } else {
    try {
      const body = await buildWebhookPayload(record, deps.store);
      sentAt = performance.now();
      const response = await guardedRequest(record.webhookUrl, {
        method: 'POST',
        label: 'webhook_url',
        allowPrivate: deps.allowPrivateUrls,
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'diarization-service-webhooks/1',
          ...webhookHeaders(deps.secret, `msg_${record.id}`, body),
        },
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
      state.last_status_code = response.status;
      const snippet = await readBodySnippet(response.body, 200);
      if (response.status >= 200 && response.status < 300) {
        await observe(null);
        const delivered: WebhookState = { ...state, status: 'delivered', delivered_at: new Date().toISOString() };
        await deps.records.setWebhookState(record.id, delivered);
        deps.logger.info('webhook delivered', { job_id: record.id, status_code: response.status, attempt: attemptNumber });
        return delivered;
      }
      reason = failureOfStatus(response.status);
      const detail = snippet.trim() ? `: ${snippet.trim().slice(0, 200)}` : '';
      if (response.status === 410) {
        // 410 Gone: the endpoint says it no longer exists; retrying cannot help.
        failure = `the receiver answered HTTP 410 Gone${detail}; the endpoint is gone, so the delivery is not retried`;
        permanent = true;
      } else {
        failure = `the receiver answered HTTP ${response.status}${detail}`;
      }
    } catch (error) {
      failure = describe(error);
      reason = failureOfError(error);
      permanent = error instanceof UnsafeUrlError || error instanceof ObjectNotFoundError;
    }
  }

  await observe(reason);
  const final = lastAttempt || permanent;
  const updated: WebhookState = { ...state, status: final ? 'failed' : 'pending', last_error: failure };
  await deps.records.setWebhookState(record.id, updated);
  deps.logger.warn('webhook delivery failed', { job_id: record.id, attempt: attemptNumber, final, error: failure });
  throw permanent ? new UnrecoverableError(failure) : new Error(failure);
}
