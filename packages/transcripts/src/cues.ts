import { plainCueText, quoted, type TextBlock } from './text-blocks';
import { TranscriptError, type TranscriptSegment } from './types';

/** What tells SubRip and WebVTT cues apart: their timing lines. */
export interface CueDialect {
  /** Names the format in errors: "SRT line 4: ...". */
  name: string;
  /** A timing line; groups 1–4 are the start and 5–8 the end (hours, minutes, seconds, milliseconds). */
  timingLine: RegExp;
  /** A well-formed timing line, shown when one is not. */
  example: string;
}

function seconds(hours: string | undefined, minutes: string, secs: string, millis: string): number {
  return Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(secs) + Number(millis.padEnd(3, '0')) / 1000;
}

/** The segments of a subtitle file's cue blocks: an optional identifier line, the timing line, the text. */
export function cueSegments(blocks: TextBlock[], dialect: CueDialect): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  for (const block of blocks) {
    const at = block.lines[0].includes('-->') ? 0 : 1;
    const timing = block.lines[at];
    const lineNumber = block.firstLine + at;
    const match = timing === undefined ? null : dialect.timingLine.exec(timing);
    if (match === null) {
      const found = timing === undefined ? 'the end of the cue' : quoted(timing);
      throw new TranscriptError(`${dialect.name} line ${lineNumber}: expected a time line like "${dialect.example}", found ${found}`);
    }
    const start = seconds(match[1], match[2], match[3], match[4]);
    const end = seconds(match[5], match[6], match[7], match[8]);
    if (end < start) throw new TranscriptError(`${dialect.name} line ${lineNumber}: the cue ends before it starts`);
    const cueText = plainCueText(block.lines.slice(at + 1));
    if (cueText !== '') segments.push({ start, end, text: cueText });
  }
  if (segments.length === 0) throw new TranscriptError(`the ${dialect.name} transcript has no cues`);
  return segments;
}
