import { extname } from 'node:path';
import { parseSrt } from './srt';
import { TRANSCRIPT_FORMATS, TranscriptError, type Transcript, type TranscriptFormat } from './types';
import { parseVtt } from './vtt';
import { parseWhisperJson } from './whisper';

/** Longest transcript accepted (a few hours of Whisper verbose_json with words fit). */
export const MAX_TRANSCRIPT_BYTES = 16 * 1024 * 1024;

const BY_EXTENSION: Record<string, TranscriptFormat> = { '.json': 'whisper_json', '.srt': 'srt', '.vtt': 'vtt' };

/** The format a file's name says, else what its content looks like; null when neither tells. */
export function detectTranscriptFormat(text: string, filename?: string | null): TranscriptFormat | null {
  const byName = filename ? BY_EXTENSION[extname(filename).toLowerCase()] : undefined;
  if (byName !== undefined) return byName;
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (/^WEBVTT([ \t\r\n]|$)/.test(start)) return 'vtt';
  if (start.startsWith('{')) return 'whisper_json';
  if (/^\d+\s*\r?\n\s*\d{1,3}:\d\d:\d\d[,.]\d{1,3}\s*-->/.test(start)) return 'srt';
  return null;
}

export interface ParseTranscriptOptions {
  /** Forces a format; otherwise it is detected from `filename` and the content. */
  format?: TranscriptFormat;
  filename?: string | null;
}

/** Reads a Whisper verbose_json, SRT or WebVTT transcript; throws TranscriptError with what is wrong. */
export function parseTranscript(text: string, options: ParseTranscriptOptions = {}): Transcript {
  if (Buffer.byteLength(text) > MAX_TRANSCRIPT_BYTES) {
    throw new TranscriptError(`the transcript is larger than ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MiB`);
  }
  const format = options.format ?? detectTranscriptFormat(text, options.filename);
  switch (format) {
    case 'whisper_json':
      return parseWhisperJson(text);
    case 'srt':
      return parseSrt(text);
    case 'vtt':
      return parseVtt(text);
    default:
      throw new TranscriptError(
        `cannot tell the transcript's format: send Whisper verbose_json, SRT or WebVTT, or name it (${TRANSCRIPT_FORMATS.join(', ')})`,
      );
  }
}
