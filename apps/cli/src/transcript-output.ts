import { readFileSync } from 'node:fs';
import type { DiarizationResult } from '@diarization/engine';
import {
  attributeTranscript,
  parseTranscript,
  toSrt,
  toVtt,
  TRANSCRIPT_FORMATS,
  TranscriptError,
  type AttributedTranscript,
  type Transcript,
} from '@diarization/transcripts';
import { oneOf } from './arguments';
import { UsageError } from './run-main';

/** diarize's options for a transcript (parseArgs config). */
export const TRANSCRIPT_OPTIONS = {
  transcript: { type: 'string' },
  'transcript-format': { type: 'string' },
} as const;

export const TRANSCRIPT_USAGE = `  --transcript FILE         Whisper verbose_json, SRT or WebVTT: give every word (or cue) a speaker
                            (the exclusive diarization is used); with --format json it is added as "transcript"
  --transcript-format whisper_json|srt|vtt
                            the transcript's format (default: from its extension, else its content)
`;

/** The output formats that are the transcript itself. */
const TRANSCRIPT_OUTPUTS = ['srt', 'vtt'] as const;

export function isTranscriptOutput(format: string): format is (typeof TRANSCRIPT_OUTPUTS)[number] {
  return (TRANSCRIPT_OUTPUTS as readonly string[]).includes(format);
}

/** Reads and parses --transcript (before any model loads); null without one. Mistakes are one-line usage errors. */
export function readTranscriptOption(values: { transcript?: string; 'transcript-format'?: string }, outputFormat: string): Transcript | null {
  const format = oneOf(values['transcript-format'], TRANSCRIPT_FORMATS, '--transcript-format');
  if (values.transcript === undefined) {
    if (isTranscriptOutput(outputFormat)) throw new UsageError(`--format ${outputFormat} needs --transcript FILE (Whisper verbose_json, SRT or WebVTT)`);
    if (format !== undefined) throw new UsageError('--transcript-format needs --transcript FILE');
    return null;
  }
  let text: string;
  try {
    text = readFileSync(values.transcript, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --transcript ${values.transcript}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseTranscript(text, { format, filename: values.transcript });
  } catch (error) {
    if (error instanceof TranscriptError) throw new UsageError(`--transcript ${values.transcript}: ${error.message}`);
    throw error;
  }
}

/** The transcript with a speaker for every word; identified speakers named by their voiceprint's label. */
export function attributedTranscript(transcript: Transcript, result: DiarizationResult): AttributedTranscript {
  const speakerNames: Record<string, string> = {};
  for (const entry of result.identification ?? []) {
    if (entry.voiceprint !== null) speakerNames[entry.speaker] = entry.voiceprint.label;
  }
  return attributeTranscript(transcript, result.segments, { speakerNames });
}

/** --format srt|vtt: the attributed transcript as subtitles. */
export function transcriptText(transcript: Transcript, result: DiarizationResult, format: (typeof TRANSCRIPT_OUTPUTS)[number]): string {
  const attributed = attributedTranscript(transcript, result);
  return format === 'srt' ? toSrt(attributed) : toVtt(attributed);
}
