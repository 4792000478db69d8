import { loadSample, sampleHardClusters } from '../../../../test/support/pyannote-fixtures';
import { clusterAgglomerative, PYANNOTE31_AGGLOMERATIVE_PARAMS } from './agglomerative-clustering';
import { agglomerativeTrainLabels, effectiveMinClusterSize } from './agglomerative-labels';
import { seededRandom } from './seeded-random';
import { selectCleanSpeakers } from './select-training-embeddings';

const THRESHOLD = PYANNOTE31_AGGLOMERATIVE_PARAMS.threshold;

/** Points scattered (noise `spread`) around the given directions, `counts[g]` points for direction g. */
function groups(directions: number[][], counts: number[], spread: number, seed: number): { rows: Float64Array; truth: number[] } {
  const random = seededRandom(seed);
  const dimension = directions[0].length;
  const rows: number[] = [];
  const truth: number[] = [];
  directions.forEach((direction, g) => {
    for (let i = 0; i < counts[g]; i++) {
      direction.forEach((v) => rows.push(v + spread * (2 * random() - 1)));
      truth.push(g);
    }
  });
  expect(rows.length).toBe(truth.length * dimension);
  return { rows: Float64Array.from(rows), truth };
}

function basis(index: number, dimension: number, scale = 1): number[] {
  return Array.from({ length: dimension }, (_, d) => (d === index ? scale : 0));
}

