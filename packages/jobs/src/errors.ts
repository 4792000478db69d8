import { DIARIZATION_ERROR_RETRY, type DiarizationErrorCode, type ErrorRetry } from '@diarization/engine/io';
import type { JobError } from './schemas';

/** Codes of failures outside the engine: storage, the worker process, the client. */
export type ServiceErrorCode =
  /** The uploaded audio is gone from storage (expired or deleted): submit it again. */
  | 'AUDIO_MISSING'
  /** Storage could not be reached for longer than the outage limit. */
  | 'STORAGE_UNAVAILABLE'
  /** Anything unexpected: a bug, or the machine ran out of something. */
  | 'INTERNAL_ERROR'
  /** BullMQ gave the job up (its worker died or stalled too often). */
  | 'WORKER_LOST'
  /** The client canceled the job. */
  | 'CANCELED';

export type JobErrorCode = DiarizationErrorCode | ServiceErrorCode;

/** The statuses a failed job's code maps to. */
export type JobErrorHttpStatus = 400 | 409 | 422 | 500;

export interface JobErrorRule {
  /** "permanent": retrying the job cannot help, so it fails at once; "retryable": later attempts may succeed. */
  retry: ErrorRetry;
  /** What the API answers when it reports this failure as a request's outcome (the legacy /diarize call). */
  httpStatus: JobErrorHttpStatus;
}

/** An engine code: its retry rule is the engine's own (DIARIZATION_ERROR_RETRY), never restated. */
const engine = (code: DiarizationErrorCode, httpStatus: JobErrorHttpStatus): JobErrorRule => ({ retry: DIARIZATION_ERROR_RETRY[code], httpStatus });

/**
 * The one table of job error codes. The input's faults are 4xx (422 for audio, 400 for options),
 * the server's are 500. The worker decides whether to retry from it, the API its status; a code
 * without a line here does not compile.
 */
export const JOB_ERROR_RULES: Readonly<Record<JobErrorCode, JobErrorRule>> = {
  AUDIO_DECODE_FAILED: engine('AUDIO_DECODE_FAILED', 422),
  AUDIO_EMPTY: engine('AUDIO_EMPTY', 422),
  AUDIO_TOO_SHORT: engine('AUDIO_TOO_SHORT', 422),
  AUDIO_TOO_LONG: engine('AUDIO_TOO_LONG', 422),
  INVALID_OPTIONS: engine('INVALID_OPTIONS', 400),
  MODEL_MISSING: engine('MODEL_MISSING', 500),
  MODEL_CORRUPT: engine('MODEL_CORRUPT', 500),
  FFMPEG_MISSING: engine('FFMPEG_MISSING', 500),
  ABORTED: engine('ABORTED', 500),
  NOT_ENOUGH_SPEECH: engine('NOT_ENOUGH_SPEECH', 422),
  voiceprint_model_mismatch: engine('voiceprint_model_mismatch', 422),
  AUDIO_MISSING: { retry: 'permanent', httpStatus: 500 },
  STORAGE_UNAVAILABLE: { retry: 'retryable', httpStatus: 500 },
  INTERNAL_ERROR: { retry: 'retryable', httpStatus: 500 },
  WORKER_LOST: { retry: 'retryable', httpStatus: 500 },
  CANCELED: { retry: 'permanent', httpStatus: 409 },
};

/** The rule of a code as stored in a job record (older records may hold codes no longer in use). */
function ruleOf(code: string): JobErrorRule | undefined {
  return Object.hasOwn(JOB_ERROR_RULES, code) ? JOB_ERROR_RULES[code as JobErrorCode] : undefined;
}

/** True when retrying a job that failed with `code` cannot help; unknown codes may be retried. */
export function isPermanentJobError(code: string): boolean {
  return ruleOf(code)?.retry === 'permanent';
}

/** The HTTP status that fits a failed job's error (the legacy /diarize call answers with it). */
export function httpStatusForJobError(error: JobError): JobErrorHttpStatus {
  return ruleOf(error.code)?.httpStatus ?? 500;
}
