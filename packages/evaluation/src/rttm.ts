import type { Segment } from './segment';
import { parseNumberField, textRecords } from './text-records';

// SPEAKER <file-id> <chan> <onset> <dur> <NA> <NA> <speaker> <NA> <NA>; some writers drop trailing <NA>s.
const MIN_SPEAKER_FIELDS = 8;
const FILE_ID_FIELD = 1;
const ONSET_FIELD = 3;
const DURATION_FIELD = 4;
const SPEAKER_FIELD = 7;

/**
 * Parses RTTM text into speaker segments grouped by file id (in order of first appearance).
 * Only SPEAKER records are read; other record types, blank lines and `;;` comments are skipped.
 * A malformed SPEAKER line throws an error that names its line number.
 */
export function parseRttm(text: string): Map<string, Segment[]> {
  const segmentsByFile = new Map<string, Segment[]>();
  for (const { lineNumber, fields } of textRecords(text)) {
    if (fields[0] !== 'SPEAKER') continue;
    if (fields.length < MIN_SPEAKER_FIELDS) {
      throw new Error(
        `RTTM line ${lineNumber}: a SPEAKER record needs at least ${MIN_SPEAKER_FIELDS} fields, found ${fields.length}`,
      );
    }
    const onset = parseNumberField(fields[ONSET_FIELD], 'onset', 'RTTM', lineNumber);
    const duration = parseNumberField(fields[DURATION_FIELD], 'duration', 'RTTM', lineNumber);
    if (duration < 0) throw new Error(`RTTM line ${lineNumber}: duration ${duration} is negative`);

    const fileId = fields[FILE_ID_FIELD];
    const fileSegments = segmentsByFile.get(fileId) ?? [];
    fileSegments.push({ speaker: fields[SPEAKER_FIELD], start: onset, end: onset + duration });
    segmentsByFile.set(fileId, fileSegments);
  }
  return segmentsByFile;
}

/**
 * Writes segments as RTTM SPEAKER lines the way pyannote does:
 * `SPEAKER {uri} 1 {start:.3f} {duration:.3f} <NA> <NA> {label} <NA> <NA>`, one per segment, in the given order.
 */
export function formatRttm(uri: string, segments: readonly Segment[]): string {
  // Whitespace would shift every later column and make the line unreadable.
  assertSingleToken(uri, 'file id');
  return segments
    .map((segment) => {
      assertSingleToken(segment.speaker, 'speaker label');
      const start = segment.start.toFixed(3);
      const duration = (segment.end - segment.start).toFixed(3);
      return `SPEAKER ${uri} 1 ${start} ${duration} <NA> <NA> ${segment.speaker} <NA> <NA>\n`;
    })
    .join('');
}

function assertSingleToken(value: string, what: string): void {
  if (value === '' || /\s/.test(value)) {
    throw new Error(`RTTM ${what} must be a non-empty string without whitespace, got ${JSON.stringify(value)}`);
  }
}
