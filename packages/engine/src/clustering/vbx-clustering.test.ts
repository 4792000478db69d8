import { join } from 'node:path';
import { loadNpz, requireArray, toFloat64, toInt32 } from '../numpy';
import { SAMPLE_FIXTURES, SHARED_MODELS } from '../../../../test/shared-paths';
import { loadSample } from '../../../../test/support/pyannote-fixtures';
import { maxAbsDifference } from '../../test-support/test-matrices';
import { markInactiveSpeakers } from './inactive-speakers';
import { Plda } from './plda';
import type { BinarySegmentations } from './types';
import { clusterVbx, COMMUNITY1_VBX_PARAMS } from './vbx-clustering';

function distinctActive(hard: Int32Array): number {
  return new Set(Array.from(hard).filter((k) => k >= 0)).size;
}

describe('clusterVbx (community-1) on the pyannote sample', () => {
  const plda = Plda.load(join(SHARED_MODELS, 'xvec_transform.npz'), join(SHARED_MODELS, 'plda.npz'));
  const { embeddings, segmentations } = loadSample();
  const fixture = loadNpz(join(SAMPLE_FIXTURES, 'clustering.npz'));
  const expectedHard = toInt32(requireArray(fixture, 'hard_clusters', 'clustering.npz'));
  const expectedSoft = toFloat64(requireArray(fixture, 'soft_clusters', 'clustering.npz'));
  const expectedCentroids = toFloat64(requireArray(fixture, 'centroids', 'clustering.npz'));
  const result = clusterVbx(embeddings, segmentations, {}, plda, COMMUNITY1_VBX_PARAMS);

  it('finds the two speakers of the fixture', () => {
    expect(result.numClusters).toBe(2);
    expect(result.centroids.length).toBe(2);
  });

  it('returns hard_clusters identical to the fixture, before and after the pipeline marks inactive speakers', () => {
    // The fixture holds the clustering output: -2 only where the Hungarian step left a speaker out.
    expect(Array.from(result.hardClusters)).toEqual(Array.from(expectedHard));
    expect(Array.from(markInactiveSpeakers(result.hardClusters, segmentations))).toEqual(
      Array.from(markInactiveSpeakers(expectedHard, segmentations)),
    );
  });

  it('reproduces soft_clusters and centroids', () => {
    expect(maxAbsDifference(result.softClusters, expectedSoft)).toBeLessThan(1e-9);
    const centroids = new Float64Array(2 * embeddings.dimension);
    result.centroids.forEach((c, k) => centroids.set(c, k * embeddings.dimension));
    expect(maxAbsDifference(centroids, expectedCentroids)).toBeLessThan(1e-9);
  });

  it('is deterministic', () => {
    const again = clusterVbx(embeddings, segmentations, {}, plda, COMMUNITY1_VBX_PARAMS);
    expect(Array.from(again.hardClusters)).toEqual(Array.from(result.hardClusters));
  });

  it('forces the count with k-means when numClusters differs (3 speakers, argmax assignment)', () => {
    const forced = clusterVbx(embeddings, segmentations, { numClusters: 3 }, plda, COMMUNITY1_VBX_PARAMS);
    expect(forced.numClusters).toBe(3);
    expect(forced.softClusters.length).toBe(21 * 3 * 3);
    // Unconstrained argmax: no -2 left by the assignment.
    expect(Array.from(forced.hardClusters).every((k) => k >= 0 && k < 3)).toBe(true);
    const minimum = clusterVbx(embeddings, segmentations, { minClusters: 3 }, plda, COMMUNITY1_VBX_PARAMS);
    expect(minimum.numClusters).toBe(3);
    const single = clusterVbx(embeddings, segmentations, { maxClusters: 1 }, plda, COMMUNITY1_VBX_PARAMS);
    expect(single.numClusters).toBe(1);
    expect(distinctActive(single.hardClusters)).toBe(1);
  });

  it('keeps the VBx result when the bounds already hold', () => {
    const bounded = clusterVbx(embeddings, segmentations, { minClusters: 1, maxClusters: 2 }, plda, COMMUNITY1_VBX_PARAMS);
    expect(Array.from(bounded.hardClusters)).toEqual(Array.from(expectedHard));
    const exact = clusterVbx(embeddings, segmentations, { numClusters: 2 }, plda, COMMUNITY1_VBX_PARAMS);
    expect(Array.from(exact.hardClusters)).toEqual(Array.from(expectedHard));
  });

  it('caps the embeddings given to AHC/VBx and still assigns every embedding, deterministically', () => {
    const params = { ...COMMUNITY1_VBX_PARAMS, maxEmbeddings: 20, seed: 7 };
    const capped = clusterVbx(embeddings, segmentations, {}, plda, params);
    const again = clusterVbx(embeddings, segmentations, {}, plda, params);
    expect(capped.hardClusters.length).toBe(21 * 3);
    expect(Array.from(again.hardClusters)).toEqual(Array.from(capped.hardClusters));
    // Every active speaker gets a real cluster.
    const marked = markInactiveSpeakers(capped.hardClusters, segmentations);
    const activeRows = Array.from(markInactiveSpeakers(expectedHard, segmentations)).map((k) => k >= 0);
    activeRows.forEach((active, row) => active && expect(marked[row]).toBeGreaterThanOrEqual(0));
  });

  it('falls back to one cluster when fewer than two embeddings are clean', () => {
    const silent: BinarySegmentations = { ...segmentations, data: new Uint8Array(segmentations.data.length) };
    const result1 = clusterVbx(embeddings, silent, {}, plda, COMMUNITY1_VBX_PARAMS);
    expect(result1.numClusters).toBe(1);
    expect(Array.from(result1.hardClusters).every((k) => k === 0)).toBe(true);
  });
});
