import { AgglomerativeHyperParameters, agglomerativeTrainLabels } from './agglomerative-labels';
import { argmaxAssignment, softClustersFromCentroids } from './assignment';
import { capSelection, DEFAULT_MAX_EMBEDDINGS, DEFAULT_SUBSAMPLE_SEED } from './cap-embeddings';
import { DEFAULT_MIN_ACTIVE_RATIO, gatherEmbeddings, selectActiveSpeakers, selectCleanSpeakers } from './select-training-embeddings';
import { singleClusterResult } from './single-cluster';
import { clipToEmbeddingCount, resolveSpeakerBounds } from './speaker-bounds';
import { BinarySegmentations, ClusteringResult, EmbeddingSet, SpeakerBounds } from './types';
import { meanOfLabel } from './vectors';

export interface AgglomerativeParams extends AgglomerativeHyperParameters {
  /**
   * Which embeddings train the linkage: 'clean' (default) is pyannote 4.0's BaseClustering rule,
   * speakers alone for at least 20 % of the chunk, which is what pyannote runs today with the
   * 3.1 hyper-parameters; 'active' is pyannote 3.1.1's rule, any active frame.
   */
  trainingSelection?: 'clean' | 'active';
  /** Cap on the embeddings given to the linkage (random subset beyond it). Default 5000. */
  maxEmbeddings?: number;
  /** Seed of the subset draw. */
  seed?: number;
}

/** Hyper-parameters of pyannote/speaker-diarization-3.1 (method = centroid). */
export const PYANNOTE31_AGGLOMERATIVE_PARAMS: AgglomerativeParams = {
  threshold: 0.7045654963945799,
  minClusterSize: 12,
};

/**
 * pyannote's `AgglomerativeClustering.__call__` (BaseClustering): the training embeddings are
 * clustered by centroid-linkage AHC, every embedding is then assigned to the closest cluster
 * centroid (argmax, no constraint). Linkage memory is O(min(N, maxEmbeddings)^2 / 2).
 */
export function clusterAgglomerative(
  embeddings: EmbeddingSet,
  segmentations: BinarySegmentations,
  bounds: SpeakerBounds,
  params: AgglomerativeParams,
): ClusteringResult {
  const selection = capSelection(
    params.trainingSelection === 'active'
      ? selectActiveSpeakers(embeddings, segmentations)
      : selectCleanSpeakers(embeddings, segmentations, DEFAULT_MIN_ACTIVE_RATIO),
    params.maxEmbeddings ?? DEFAULT_MAX_EMBEDDINGS,
    params.seed ?? DEFAULT_SUBSAMPLE_SEED,
  );
  const numTrain = selection.chunkIndices.length;
  const train = gatherEmbeddings(embeddings, selection);
  const constraints = clipToEmbeddingCount(numTrain, resolveSpeakerBounds(bounds));
  if (constraints.maxClusters < 2) return singleClusterResult(embeddings, train, numTrain);

  const labels = agglomerativeTrainLabels(train, numTrain, embeddings.dimension, constraints, params);
  const numClusters = labels.reduce((max, label) => Math.max(max, label), 0) + 1;
  const centroids = Array.from({ length: numClusters }, (_, k) => meanOfLabel(train, labels, k, embeddings.dimension));
  const soft = softClustersFromCentroids(embeddings, centroids);
  return { hardClusters: argmaxAssignment(soft), softClusters: soft.data, centroids, numClusters };
}