/** Same partition up to renaming of the labels. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((forward.get(a[i]) ?? b[i]) !== b[i] || (backward.get(b[i]) ?? a[i]) !== a[i]) return false;
    forward.set(a[i], b[i]);
    backward.set(b[i], a[i]);
  }
  return true;
}

const FREE = { numClusters: undefined, minClusters: 1, maxClusters: Infinity };

describe('effectiveMinClusterSize (Python round, half to even)', () => {
  it('follows min(minClusterSize, max(1, round(0.1 N)))', () => {
    expect(effectiveMinClusterSize(12, 5)).toBe(1); // round(0.5) = 0 -> max(1, 0)
    expect(effectiveMinClusterSize(12, 25)).toBe(2); // round(2.5) = 2
    expect(effectiveMinClusterSize(12, 15)).toBe(2); // 0.1 * 15 = 1.5000000000000002 -> 2
    expect(effectiveMinClusterSize(12, 45)).toBe(4); // round(4.5) = 4
    expect(effectiveMinClusterSize(12, 41)).toBe(4);
    expect(effectiveMinClusterSize(12, 1000)).toBe(12);
  });
});

describe('agglomerativeTrainLabels (pyannote 3.1 cluster())', () => {
  // Four tight groups of 10 around orthogonal unit directions: centroid distances ~ sqrt(2) > threshold.
  const four = groups([basis(0, 6), basis(1, 6), basis(2, 6), basis(3, 6)], [10, 10, 10, 10], 0.05, 1);

  it('finds the four groups at the threshold', () => {
    const labels = agglomerativeTrainLabels(four.rows, 40, 6, FREE, PYANNOTE31_AGGLOMERATIVE_PARAMS);
    expect(samePartition(labels, four.truth)).toBe(true);
  });

  it('walks the dendrogram to force 3 and then 2 clusters', () => {
    // Unit directions in a plane at 0, 45, 100 and 200 degrees (A, B, C, D), 10 noisy points each.
    // After the within-group merges (distances < 0.1), centroid linkage joins A-B at chord
    // 2 sin(22.5 deg) = 0.765, then AB-C at about 1.205, then ABC-D. 0.765 > 0.7046: 4 clusters.
    // The walk tries merges by |distance - threshold|: first A-B (0.06 away) -> {AB, C, D};
    // next AB-C (0.5 away; within-group merges are >= 0.6 away) -> {ABC, D}.
    const angle = (degrees: number) => [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
    const plane = groups([angle(0), angle(45), angle(100), angle(200)], [10, 10, 10, 10], 0.02, 5);
    const force = (target: number) =>
      agglomerativeTrainLabels(plane.rows, 40, 2, { numClusters: target, minClusters: target, maxClusters: target }, PYANNOTE31_AGGLOMERATIVE_PARAMS);
    expect(samePartition(agglomerativeTrainLabels(plane.rows, 40, 2, FREE, PYANNOTE31_AGGLOMERATIVE_PARAMS), plane.truth)).toBe(true);
    expect(samePartition(force(3), plane.truth.map((g) => [0, 0, 1, 2][g]))).toBe(true);
    expect(samePartition(force(2), plane.truth.map((g) => [0, 0, 0, 1][g]))).toBe(true);
  });

  it('raises the count to minClusters and lowers it to maxClusters', () => {
    const two = groups([basis(0, 6), basis(1, 6)], [10, 10], 0.05, 2);
    expect(new Set(agglomerativeTrainLabels(two.rows, 20, 6, { numClusters: undefined, minClusters: 3, maxClusters: 20 }, PYANNOTE31_AGGLOMERATIVE_PARAMS)).size).toBe(3);
    expect(new Set(agglomerativeTrainLabels(four.rows, 40, 6, { numClusters: undefined, minClusters: 1, maxClusters: 2 }, PYANNOTE31_AGGLOMERATIVE_PARAMS)).size).toBe(2);
  });

  it('merges a small cluster into the large cluster with the closest centroid', () => {
    // Groups A (e0) and B (e1) of 10, plus one point along (1, 0.6, 0.8) / sqrt(2):
    // cosine 0.707 to A (distance 0.765 > threshold, so the cut leaves it alone) and 0.424 to B.
    // N = 21 -> min cluster size round(2.1) = 2, so the lone point is a small cluster and joins A.
    const data = groups([basis(0, 3), basis(1, 3), [1, 0.6, 0.8]], [10, 10, 1], 0.01, 3);
    const labels = agglomerativeTrainLabels(data.rows, 21, 3, FREE, PYANNOTE31_AGGLOMERATIVE_PARAMS);
    expect(new Set(labels).size).toBe(2);
    expect(labels[20]).toBe(labels[0]);
    expect(labels[20]).not.toBe(labels[10]);
    // With a minimum size of 1 it stays on its own.
    const alone = agglomerativeTrainLabels(data.rows, 21, 3, FREE, { threshold: THRESHOLD, minClusterSize: 1 });
    expect(new Set(alone).size).toBe(3);
  });

  it('returns [0] for a single embedding', () => {
    expect(Array.from(agglomerativeTrainLabels([1, 2], 1, 2, FREE, PYANNOTE31_AGGLOMERATIVE_PARAMS))).toEqual([0]);
  });
});

describe('clusterAgglomerative (3.1.1 training rule) on the pyannote sample', () => {
  const PARAMS_311 = { ...PYANNOTE31_AGGLOMERATIVE_PARAMS, trainingSelection: 'active' as const };
  const { embeddings, segmentations } = loadSample();
  const community1 = sampleHardClusters();
  const clean = selectCleanSpeakers(embeddings, segmentations);
  const cleanRows = Array.from(clean.chunkIndices, (c, i) => c * 3 + clean.speakerIndices[i]);

  /** Clean (chunk, speaker) pairs on which the two labelings agree under the best one-to-one label mapping. */
  function agreement(hard: Int32Array): number {
    const counts = new Map<string, number>();
    cleanRows.forEach((row) => counts.set(`${community1[row]},${hard[row]}`, (counts.get(`${community1[row]},${hard[row]}`) ?? 0) + 1));
    const get = (a: number, b: number) => counts.get(`${a},${b}`) ?? 0;
    let best = 0;
    for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) if (x !== y) best = Math.max(best, get(0, x) + get(1, y));
    return best;
  }

  it('finds 3 clusters with the 3.1 threshold: one community-1 speaker is split (34 of 37 clean embeddings agree)', () => {
    // The last three centroid merges happen at 0.701, 0.797 and 0.926; the 3.1 threshold 0.7046 cuts
    // the last two, leaving clusters of 22, 5 and 14 embeddings (all >= min size round(4.1) = 4).
    const result = clusterAgglomerative(embeddings, segmentations, {}, PARAMS_311);
    expect(result.numClusters).toBe(3);
    expect(cleanRows.length).toBe(37);
    expect(agreement(result.hardClusters)).toBe(34);
  });

  it('gives the 2 community-1 speakers when at most 2 are allowed (35 of 37 clean embeddings agree)', () => {
    for (const bounds of [{ maxClusters: 2 }, { numClusters: 2 }]) {
      const result = clusterAgglomerative(embeddings, segmentations, bounds, PARAMS_311);
      expect(result.numClusters).toBe(2);
      expect(agreement(result.hardClusters)).toBe(35);
    }
  });

  it('returns argmax assignments and mean centroids for every (chunk, speaker)', () => {
    const result = clusterAgglomerative(embeddings, segmentations, {}, PARAMS_311);
    expect(result.hardClusters.length).toBe(63);
    expect(result.softClusters.length).toBe(63 * 3);
    for (let row = 0; row < 63; row++) {
      const scores = result.softClusters.subarray(row * 3, row * 3 + 3);
      expect(scores[result.hardClusters[row]]).toBe(Math.max(...scores));
    }
  });

  it('puts everything in cluster 0 when max_clusters < 2', () => {
    const result = clusterAgglomerative(embeddings, segmentations, { maxClusters: 1 }, PARAMS_311);
    expect(result.numClusters).toBe(1);
    expect(Array.from(new Set(result.hardClusters))).toEqual([0]);
    expect(Array.from(new Set(result.softClusters))).toEqual([1]);
  });

  it('caps the linkage input and still assigns every embedding, deterministically', () => {
    const params = { ...PARAMS_311, maxEmbeddings: 20, seed: 3 };
    const capped = clusterAgglomerative(embeddings, segmentations, { numClusters: 2 }, params);
    const again = clusterAgglomerative(embeddings, segmentations, { numClusters: 2 }, params);
    expect(capped.hardClusters.length).toBe(63);
    expect(Array.from(capped.hardClusters)).toEqual(Array.from(again.hardClusters));
    expect(Array.from(capped.hardClusters).every((k) => k >= 0 && k < capped.numClusters)).toBe(true);
    expect(agreement(capped.hardClusters)).toBeGreaterThanOrEqual(33);
  });
});

