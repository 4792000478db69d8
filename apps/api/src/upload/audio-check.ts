import { isDiarizationError, probeAudio, type DiarizationError } from '@diarization/engine/io';
import { HttpError } from '../errors';

/** Rejects files that are not audio the engine can diarize before they are queued. */
export interface AudioValidator {
  /** Throws an HttpError saying what is wrong with the file at `path`, or why it cannot be checked. */
  check(path: string): Promise<void>;
}

const CHECK_TIMEOUT_MS = 20_000;

/**
 * Decodes the first seconds with the engine's own decoder (probeAudio), so the API refuses
 * exactly what the worker would fail on, with the same message: empty, not audio, no audio
 * track, truncated, too short, or declared longer than MAX_AUDIO_SECONDS.
 */
export interface EngineAudioValidatorOptions {
  maxDurationSeconds: number;
  /** The ffmpeg the workers use (FFMPEG_PATH); unset: the engine's default. */
  ffmpegPath?: string;
  /** Told about failures that are the server's fault (ffmpeg missing, timeouts). */
  onServerProblem?: (message: string) => void;
}

export class EngineAudioValidator implements AudioValidator {
  constructor(private readonly options: EngineAudioValidatorOptions) {}

  async check(path: string): Promise<void> {
    const { maxDurationSeconds, ffmpegPath, onServerProblem = () => undefined } = this.options;
    try {
      await probeAudio(path, { maxDurationSeconds, ffmpegPath, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    } catch (error) {
      // Anything else is a bug or the machine: the app's error handler logs it and answers 500.
      if (!isDiarizationError(error)) throw error;
      const refusal = probeRefusal(error);
      if (refusal.status >= 500) onServerProblem(`upload check failed on the server's side: ${error.code}: ${error.message}`);
      throw refusal;
    }
  }
}

/**
 * The answer to a failed probe. The input's faults are 422, too long included: the upload is
 * well-formed and within MAX_UPLOAD_BYTES, its content is what the service refuses (413 would
 * send people to proxy and byte limits), and a job failing the same way in the worker is also
 * reported as 422. The server's own faults are 503 and never blame the file.
 */
export function probeRefusal(error: DiarizationError): HttpError {
  switch (error.code) {
    case 'AUDIO_EMPTY':
    case 'AUDIO_DECODE_FAILED':
    case 'AUDIO_TOO_SHORT':
    case 'AUDIO_TOO_LONG':
      return new HttpError(422, error.message);
    case 'FFMPEG_MISSING':
      return new HttpError(503, 'the server cannot check audio: its ffmpeg is missing (an operator must install it or set FFMPEG_PATH); the file was not at fault');
    case 'ABORTED':
      // Only our time limit aborts the probe: a busy machine more likely than a bad file.
      return new HttpError(503, `the audio check did not finish within ${CHECK_TIMEOUT_MS / 1000} s; try again shortly`, { 'Retry-After': '5' });
    default:
      return new HttpError(500, `the server could not check the audio (${error.code}); the server log has the details`);
  }
}
