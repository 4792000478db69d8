import type { Segment } from '../types';
import { formatFixed } from './decimal';

/**
 * One RTTM line per segment, in the given order, as pyannote writes them:
 * `SPEAKER {uri} 1 {start:.3f} {duration:.3f} <NA> <NA> {label} <NA> <NA>` (Python's half-to-even .3f).
 * Whitespace in `uri` becomes `_` (an empty one `audio`); a speaker label that is empty or holds
 * whitespace would shift the later columns, so it is refused with an Error.
 */
export function toRttm(segments: readonly Pick<Segment, 'speaker' | 'start' | 'end'>[], uri: string): string {
  const fileId = uri.replace(/\s+/g, '_') || 'audio';
  return segments
    .map(
      (s) =>
        `SPEAKER ${fileId} 1 ${formatFixed(s.start, 3)} ${formatFixed(s.end - s.start, 3)} <NA> <NA> ${speakerLabel(s.speaker)} <NA> <NA>\n`,
    )
    .join('');
}

function speakerLabel(label: string): string {
  if (label === '' || /\s/.test(label)) {
    throw new Error(`RTTM speaker label must be a non-empty string without whitespace, got ${JSON.stringify(label)}`);
  }
  return label;
}
