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
