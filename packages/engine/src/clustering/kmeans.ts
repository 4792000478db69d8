import { RandomSource, randomInteger, seededRandom } from './seeded-random';

export interface KMeansOptions {
  numClusters: number;
  /** Independent k-means++ starts; the lowest inertia wins (sklearn n_init). */
  numInit?: number;
  maxIterations?: number;
  /** Relative tolerance on the centre shift, scaled by the mean feature variance (sklearn tol). */
  tolerance?: number;
  seed?: number;
}

export interface KMeansResult {
  labels: Int32Array;
  /** numClusters x dimension, row-major. */
  centers: Float64Array;
  /** Sum of squared distances of the rows to their centre. */
  inertia: number;
}

const DEFAULTS = { numInit: 3, maxIterations: 300, tolerance: 1e-4, seed: 42 };

function squaredDistance(rows: Float64Array, i: number, centers: Float64Array, k: number, dimension: number): number {
  let sum = 0;
  for (let d = 0; d < dimension; d++) {
    const delta = rows[i * dimension + d] - centers[k * dimension + d];
    sum += delta * delta;
  }
  return sum;
}

/** Index of the first cumulative weight above `target` (np.searchsorted, clipped to the last row). */
function searchCumulative(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, cumulative.length - 1);
}

/**
 * Greedy k-means++ seeding as scikit-learn does it: each new centre is the best (lowest
 * potential) of 2 + ln(k) candidates drawn with probability proportional to D(x)^2.
 */
function kMeansPlusPlus(rows: Float64Array, numRows: number, dimension: number, k: number, random: RandomSource): Float64Array {
  const centers = new Float64Array(k * dimension);
  const trials = 2 + Math.floor(Math.log(k));
  const first = randomInteger(random, numRows);
  centers.set(rows.subarray(first * dimension, (first + 1) * dimension), 0);
  const closest = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) closest[i] = squaredDistance(rows, i, centers, 0, dimension);
  const cumulative = new Float64Array(numRows);
  const candidateDistances = new Float64Array(numRows);
  const bestDistances = new Float64Array(numRows);

  for (let c = 1; c < k; c++) {
    let potential = 0;
    for (let i = 0; i < numRows; i++) cumulative[i] = potential += closest[i];
    let bestCandidate = -1;
    let bestPotential = Infinity;
    for (let trial = 0; trial < trials; trial++) {
      const candidate = searchCumulative(cumulative, random() * potential);
      let candidatePotential = 0;
      for (let i = 0; i < numRows; i++) {
        let sum = 0;
        for (let d = 0; d < dimension; d++) {
          const delta = rows[i * dimension + d] - rows[candidate * dimension + d];
          sum += delta * delta;
        }
        candidateDistances[i] = Math.min(closest[i], sum);
        candidatePotential += candidateDistances[i];
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        bestDistances.set(candidateDistances);
      }
    }
    centers.set(rows.subarray(bestCandidate * dimension, (bestCandidate + 1) * dimension), c * dimension);
    closest.set(bestDistances);
  }
  return centers;
}

/** Nearest centre of every row (lowest index on ties); returns the inertia. */
function assignToCenters(rows: Float64Array, numRows: number, dimension: number, centers: Float64Array, k: number, labels: Int32Array, distances: Float64Array): number {
  let inertia = 0;
  for (let i = 0; i < numRows; i++) {
    let best = 0;
    let bestDistance = squaredDistance(rows, i, centers, 0, dimension);
    for (let c = 1; c < k; c++) {
      const d = squaredDistance(rows, i, centers, c, dimension);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    labels[i] = best;
    distances[i] = bestDistance;
    inertia += bestDistance;
  }
  return inertia;
}

/** Mean of each cluster; an empty cluster takes the row farthest from its own centre (as sklearn relocates). */
function updateCenters(rows: Float64Array, numRows: number, dimension: number, k: number, labels: Int32Array, distances: Float64Array): Float64Array {
  const centers = new Float64Array(k * dimension);
  const counts = new Int32Array(k);
  for (let i = 0; i < numRows; i++) {
    counts[labels[i]]++;
    for (let d = 0; d < dimension; d++) centers[labels[i] * dimension + d] += rows[i * dimension + d];
  }
  const taken = new Uint8Array(numRows);
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) {
      for (let d = 0; d < dimension; d++) centers[c * dimension + d] /= counts[c];
      continue;
    }
    let farthest = -1;
    for (let i = 0; i < numRows; i++) if (!taken[i] && (farthest === -1 || distances[i] > distances[farthest])) farthest = i;
    taken[farthest] = 1;
    centers.set(rows.subarray(farthest * dimension, (farthest + 1) * dimension), c * dimension);
  }
  return centers;
}

function meanFeatureVariance(rows: Float64Array, numRows: number, dimension: number): number {
  let total = 0;
  for (let d = 0; d < dimension; d++) {
    let mean = 0;
    for (let i = 0; i < numRows; i++) mean += rows[i * dimension + d];
    mean /= numRows;
    let variance = 0;
    for (let i = 0; i < numRows; i++) variance += (rows[i * dimension + d] - mean) ** 2;
    total += variance / numRows;
  }
  return total / dimension;
}

/**
 * Lloyd's k-means with greedy k-means++ starts, standing in for pyannote's
 * `KMeans(n_clusters, n_init=3, random_state=42)`. scikit-learn's RandomState stream cannot be
 * reproduced here, so the starts come from our own seeded generator: results are deterministic
 * and equivalent in method, but on ambiguous data they can differ from scikit-learn's.
 * O(numInit * iterations * numRows * k * dimension).
 */
export function kMeans(rows: Float64Array, numRows: number, dimension: number, options: KMeansOptions): KMeansResult {
  const { numClusters: k } = options;
  const numInit = options.numInit ?? DEFAULTS.numInit;
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  if (rows.length !== numRows * dimension) throw new Error('kMeans: rows do not match numRows x dimension');
  if (!(k >= 1 && k <= numRows)) throw new Error(`kMeans: numClusters must be in [1, ${numRows}] (got ${k})`);
  if (!(numInit >= 1)) throw new Error(`kMeans: numInit must be at least 1 (got ${numInit})`);
  const tolerance = (options.tolerance ?? DEFAULTS.tolerance) * meanFeatureVariance(rows, numRows, dimension);
  const random = seededRandom(options.seed ?? DEFAULTS.seed);

  let best: KMeansResult | undefined;
  for (let run = 0; run < numInit; run++) {
    let centers = kMeansPlusPlus(rows, numRows, dimension, k, random);
    const labels = new Int32Array(numRows);
    const distances = new Float64Array(numRows);
    const previous = new Int32Array(numRows).fill(-1);
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      assignToCenters(rows, numRows, dimension, centers, k, labels, distances);
      const next = updateCenters(rows, numRows, dimension, k, labels, distances);
      let shift = 0;
      for (let i = 0; i < next.length; i++) shift += (next[i] - centers[i]) ** 2;
      centers = next;
      const unchanged = labels.every((label, i) => label === previous[i]);
      previous.set(labels);
      if (unchanged || shift <= tolerance) break;
    }
    const inertia = assignToCenters(rows, numRows, dimension, centers, k, labels, distances);
    if (!best || inertia < best.inertia) best = { labels: Int32Array.from(labels), centers, inertia };
  }
  return best as KMeansResult;
}
