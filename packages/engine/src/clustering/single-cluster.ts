import { ClusteringResult, EmbeddingSet } from './types';
import { meanOfRows } from './vectors';

/**
 * pyannote's "do not cluster" answer (too few embeddings, or at most one speaker allowed):
 * everyone in cluster 0, soft scores of 1, centroid = mean of the training embeddings
 * (NaN when there are none, as np.mean of an empty array).
 */
export function singleClusterResult(embeddings: EmbeddingSet, train: Float64Array, numTrain: number): ClusteringResult {
  const numRows = embeddings.numChunks * embeddings.numLocalSpeakers;
  return {
    hardClusters: new Int32Array(numRows),
    softClusters: new Float64Array(numRows).fill(1),
    centroids: [meanOfRows(train, numTrain, embeddings.dimension)],
    numClusters: 1,
  };
}
