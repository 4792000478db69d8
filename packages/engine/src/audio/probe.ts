import { SAMPLE_RATE } from '@diarization/common';
import { decodeAudio } from './decode';

export interface ProbeOptions {
  /** How much audio to decode before calling the file good (default 2 s). */
  seconds?: number;
  /** Refuse audio whose declared duration is longer than this. */
  maxDurationSeconds?: number;
  signal?: AbortSignal;
  /** The caller's ffmpeg, as for decodeAudio. */
  ffmpegPath?: string;
}

export interface AudioProbe {
  /** What the container declares (undefined when it does not say). */
  declaredSeconds?: number;
}

/**
 * A quick check that a file is audio the engine can diarize: the same decoder and the same
 * errors as a full run (empty, not audio, no audio track, truncated container, too short, too
 * long by its declared duration), but it stops after the first seconds. Damage further in is
 * only found by the full decode.
 */
export async function probeAudio(path: string, options: ProbeOptions = {}): Promise<AudioProbe> {
  const wanted = (options.seconds ?? 2) * SAMPLE_RATE;
  let declaredSeconds: number | undefined;
  let decoded = 0;
  for await (const block of decodeAudio(path, {
    maxDurationSeconds: options.maxDurationSeconds,
    signal: options.signal,
    ffmpegPath: options.ffmpegPath,
    onDuration: (seconds) => {
      declaredSeconds = seconds;
    },
  })) {
    decoded += block.length;
    if (decoded >= wanted) break; // leaving the loop stops ffmpeg
  }
  return { declaredSeconds };
}
