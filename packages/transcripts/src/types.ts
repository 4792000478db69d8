/** A transcript as the parsers read it: timed segments (cues), with word timings when the source has them. */

export interface TimedText {
  /** Seconds. */
  start: number;
  end: number;
  text: string;
}

export type TranscriptWord = TimedText;

export interface TranscriptSegment extends TimedText {
  /** Present when the source has word timings (Whisper with word timestamps). */
  words?: TranscriptWord[];
}

export interface Transcript {
  segments: TranscriptSegment[];
}

export const TRANSCRIPT_FORMATS = ['whisper_json', 'srt', 'vtt'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

/** A transcript that cannot be read; the message says where and what to fix. */
export class TranscriptError extends Error {
  readonly code = 'invalid_transcript';
  constructor(message: string) {
    super(message);
    this.name = 'TranscriptError';
  }
}
