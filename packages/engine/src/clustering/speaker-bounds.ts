import { SpeakerBounds } from './types';

/** Resolved constraints: `numClusters` is set when the count is forced (min === max). */
export interface ClusterCountConstraints {
  numClusters: number | undefined;
  minClusters: number;
  maxClusters: number;
}

/**
 * pyannote `set_num_speakers` (pipeline level): num overrides min/max, missing min is 1,
 * missing max is unbounded. Python's `or` treats 0 as missing, and so does `||` here.
 */
export function resolveSpeakerBounds(bounds: SpeakerBounds): ClusterCountConstraints {
  const minClusters = bounds.numClusters || bounds.minClusters || 1;
  const maxClusters = bounds.numClusters || bounds.maxClusters || Infinity;
  if (minClusters > maxClusters) {
    throw new Error(`minClusters must be smaller than (or equal to) maxClusters (here: ${minClusters} and ${maxClusters})`);
  }
  return { numClusters: minClusters === maxClusters ? minClusters : bounds.numClusters || undefined, minClusters, maxClusters };
}

/** pyannote `BaseClustering.set_num_clusters`: the pipeline bounds clipped to [1, numEmbeddings]. */
export function clipToEmbeddingCount(numEmbeddings: number, bounds: ClusterCountConstraints): ClusterCountConstraints {
  let minClusters = bounds.numClusters || bounds.minClusters || 1;
  minClusters = Math.max(1, Math.min(numEmbeddings, minClusters));
  let maxClusters = bounds.numClusters || bounds.maxClusters || numEmbeddings;
  maxClusters = Math.max(1, Math.min(numEmbeddings, maxClusters));
  if (minClusters > maxClusters) {
    throw new Error(`minClusters must be smaller than (or equal to) maxClusters (here: ${minClusters} and ${maxClusters})`);
  }
  return { numClusters: minClusters === maxClusters ? minClusters : bounds.numClusters, minClusters, maxClusters };
}
