import { activeFrameCounts } from './select-training-embeddings';
import { BinarySegmentations } from './types';

/** Cluster value pyannote uses for a local speaker that never speaks in its chunk. */
export const INACTIVE_SPEAKER = -2;

/**
 * What the diarization pipeline does right after clustering:
 * hard_clusters[np.sum(binarized_segmentations, axis=1) == 0] = -2. Returns a copy.
 */
export function markInactiveSpeakers(hardClusters: Int32Array, segmentations: BinarySegmentations): Int32Array {
  const marked = Int32Array.from(hardClusters);
  activeFrameCounts(segmentations).forEach((count, row) => {
    if (count === 0) marked[row] = INACTIVE_SPEAKER;
  });
  return marked;
}
