import type { SoftClusters } from '../clustering';
import { ChunkGeometry, chunkStartFrame, frameMiddle, totalFrames } from './geometry';
import type { RawTurn } from './binarize';

/**
 * Confidence of a speaker turn, 0..1: the share of the sliding windows covering each of its
 * frames that put this speaker there, each window's vote weighted by how close its local
 * speaker's embedding is to the speaker's centroid; averaged over the turn's frames.
 *
 *   vote(window w, local speaker s assigned to cluster k) =
 *     clamp((cos(embedding of s in w, centroid k) - floor) / (1 - floor), 0, 1)
 *     where `floor` is the embedding model's confidence floor (identification/model-calibration.ts);
 *     0.5 when s has no embedding (too little speech to embed: no evidence either way);
 *   frame(t, k) = sum over the windows w covering frame t of vote(w, s) for the local speaker s
 *     of w active at t and assigned to k (the largest when several are), divided by the number
 *     of windows covering t;
 *   turn = mean of frame(t, k) over the turn's frames.
 *
 * Low values mean that the windows disagree on whether this speaker speaks here (a likely miss
 * or false alarm), or that the voice heard is far from the speaker's centroid (a likely
 * confusion: two people merged into one speaker, or a turn given to the wrong one). A speaker the
 * clustering gave no centroid (extra overlapping speakers from the instantaneous count) gets 0.
 * The absolute similarity was kept because on ../shared/eval it separates errors better than the
 * margin between the two closest centroids (`npm run eval -- --confidence`, README).
 */
export interface ConfidenceInputs {
  /** [chunk][frame][local speaker], 0/1. */
  segmentations: Uint8Array;
  numChunks: number;
  numLocalSpeakers: number;
  /** Cluster of each (chunk, local speaker), negative for none. */
  hardClusters: Int32Array;
  /** Scores of each (chunk, local speaker) against each centroid: 1 + cosine similarity (pyannote's soft_clusters). */
  soft: SoftClusters;
  geometry: ChunkGeometry;
  /** The embedding model's confidence floor. */
  floor: number;
}

/** Vote of a local speaker without an embedding. */
const NO_EVIDENCE = 0.5;

/** vote(w, s) above, per (chunk, local speaker). */
export function assignmentConfidence(hardClusters: Int32Array, soft: SoftClusters, floor: number): Float64Array {
  const { numClusters, data } = soft;
  const votes = new Float64Array(hardClusters.length);
  for (let row = 0; row < hardClusters.length; row++) {
    const k = hardClusters[row];
    if (k < 0 || k >= numClusters) continue;
    const similarity = data[row * numClusters + k] - 1; // soft_clusters = 2 - cosine distance
    votes[row] = Number.isNaN(similarity) ? NO_EVIDENCE : Math.min(1, Math.max(0, (similarity - floor) / (1 - floor)));
  }
  return votes;
}

/** frame(t, k) above, [global frame][cluster], for clusters 0..numSpeakers-1. */
export function frameConfidence(inputs: ConfidenceInputs, numSpeakers: number): { data: Float64Array; numFrames: number } {
  const { segmentations, numChunks, numLocalSpeakers, hardClusters, geometry } = inputs;
  const votes = assignmentConfidence(hardClusters, inputs.soft, inputs.floor);
  const perChunk = geometry.framesPerChunk;
  const numFrames = totalFrames(geometry, numChunks);
  const sums = new Float64Array(numFrames * numSpeakers);
  const covering = new Float64Array(numFrames);
  const best = new Float64Array(numSpeakers);
  for (let c = 0; c < numChunks; c++) {
    const start = chunkStartFrame(geometry, c);
    for (let f = 0; f < perChunk && start + f < numFrames; f++) {
      covering[start + f] += 1;
      best.fill(0);
      const base = (c * perChunk + f) * numLocalSpeakers;
      for (let s = 0; s < numLocalSpeakers; s++) {
        const k = hardClusters[c * numLocalSpeakers + s];
        if (k >= 0 && k < numSpeakers && segmentations[base + s]) best[k] = Math.max(best[k], votes[c * numLocalSpeakers + s]);
      }
      for (let k = 0; k < numSpeakers; k++) sums[(start + f) * numSpeakers + k] += best[k];
    }
  }
  for (let t = 0; t < numFrames; t++) {
    for (let k = 0; k < numSpeakers; k++) sums[t * numSpeakers + k] = covering[t] > 0 ? sums[t * numSpeakers + k] / covering[t] : 0;
  }
  return { data: sums, numFrames };
}

/** Confidence of each turn (same order), rounded to 3 decimals. */
export function turnConfidences(inputs: ConfidenceInputs, turns: readonly RawTurn[]): number[] {
  const numSpeakers = turns.reduce((max, t) => Math.max(max, t.cluster + 1), 0);
  const { data, numFrames } = frameConfidence(inputs, numSpeakers);
  const { geometry } = inputs;
  // binarize: a turn starts at the middle of its first frame and ends at the middle of the first frame after it
  const frameAt = (time: number) => Math.round((time - frameMiddle(geometry, 0)) / geometry.frameStep);
  return turns.map((turn) => {
    const first = Math.max(0, frameAt(turn.start));
    const last = Math.min(numFrames, Math.max(first + 1, frameAt(turn.end)));
    let sum = 0;
    for (let t = first; t < last; t++) sum += data[t * numSpeakers + turn.cluster];
    return Math.round((sum / Math.max(1, last - first)) * 1000) / 1000;
  });
}
