import { displayName, type DiarizationDocument, type SpeakerNames } from './model';
import { cueTimestamp, escapeVttText } from '@diarization/transcripts/cue-text';

export type ExportFormat = 'json' | 'rttm' | 'csv' | 'vtt';

export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; mime: string; extension: string }[] = [
  { format: 'json', label: 'JSON', mime: 'application/json', extension: 'json' },
  { format: 'rttm', label: 'RTTM', mime: 'text/plain', extension: 'rttm' },
  { format: 'csv', label: 'CSV', mime: 'text/csv', extension: 'csv' },
  { format: 'vtt', label: 'WebVTT', mime: 'text/vtt', extension: 'vtt' },
];

/** RTTM fields are separated by spaces: a name's own spaces become underscores. */
const rttmToken = (text: string, fallback: string) => text.trim().replace(/\s+/g, '_') || fallback;

/** RFC 4180: quote a field that holds a comma, quote or line break. */
const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A name as WebVTT cue text and voice annotation: one line, character references for markup. */
const vttText = (text: string) => escapeVttText(text.replace(/[\r\n]+/g, ' ').trim());

const seconds = (value: number) => value.toFixed(3);

/** The result with the speakers renamed everywhere (segments and the speaker summary). */
export function renamedDocument(document: DiarizationDocument, names: SpeakerNames): DiarizationDocument {
  const rename = (speaker: string) => displayName(names, speaker);
  const renamed: DiarizationDocument = { ...document, segments: document.segments.map((s) => ({ ...s, speaker: rename(s.speaker) })) };
  if (Array.isArray(document.speakers)) {
    renamed.speakers = document.speakers.map((entry: unknown) =>
      typeof entry === 'object' && entry !== null && typeof (entry as { speaker?: unknown }).speaker === 'string'
        ? { ...entry, speaker: rename((entry as { speaker: string }).speaker) }
        : entry,
    );
  }
  return renamed;
}

export interface ExportInput {
  document: DiarizationDocument;
  names: SpeakerNames;
  /** The RTTM file id: the audio's base name. */
  fileId: string;
}

export function exportDocument(format: ExportFormat, { document, names, fileId }: ExportInput): string {
  const name = (speaker: string) => displayName(names, speaker);
  switch (format) {
    case 'json':
      return `${JSON.stringify(renamedDocument(document, names), null, 2)}\n`;
    case 'rttm': {
      const uri = rttmToken(fileId, 'audio');
      return document.segments
        .map((s) => `SPEAKER ${uri} 1 ${seconds(s.start)} ${seconds(s.end - s.start)} <NA> <NA> ${rttmToken(name(s.speaker), s.speaker)} <NA> <NA>\n`)
        .join('');
    }
    case 'csv':
      return ['speaker,start,end,duration', ...document.segments.map((s) => [csvField(name(s.speaker)), seconds(s.start), seconds(s.end), seconds(s.end - s.start)].join(','))]
        .map((line) => `${line}\r\n`)
        .join('');
    case 'vtt':
      return `WEBVTT\n\n${document.segments
        .map((s, i) => {
          const voice = vttText(name(s.speaker)) || s.speaker;
          return `${i + 1}\n${cueTimestamp(s.start, '.')} --> ${cueTimestamp(s.end, '.')}\n<v ${voice}>${voice}</v>\n`;
        })
        .join('\n')}`;
  }
}
