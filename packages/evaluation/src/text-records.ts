/** One non-blank, non-comment line split on whitespace, with its 1-based line number for error messages. */
export interface TextRecord {
  lineNumber: number;
  fields: string[];
}

/** Lines of a whitespace-separated format (RTTM, UEM), skipping blank lines and `;;` comments. */
export function* textRecords(text: string): Generator<TextRecord> {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const trimmed = lines[index].trim();
    if (trimmed === '' || trimmed.startsWith(';;')) continue;
    yield { lineNumber: index + 1, fields: trimmed.split(/\s+/) };
  }
}

/** Parses a decimal number field, or throws an error naming the format, line and field. */
export function parseNumberField(value: string, fieldName: string, format: string, lineNumber: number): number {
  // Number('') is 0 and Number('0x1') is 1, so check the shape before converting.
  const parsed = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed)) {
    throw new Error(`${format} line ${lineNumber}: ${fieldName} "${value}" is not a number`);
  }
  return parsed;
}