describe('clusterAgglomerative with pyannote 4.0 training rule (the default)', () => {
  const { embeddings, segmentations } = loadSample();

  it('trains on the 37 clean embeddings community-1 trains on, not on all 41 active ones', () => {
    const clean = clusterAgglomerative(embeddings, segmentations, {}, { ...PYANNOTE31_AGGLOMERATIVE_PARAMS, maxEmbeddings: 37 });
    const cleanCapped = clusterAgglomerative(embeddings, segmentations, {}, { ...PYANNOTE31_AGGLOMERATIVE_PARAMS, maxEmbeddings: 36 });
    // a cap of 37 leaves the clean selection untouched; 36 has to subsample it, so results may differ
    expect(Array.from(clean.hardClusters)).toEqual(
      Array.from(clusterAgglomerative(embeddings, segmentations, {}, PYANNOTE31_AGGLOMERATIVE_PARAMS).hardClusters),
    );
    expect(cleanCapped.hardClusters.length).toBe(63);
    const active = clusterAgglomerative(embeddings, segmentations, {}, { ...PYANNOTE31_AGGLOMERATIVE_PARAMS, trainingSelection: 'active', maxEmbeddings: 37 });
    const activeUncapped = clusterAgglomerative(embeddings, segmentations, {}, { ...PYANNOTE31_AGGLOMERATIVE_PARAMS, trainingSelection: 'active' });
    // the 3.1.1 rule has 41 training embeddings, so a cap of 37 changes its input
    expect(active.centroids[0]).not.toEqual(activeUncapped.centroids[0]);
  });
});
