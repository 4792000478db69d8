import { ChunkGeometry, frameMiddle } from './geometry';
import type { DiscreteDiarization } from './reconstruct';

export interface RawTurn {
  /** Cluster index. */
  cluster: number;
  start: number;
  end: number;
}

/**
 * pyannote's Binarize(onset=0.5, offset=0.5) on a discrete diarization with min_duration_on and
 * min_duration_off both 0: a turn starts at the middle of its first active frame and ends at the
 * middle of the first inactive one (or of the last frame).
 */
export function binarize(diarization: DiscreteDiarization, geometry: ChunkGeometry): RawTurn[] {
  const { data, numFrames, numSpeakers } = diarization;
  const turns: RawTurn[] = [];
  if (numFrames === 0) return turns;
  for (let k = 0; k < numSpeakers; k++) {
    let active = data[k] > 0.5;
    let start = frameMiddle(geometry, 0);
    let time = start;
    for (let t = 1; t < numFrames; t++) {
      time = frameMiddle(geometry, t);
      const value = data[t * numSpeakers + k];
      if (active && value < 0.5) {
        turns.push({ cluster: k, start, end: time });
        active = false;
      } else if (!active && value > 0.5) {
        start = time;
        active = true;
      }
    }
    if (active) turns.push({ cluster: k, start, end: time });
  }
  return turns;
}
