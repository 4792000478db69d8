/** Why diarization failed, in terms a caller can act on. */
export type DiarizationErrorCode =
  /** ffmpeg could not read the input: corrupt, truncated, or not audio at all. */
  | 'AUDIO_DECODE_FAILED'
  /** The input holds no audio samples. */
  | 'AUDIO_EMPTY'
  /** Shorter than the minimum duration (0.1 s). */
  | 'AUDIO_TOO_SHORT'
  /** Longer than the configured maximum duration. */
  | 'AUDIO_TOO_LONG'
  /** Bad diarization options (speaker counts, recipe, model id...). */
  | 'INVALID_OPTIONS'
  /** A model file is not installed. */
  | 'MODEL_MISSING'
  /** A model file is installed but its checksum or interface is wrong. */
  | 'MODEL_CORRUPT'
  /** No ffmpeg binary could be found or run. */
  | 'FFMPEG_MISSING'
  /** The caller aborted the run. */
  | 'ABORTED'
  /** A voice clip holds too little speech to make a voiceprint from. */
  | 'NOT_ENOUGH_SPEECH'
  /** A voiceprint was made with another embedding model than the one in use (VoiceprintModelMismatchError). */
  | 'voiceprint_model_mismatch';

/** Whether running the same input again could succeed. */
export type ErrorRetry = 'permanent' | 'retryable';

/**
 * The one table of the engine's codes: "permanent" when the input or the options are at fault
 * (a retry fails the same way), "retryable" when the server's setup is (models being installed,
 * ffmpeg missing). The job layer extends it (packages/jobs/src/errors.ts) with its own codes and
 * the HTTP status of each; a new code fails to compile until it has a line here.
 */
export const DIARIZATION_ERROR_RETRY: Readonly<Record<DiarizationErrorCode, ErrorRetry>> = {
  AUDIO_DECODE_FAILED: 'permanent',
  AUDIO_EMPTY: 'permanent',
  AUDIO_TOO_SHORT: 'permanent',
  AUDIO_TOO_LONG: 'permanent',
  INVALID_OPTIONS: 'permanent',
  MODEL_MISSING: 'retryable',
  MODEL_CORRUPT: 'retryable',
  FFMPEG_MISSING: 'retryable',
  ABORTED: 'permanent',
  NOT_ENOUGH_SPEECH: 'permanent',
  voiceprint_model_mismatch: 'permanent',
};

export class DiarizationError extends Error {
  constructor(
    readonly code: DiarizationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DiarizationError';
  }

  /** True when the input or the options are at fault, so a retry would fail the same way. */
  get permanent(): boolean {
    return DIARIZATION_ERROR_RETRY[this.code] === 'permanent';
  }
}

/** A voiceprint made with another embedding model: its vector cannot be compared with this model's. */
export class VoiceprintModelMismatchError extends DiarizationError {
  constructor(
    readonly voiceprint: { id: string; label: string; model: string },
    readonly modelInUse: string,
  ) {
    super(
      'voiceprint_model_mismatch',
      `voiceprint "${voiceprint.label}" (${voiceprint.id}) was made with embedding model ${voiceprint.model}, ` +
        `but this run uses ${modelInUse}: re-enroll the voice with ${modelInUse}`,
    );
    this.name = 'VoiceprintModelMismatchError';
  }
}

export function isDiarizationError(error: unknown): error is DiarizationError {
  return error instanceof DiarizationError;
}

/** Like AbortSignal.throwIfAborted, with the engine's own error. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DiarizationError('ABORTED', 'diarization was canceled');
}
