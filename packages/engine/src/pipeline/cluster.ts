import type { AgglomerativeSettings } from '@diarization/models';
import {
  clusterAgglomerative,
  clusterVbx,
  COMMUNITY1_VBX_PARAMS,
  markInactiveSpeakers,
  type BinarySegmentations,
  type ClusteringResult,
  type EmbeddingSet,
  type Plda,
} from '../clustering';
import type { SpeakerBounds } from '../options';
import type { Recipe } from '../types';

export interface ClusteringSetup {
  recipe: Recipe;
  plda?: Plda;
  agglomerative: AgglomerativeSettings;
  maxEmbeddings?: number;
  /** The embedding model's confidence floor (pipeline/confidence.ts); not used by the clustering itself. */
  confidenceFloor: number;
}

/**
 * Runs the recipe's clustering and marks inactive local speakers -2 in `hardClusters`, as
 * pyannote's pipeline does; the soft scores and centroids are the clustering's own.
 */
export function clusterSpeakers(
  embeddings: EmbeddingSet,
  segmentations: BinarySegmentations,
  bounds: SpeakerBounds,
  setup: ClusteringSetup,
): ClusteringResult {
  const speakerBounds = {
    numClusters: bounds.numSpeakers,
    minClusters: bounds.minSpeakers,
    maxClusters: Number.isFinite(bounds.maxSpeakers) ? bounds.maxSpeakers : undefined,
  };
  const result =
    setup.recipe === 'community-1'
      ? clusterVbx(embeddings, segmentations, speakerBounds, setup.plda!, {
          ...COMMUNITY1_VBX_PARAMS,
          maxEmbeddings: setup.maxEmbeddings,
        })
      : clusterAgglomerative(embeddings, segmentations, speakerBounds, {
          threshold: setup.agglomerative.threshold,
          minClusterSize: setup.agglomerative.minClusterSize,
          maxEmbeddings: setup.maxEmbeddings,
        });
  return { ...result, hardClusters: markInactiveSpeakers(result.hardClusters, segmentations) };
}
