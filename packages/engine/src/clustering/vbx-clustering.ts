import { agglomerativeLabels } from './ahc';
import { argmaxAssignment, constrainedArgmax, softClustersFromCentroids } from './assignment';
import { capSelection, DEFAULT_MAX_EMBEDDINGS, DEFAULT_SUBSAMPLE_SEED } from './cap-embeddings';
import { kMeans } from './kmeans';
import { Plda } from './plda';
import { activeFrameCounts, DEFAULT_MIN_ACTIVE_RATIO, gatherEmbeddings, selectCleanSpeakers } from './select-training-embeddings';
import { singleClusterResult } from './single-cluster';
import { resolveSpeakerBounds } from './speaker-bounds';
import { BinarySegmentations, ClusteringResult, EmbeddingSet, SpeakerBounds } from './types';
import { clusterVbxFromLabels } from './vbx';
import { meanOfLabel, normalizeRows } from './vectors';

export interface VbxParams {
  /** AHC threshold on centroid distances of L2-normalised embeddings. */
  threshold: number;
  fa: number;
  fb: number;
  /** VBx iterations (pyannote: 20). */
  maxIterations?: number;
  /** Softmax sharpening of the AHC initialisation (pyannote: 7.0). */
  initSmoothing?: number;
  /** Clean-speech fraction needed to train on an embedding (pyannote 4.0: 0.2). */
  minActiveRatio?: number;
  /** Cap on the embeddings given to AHC/VBx (random subset beyond it). Default 5000. */
  maxEmbeddings?: number;
  /** Seed of the subset draw and of k-means. */
  seed?: number;
  /** Hungarian assignment per chunk (pyannote 4.0 default: true). */
  constrainedAssignment?: boolean;
}

/** Hyper-parameters of pyannote/speaker-diarization-community-1. */
export const COMMUNITY1_VBX_PARAMS: VbxParams = { threshold: 0.6, fa: 0.07, fb: 0.8 };

/** VBx speakers whose prior falls below this are dropped (pyannote: sp > 1e-7). */
const SPEAKER_PRIOR_FLOOR = 1e-7;

/** Responsibility-weighted means of the raw training embeddings, one per surviving speaker. */
function vbxCentroids(gamma: Float64Array, priors: Float64Array, train: Float64Array, numTrain: number, dimension: number): Float64Array[] {
  const numSpeakers = priors.length;
  const centroids: Float64Array[] = [];
  for (let s = 0; s < numSpeakers; s++) {
    if (!(priors[s] > SPEAKER_PRIOR_FLOOR)) continue;
    const centroid = new Float64Array(dimension);
    let weight = 0;
    for (let t = 0; t < numTrain; t++) {
      const w = gamma[t * numSpeakers + s];
      weight += w;
      for (let d = 0; d < dimension; d++) centroid[d] += w * train[t * dimension + d];
    }
    for (let d = 0; d < dimension; d++) centroid[d] /= weight;
    centroids.push(centroid);
  }
  return centroids;
}

/** Cluster count pyannote forces with k-means, or undefined to keep VBx's own count. */
function forcedClusterCount(automatic: number, bounds: SpeakerBounds): number | undefined {
  const { numClusters, minClusters, maxClusters } = resolveSpeakerBounds(bounds);
  let target = numClusters;
  if (automatic < minClusters) target = minClusters;
  else if (automatic > maxClusters) target = maxClusters;
  return target && target !== automatic ? target : undefined;
}

/**
 * k-means on the normalised training embeddings; centroids are means of the raw ones. pyannote
 * would produce a NaN centroid for a cluster k-means leaves empty; we drop such clusters.
 * k is clipped to the number of training embeddings (scikit-learn would raise).
 */
function kMeansCentroids(train: Float64Array, numTrain: number, dimension: number, k: number, seed: number): Float64Array[] {
  const { labels } = kMeans(normalizeRows(train, numTrain, dimension), numTrain, dimension, { numClusters: Math.min(k, numTrain), seed });
  const centroids: Float64Array[] = [];
  for (let c = 0; c < Math.min(k, numTrain); c++) if (labels.includes(c)) centroids.push(meanOfLabel(train, labels, c, dimension));
  return centroids;
}

/**
 * pyannote 4.0 `VBxClustering.__call__` (speaker-diarization-community-1): AHC on clean
 * embeddings initialises VBx in PLDA space; VBx responsibilities give the centroids (or k-means
 * when the speaker count must be forced); every embedding is then scored against the centroids
 * and assigned per chunk by the Hungarian algorithm, inactive speakers pushed to the bottom.
 * Cost: AHC O(N^2) memory (N <= maxEmbeddings), VBx O(iterations * N * K * 128).
 */
export function clusterVbx(
  embeddings: EmbeddingSet,
  segmentations: BinarySegmentations,
  bounds: SpeakerBounds,
  plda: Plda,
  params: VbxParams,
): ClusteringResult {
  const seed = params.seed ?? DEFAULT_SUBSAMPLE_SEED;
  const selection = capSelection(
    selectCleanSpeakers(embeddings, segmentations, params.minActiveRatio ?? DEFAULT_MIN_ACTIVE_RATIO),
    params.maxEmbeddings ?? DEFAULT_MAX_EMBEDDINGS,
    seed,
  );
  const numTrain = selection.chunkIndices.length;
  const { dimension } = embeddings;
  const train = gatherEmbeddings(embeddings, selection);
  if (numTrain < 2) return singleClusterResult(embeddings, train, numTrain);

  const ahcLabels = agglomerativeLabels(train, numTrain, dimension, params.threshold);
  const features = plda.project(train, numTrain);
  const { gamma, priors } = clusterVbxFromLabels(ahcLabels, features, plda.ldaDimension, plda.phi, {
    fa: params.fa,
    fb: params.fb,
    maxIterations: params.maxIterations ?? 20,
    initSmoothing: params.initSmoothing ?? 7,
  });
  let centroids = vbxCentroids(gamma, priors, train, numTrain, dimension);

  let constrained = params.constrainedAssignment ?? true;
  const forced = forcedClusterCount(centroids.length, bounds);
  if (forced !== undefined) {
    // pyannote: forcing the count disables the constrained assignment, which could add clusters back.
    constrained = false;
    centroids = kMeansCentroids(train, numTrain, dimension, forced, seed);
  }

  const soft = softClustersFromCentroids(embeddings, centroids);
  let hardClusters: Int32Array;
  if (constrained) {
    floorInactiveScores(soft.data, segmentations, soft.numClusters);
    hardClusters = constrainedArgmax(soft);
  } else {
    hardClusters = argmaxAssignment(soft);
  }
  return { hardClusters, softClusters: soft.data, centroids, numClusters: centroids.length };
}

/**
 * pyannote: soft[inactive] = soft.min() - 1, so the Hungarian step prefers active speakers.
 * numpy's min is NaN as soon as one score is NaN; constrainedArgmax then maps NaN to nanmin.
 */
function floorInactiveScores(soft: Float64Array, segmentations: BinarySegmentations, numClusters: number): void {
  let minimum = Infinity;
  for (const v of soft) minimum = Number.isNaN(v) || Number.isNaN(minimum) ? NaN : Math.min(minimum, v);
  const floor = minimum - 1;
  activeFrameCounts(segmentations).forEach((count, row) => {
    if (count === 0) soft.fill(floor, row * numClusters, (row + 1) * numClusters);
  });
}
