import type { TimeRange } from './segment';
import { parseNumberField, textRecords } from './text-records';

const UEM_FIELDS = 4;

/**
 * Parses UEM text (`<file-id> <chan> <start> <end>` per line) into scored regions grouped by file id.
 * A file may have several regions. Blank lines and `;;` comments are skipped; malformed lines throw
 * an error that names their line number.
 */
export function parseUem(text: string): Map<string, TimeRange[]> {
  const regionsByFile = new Map<string, TimeRange[]>();
  for (const { lineNumber, fields } of textRecords(text)) {
    if (fields.length !== UEM_FIELDS) {
      throw new Error(`UEM line ${lineNumber}: expected ${UEM_FIELDS} fields, found ${fields.length}`);
    }
    const start = parseNumberField(fields[2], 'start', 'UEM', lineNumber);
    const end = parseNumberField(fields[3], 'end', 'UEM', lineNumber);
    if (end < start) throw new Error(`UEM line ${lineNumber}: end ${end} is before start ${start}`);

    const fileRegions = regionsByFile.get(fields[0]) ?? [];
    fileRegions.push({ start, end });
    regionsByFile.set(fields[0], fileRegions);
  }
  return regionsByFile;
}
