import { roundHalfEven } from '../math/round-half-even';
import { centroidLinkage } from './centroid-linkage';
import { Dendrogram, withDistances } from './dendrogram';
import { fclusterByDistance } from './fcluster';
import { ClusterCountConstraints } from './speaker-bounds';
import { uniqueLabels } from './unique-labels';
import { cosineDistances, meanOfLabel, normalizeRows } from './vectors';

/** pyannote 3.1 `AgglomerativeClustering` hyper-parameters. */
export interface AgglomerativeHyperParameters {
  threshold: number;
  minClusterSize: number;
}

/** pyannote's heuristic: min(minClusterSize, max(1, round(0.1 * N))), with Python's half-to-even round. */
export function effectiveMinClusterSize(minClusterSize: number, numEmbeddings: number): number {
  return Math.min(minClusterSize, Math.max(1, roundHalfEven(0.1 * numEmbeddings)));
}

/** Flat clusters of a cut with their large/small split: the state pyannote's `cluster` carries around. */
interface Cut {
  clusters: Int32Array;
  values: Int32Array;
  counts: Int32Array;
  numLarge: number;
}

function cutAt(dendrogram: Dendrogram, cutoff: number, minClusterSize: number): Cut {
  const clusters = fclusterByDistance(dendrogram, cutoff).map((label) => label - 1);
  const { values, counts } = uniqueLabels(clusters);
  const numLarge = counts.filter((count) => count >= minClusterSize).length;
  return { clusters, values, counts, numLarge };
}

/**
 * Indices of merges sorted by |distance - threshold|. numpy's default argsort (introsort) is
 * not stable; for exact ties we take the lowest merge index first.
 */
function mergesClosestToThreshold(dendrogram: Dendrogram, threshold: number): number[] {
  const gap = Array.from(dendrogram.distance, (d) => Math.abs(d - threshold));
  return gap.map((_, i) => i).sort((a, b) => gap[a] - gap[b] || a - b);
}

/**
 * pyannote 3.1 walk for a target cluster count: cut the tree after merge `iteration`, trying
 * merges by increasing |distance - threshold|, until the number of large clusters equals
 * `target`; otherwise keep the closest count found.
 */
function searchCutForCount(dendrogram: Dendrogram, threshold: number, minClusterSize: number, target: number, initial: Cut): Cut {
  const numEmbeddings = dendrogram.numObservations;
  const byIndex = withDistances(dendrogram, Float64Array.from(dendrogram.distance, (_, i) => i));
  let bestIteration = numEmbeddings - 1;
  let bestNumLarge = 1;
  let current = initial;
  for (const iteration of mergesClosestToThreshold(dendrogram, threshold)) {
    // Only merges creating a cluster that can be large may change the count of large clusters.
    if (byIndex.size[iteration] < minClusterSize) continue;
    current = cutAt(byIndex, iteration, minClusterSize);
    if (Math.abs(current.numLarge - target) < Math.abs(bestNumLarge - target)) {
      bestIteration = iteration;
      bestNumLarge = current.numLarge;
    }
    if (current.numLarge === target) break;
  }
  if (bestNumLarge !== target) current = cutAt(byIndex, bestIteration, minClusterSize);
  return current;
}

/**
 * pyannote 3.1 `AgglomerativeClustering.cluster` with method='centroid', metric='cosine':
 * centroid linkage of L2-normalised embeddings, cut at `threshold`, count forced into
 * [min, max] by walking the tree, clusters smaller than the (effective) minimum size merged
 * into the closest large cluster (cosine distance between centroids), labels renumbered 0..k-1.
 */
export function agglomerativeTrainLabels(
  embeddings: ArrayLike<number>,
  numEmbeddings: number,
  dimension: number,
  constraints: ClusterCountConstraints,
  params: AgglomerativeHyperParameters,
): Int32Array {
  const minClusterSize = effectiveMinClusterSize(params.minClusterSize, numEmbeddings);
  if (numEmbeddings === 1) return new Int32Array(1);

  const normalized = normalizeRows(embeddings, numEmbeddings, dimension);
  const dendrogram = centroidLinkage(normalized, numEmbeddings, dimension);
  let cut = cutAt(dendrogram, params.threshold, minClusterSize);

  let target = constraints.numClusters;
  if (cut.numLarge < constraints.minClusters) target = constraints.minClusters;
  else if (cut.numLarge > constraints.maxClusters) target = constraints.maxClusters;
  if (target !== undefined && cut.numLarge !== target) {
    cut = searchCutForCount(dendrogram, params.threshold, minClusterSize, target, cut);
  }

  const clusters = cut.clusters;
  if (cut.numLarge === 0) return clusters.fill(0);
  const large = Array.from(cut.values).filter((_, i) => cut.counts[i] >= minClusterSize);
  const small = Array.from(cut.values).filter((_, i) => cut.counts[i] < minClusterSize);
  if (small.length === 0) return clusters;

  // Each small cluster joins the large cluster whose centroid is closest (cosine), first one on ties.
  const largeCentroids = large.map((label) => meanOfLabel(normalized, clusters, label, dimension));
  small.forEach((label) => {
    const smallCentroid = meanOfLabel(normalized, clusters, label, dimension);
    const distances = cosineDistances(smallCentroid, 1, largeCentroids, dimension);
    let nearest = 0;
    for (let j = 1; j < distances.length; j++) if (distances[j] < distances[nearest]) nearest = j;
    for (let i = 0; i < clusters.length; i++) if (clusters[i] === label) clusters[i] = large[nearest];
  });
  return uniqueLabels(clusters).inverse;
}
