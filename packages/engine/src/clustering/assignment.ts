import { linearSumAssignment } from '../math/linear-sum-assignment';
import { EmbeddingSet } from './types';
import { cosineDistances } from './vectors';

/** Scores per (chunk, local speaker, cluster), row-major, like pyannote's soft_clusters. */
export interface SoftClusters {
  data: Float64Array;
  numChunks: number;
  numLocalSpeakers: number;
  numClusters: number;
}

/** pyannote: soft_clusters = 2 - cdist(embeddings, centroids, 'cosine'); NaN embeddings give NaN rows. */
export function softClustersFromCentroids(embeddings: EmbeddingSet, centroids: readonly Float64Array[]): SoftClusters {
  const numRows = embeddings.numChunks * embeddings.numLocalSpeakers;
  const data = cosineDistances(embeddings.data, numRows, centroids, embeddings.dimension);
  for (let i = 0; i < data.length; i++) data[i] = 2 - data[i];
  return { data, numChunks: embeddings.numChunks, numLocalSpeakers: embeddings.numLocalSpeakers, numClusters: centroids.length };
}

/** np.argmax over clusters: first maximum wins, and a NaN counts as the maximum (numpy's rule). */
export function argmaxAssignment(soft: SoftClusters): Int32Array {
  const { numChunks, numLocalSpeakers, numClusters, data } = soft;
  const hard = new Int32Array(numChunks * numLocalSpeakers);
  for (let row = 0; row < hard.length; row++) {
    let best = 0;
    for (let k = 0; k < numClusters; k++) {
      const value = data[row * numClusters + k];
      if (Number.isNaN(value)) {
        best = k;
        break;
      }
      if (value > data[row * numClusters + best]) best = k;
    }
    hard[row] = best;
  }
  return hard;
}

/** np.nanmin of the whole array (NaN when every value is NaN). */
function nanMinimum(values: Float64Array): number {
  let minimum = NaN;
  for (const v of values) if (!Number.isNaN(v) && !(v >= minimum)) minimum = v;
  return minimum;
}

/**
 * pyannote `constrained_argmax`: per chunk, a maximum-score one-to-one matching of local speakers
 * to clusters (Hungarian algorithm, scipy tie rules). Speakers left without a cluster (more
 * speakers than clusters) get -2. NaN scores are first replaced by the global nanmin.
 */
export function constrainedArgmax(soft: SoftClusters): Int32Array {
  const { numChunks, numLocalSpeakers, numClusters } = soft;
  const fill = nanMinimum(soft.data);
  const hard = new Int32Array(numChunks * numLocalSpeakers).fill(-2);
  const block = numLocalSpeakers * numClusters;
  for (let c = 0; c < numChunks; c++) {
    const cost = new Float64Array(block);
    for (let i = 0; i < block; i++) {
      const value = soft.data[c * block + i];
      cost[i] = Number.isNaN(value) ? fill : clampInfinite(value);
    }
    const { rows, columns } = linearSumAssignment(cost, numLocalSpeakers, numClusters, true);
    rows.forEach((speaker, i) => (hard[c * numLocalSpeakers + speaker] = columns[i]));
  }
  return hard;
}

/** np.nan_to_num also maps +-inf to the largest finite values. */
function clampInfinite(value: number): number {
  if (value === Infinity) return Number.MAX_VALUE;
  if (value === -Infinity) return -Number.MAX_VALUE;
  return value;
}
