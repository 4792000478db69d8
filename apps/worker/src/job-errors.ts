import { isDiarizationError } from '@diarization/engine';
import { isPermanentJobError, type JobError, type JobErrorCode } from '@diarization/jobs';
import { ObjectNotFoundError, isStorageUnavailable } from '@diarization/storage';

export interface ClassifiedError {
  error: JobError;
  /** Retrying cannot help (bad audio, bad options, audio gone): from the job error table. */
  permanent: boolean;
}

const classified = (code: JobErrorCode, message: string): ClassifiedError => ({ error: { code, message }, permanent: isPermanentJobError(code) });

/** Turns whatever an attempt threw into what the client sees, and whether to retry (packages/jobs/src/errors.ts). */
export function classifyError(error: unknown): ClassifiedError {
  if (isDiarizationError(error)) return classified(error.code, error.message);
  if (error instanceof ObjectNotFoundError) return classified('AUDIO_MISSING', 'the uploaded audio is no longer in storage; submit it again');
  if (isStorageUnavailable(error)) return classified('STORAGE_UNAVAILABLE', error.message);
  const reason = error instanceof Error ? error.message : String(error);
  return classified('INTERNAL_ERROR', `diarization failed unexpectedly: ${reason}`);
}
