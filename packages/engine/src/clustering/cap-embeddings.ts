import { randomInteger, seededRandom } from './seeded-random';
import { TrainingSelection } from './types';

/** Default cap on the embeddings given to the O(N^2)-memory linkage (5000 -> 12.5 M distances, 100 MB). */
export const DEFAULT_MAX_EMBEDDINGS = 5000;
export const DEFAULT_SUBSAMPLE_SEED = 42;

/**
 * pyannote 3.1 `max_num_embeddings`: when there are too many embeddings, keep a random subset,
 * in increasing index order. pyannote shuffles with Python's global `random`; we shuffle
 * (Fisher-Yates) with a seeded generator so that runs are reproducible.
 */
export function capSelection(selection: TrainingSelection, maxEmbeddings: number, seed = DEFAULT_SUBSAMPLE_SEED): TrainingSelection {
  const count = selection.chunkIndices.length;
  if (!(maxEmbeddings >= 1)) throw new Error(`maxEmbeddings must be at least 1 (got ${maxEmbeddings})`);
  if (count <= maxEmbeddings) return selection;
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = randomInteger(random, i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const kept = order.subarray(0, Math.floor(maxEmbeddings)).sort();
  return {
    chunkIndices: Int32Array.from(kept, (i) => selection.chunkIndices[i]),
    speakerIndices: Int32Array.from(kept, (i) => selection.speakerIndices[i]),
  };
}
