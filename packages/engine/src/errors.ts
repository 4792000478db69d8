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
  | 'ABORTED';

/** Codes for which running the same input again cannot succeed. */
const PERMANENT_CODES: ReadonlySet<DiarizationErrorCode> = new Set([
  'AUDIO_DECODE_FAILED',
  'AUDIO_EMPTY',
  'AUDIO_TOO_SHORT',
  'AUDIO_TOO_LONG',
  'INVALID_OPTIONS',
  'ABORTED',
]);

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
    return PERMANENT_CODES.has(this.code);
  }
}

export function isDiarizationError(error: unknown): error is DiarizationError {
  return error instanceof DiarizationError;
}

/** Like AbortSignal.throwIfAborted, with the engine's own error. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DiarizationError('ABORTED', 'diarization was canceled');
}
