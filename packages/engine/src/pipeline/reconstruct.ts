import { ChunkGeometry, chunkStartFrame, totalFrames } from './geometry';

export const INACTIVE = -2;

export interface DiscreteDiarization {
  /** [numFrames * numSpeakers], 0/1 */
  data: Uint8Array;
  numFrames: number;
  numSpeakers: number;
}

/**
 * pyannote's reconstruct + to_diarization: per chunk and cluster the max over the local speakers
 * assigned to it, summed over overlapping chunks, then in every frame the `count[t]` clusters
 * with the largest sums are active (ties go to the lower cluster index, as numpy's small-array
 * argsort does).
 */
export function reconstruct(
  segmentations: Uint8Array,
  numChunks: number,
  numLocalSpeakers: number,
  hardClusters: Int32Array,
  count: Uint8Array,
  geometry: ChunkGeometry,
): DiscreteDiarization {
  const perChunk = geometry.framesPerChunk;
  let numClusters = 0;
  for (const k of hardClusters) numClusters = Math.max(numClusters, k + 1);
  let maxCount = 0;
  for (const c of count) maxCount = Math.max(maxCount, c);
  const numSpeakers = Math.max(numClusters, maxCount);

  const numFrames = Math.min(totalFrames(geometry, numChunks), count.length);
  const activations = new Float32Array(numFrames * numSpeakers);
  for (let c = 0; c < numChunks; c++) {
    const start = chunkStartFrame(geometry, c);
    for (let k = 0; k < numClusters; k++) {
      let assigned = false;
      for (let s = 0; s < numLocalSpeakers; s++) assigned ||= hardClusters[c * numLocalSpeakers + s] === k;
      if (!assigned) continue;
      for (let f = 0; f < perChunk && start + f < numFrames; f++) {
        let value = 0;
        const base = (c * perChunk + f) * numLocalSpeakers;
        for (let s = 0; s < numLocalSpeakers; s++) {
          if (hardClusters[c * numLocalSpeakers + s] === k) value = Math.max(value, segmentations[base + s]);
        }
        activations[(start + f) * numSpeakers + k] += value;
      }
    }
  }

  const data = new Uint8Array(numFrames * numSpeakers);
  const order = Array.from({ length: numSpeakers }, (_, k) => k);
  for (let t = 0; t < numFrames; t++) {
    const row = t * numSpeakers;
    order.sort((a, b) => activations[row + b] - activations[row + a] || a - b);
    for (let i = 0; i < count[t] && i < numSpeakers; i++) data[row + order[i]] = 1;
  }
  return { data, numFrames, numSpeakers };
}
