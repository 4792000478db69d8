import { ObjectNotFoundError } from '@diarization/storage';
import { UnsafeUrlError } from '../url-guard';
import type { WebhookFailureReason } from './definitions';

/** The reason label of a receiver's answer that was not 2xx. */
export function failureOfStatus(status: number): WebhookFailureReason {
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return 'http_3xx';
}

/** The reason label of an attempt that got no answer. */
export function failureOfError(error: unknown): WebhookFailureReason {
  if (error instanceof UnsafeUrlError) return 'unsafe_url';
  if (error instanceof ObjectNotFoundError) return 'result_missing';
  // by name and code, not `instanceof Error`: Node's own errors may come from another realm (vm, jest)
  const { name, code } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  return 'network';
}
