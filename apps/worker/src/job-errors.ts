import { isDiarizationError } from '@diarization/engine';
import type { JobError } from '@diarization/jobs';
import { ObjectNotFoundError, isStorageUnavailable } from '@diarization/storage';

export interface ClassifiedError {
  error: JobError;
  /** Retrying cannot help (bad audio, bad options, audio gone). */
  permanent: boolean;
}

/** Turns whatever an attempt threw into what the client sees, and whether to retry. */
export function classifyError(error: unknown): ClassifiedError {
  if (isDiarizationError(error)) {
    return { error: { code: error.code, message: error.message }, permanent: error.permanent };
  }
  if (error instanceof ObjectNotFoundError) {
    return { error: { code: 'AUDIO_MISSING', message: 'the uploaded audio is no longer in storage; submit it again' }, permanent: true };
  }
  if (isStorageUnavailable(error)) {
    return { error: { code: 'STORAGE_UNAVAILABLE', message: error.message }, permanent: false };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { error: { code: 'INTERNAL_ERROR', message: `diarization failed unexpectedly: ${reason}` }, permanent: false };
}
