import { roundHalfEven } from '../math/round-half-even';
import { ChunkGeometry, chunkStartFrame, totalFrames } from './geometry';

/**
 * Instantaneous number of speakers per global frame (pyannote's speaker_count with no warm-up):
 * the number of active local speakers of every chunk, overlap-added on the global frame grid,
 * averaged over the chunks covering each frame, rounded half to even.
 */
export function speakerCount(
  segmentations: Uint8Array,
  numChunks: number,
  numLocalSpeakers: number,
  geometry: ChunkGeometry,
): Uint8Array {
  const numFrames = totalFrames(geometry, numChunks);
  const sums = new Float64Array(numFrames);
  const covering = new Float64Array(numFrames);
  const perChunk = geometry.framesPerChunk;
  for (let c = 0; c < numChunks; c++) {
    const start = chunkStartFrame(geometry, c);
    const base = c * perChunk * numLocalSpeakers;
    for (let f = 0; f < perChunk && start + f < numFrames; f++) {
      let active = 0;
      for (let s = 0; s < numLocalSpeakers; s++) active += segmentations[base + f * numLocalSpeakers + s];
      sums[start + f] += active;
      covering[start + f] += 1;
    }
  }
  const count = new Uint8Array(numFrames);
  for (let t = 0; t < numFrames; t++) {
    // float32 like numpy's aggregate; the quotient of two small integers is never a near-tie
    count[t] = covering[t] === 0 ? 0 : roundHalfEven(Math.fround(sums[t] / Math.max(covering[t], 1e-12)));
  }
  return count;
}
