import type { Segment } from '../types';
import { formatFixed } from './decimal';

/** One RTTM line per segment, as pyannote writes them. */
export function toRttm(segments: readonly Segment[], uri: string): string {
  const fileId = uri.replace(/\s+/g, '_') || 'audio';
  return segments
    .map(
      (s) =>
        `SPEAKER ${fileId} 1 ${formatFixed(s.start, 3)} ${formatFixed(s.end - s.start, 3)} <NA> <NA> ${s.speaker} <NA> <NA>\n`,
    )
    .join('');
}
