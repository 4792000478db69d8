import type { JobError } from './schemas';

/** Error codes that are the input's fault (mirrors the engine's permanent codes). */
const CLIENT_ERROR_STATUS: Record<string, number> = {
  AUDIO_DECODE_FAILED: 422,
  AUDIO_EMPTY: 422,
  AUDIO_TOO_SHORT: 422,
  AUDIO_TOO_LONG: 422,
  INVALID_OPTIONS: 400,
  CANCELED: 409,
};

/** The HTTP status that fits a failed job's error (the legacy /diarize call answers with it). */
export function httpStatusForJobError(error: JobError): number {
  return CLIENT_ERROR_STATUS[error.code] ?? 500;
}
