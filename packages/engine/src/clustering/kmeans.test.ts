import { kMeans } from './kmeans';
import { seededRandom } from './seeded-random';

/** `perGroup` points within +-0.1 of each centre (row-major, 2-D), group order preserved. */
function blobs(centres: number[][], perGroup: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const rows: number[] = [];
  for (const [x, y] of centres) for (let i = 0; i < perGroup; i++) rows.push(x + 0.2 * (random() - 0.5), y + 0.2 * (random() - 0.5));
  return Float64Array.from(rows);
}

describe('kMeans', () => {
  const centres = [[0, 0], [5, 0], [0, 5], [5, 5]];
  const rows = blobs(centres, 15, 9);

  it('recovers well-separated clusters', () => {
    const { labels, centers, inertia } = kMeans(rows, 60, 2, { numClusters: 4 });
    for (let g = 0; g < 4; g++) {
      const group = labels.subarray(15 * g, 15 * g + 15);
      expect(new Set(group).size).toBe(1);
      const k = group[0];
      expect(Math.abs(centers[2 * k] - centres[g][0])).toBeLessThan(0.1);
      expect(Math.abs(centers[2 * k + 1] - centres[g][1])).toBeLessThan(0.1);
    }
    expect(new Set(labels).size).toBe(4);
    // Each point lies within 0.1 * sqrt(2) of its centre.
    expect(inertia).toBeLessThan(60 * 0.02);
  });

  it('is deterministic for a seed', () => {
    const a = kMeans(rows, 60, 2, { numClusters: 3, seed: 1 });
    const b = kMeans(rows, 60, 2, { numClusters: 3, seed: 1 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
  });

  it('keeps the best of several starts', () => {
    const single = kMeans(rows, 60, 2, { numClusters: 4, numInit: 1, seed: 5 });
    const several = kMeans(rows, 60, 2, { numClusters: 4, numInit: 5, seed: 5 });
    expect(several.inertia).toBeLessThanOrEqual(single.inertia);
  });

  it('handles k = 1 and k = N, and validates k', () => {
    const one = kMeans(rows, 60, 2, { numClusters: 1 });
    expect(new Set(one.labels).size).toBe(1);
    const tiny = Float64Array.from([0, 0, 1, 1, 2, 2]);
    expect(Array.from(kMeans(tiny, 3, 2, { numClusters: 3 }).labels).sort()).toEqual([0, 1, 2]);
    expect(() => kMeans(tiny, 3, 2, { numClusters: 4 })).toThrow(/numClusters/);
  });
});
