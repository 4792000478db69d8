import { centroidDistanceUpdate, centroidLinkage, centroidLinkageFromDistances } from './centroid-linkage';
import { condensedIndex, condensedSize, euclideanCondensedDistances } from './condensed-distances';
import { Dendrogram } from './dendrogram';
import { SCIPY_DOC_POINTS } from '../../test-support/test-points';

function rows(dendrogram: Dendrogram): number[][] {
  return Array.from(dendrogram.left, (left, k) => [left, dendrogram.right[k], dendrogram.distance[k], dendrogram.size[k]]);
}

describe('condensed distances', () => {
  it('lays pairs out like scipy pdist', () => {
    expect(condensedSize(4)).toBe(6);
    // pairs in order (0,1) (0,2) (0,3) (1,2) (1,3) (2,3)
    expect([condensedIndex(4, 0, 1), condensedIndex(4, 0, 3), condensedIndex(4, 1, 2), condensedIndex(4, 3, 2)]).toEqual([0, 2, 3, 5]);
    const d = euclideanCondensedDistances([0, 0, 3, 4, 6, 8], 3, 2);
    expect(Array.from(d)).toEqual([5, 10, 5]);
  });
});

describe('centroidLinkage', () => {
  it('merges four points on a line in the hand-computed order', () => {
    // x = 0, 1, 5, 7 (1-D). d(0,1)=1 is the smallest -> merge {0,1} (id 4) at 1, centroid 0.5.
    // Then d(5,7)=2 vs d({0,1},5)=4.5 -> merge {2,3} (id 5) at 2, centroid 6.
    // Last: centroids 0.5 and 6 -> 5.5.
    const dendrogram = centroidLinkage([0, 1, 5, 7], 4, 1);
    expect(rows(dendrogram)).toEqual([
      [0, 1, 1, 2],
      [2, 3, 2, 2],
      [4, 5, 5.5, 4],
    ]);
  });

  it('records an inversion without re-sorting (scipy fast_linkage)', () => {
    // A=(0,0), B=(2,0), C=(1,1.9): A-B merge first at 2, their centroid (1,0) is then 1.9 from C.
    const dendrogram = centroidLinkage([0, 0, 2, 0, 1, 1.9], 3, 2);
    expect(rows(dendrogram).map((r) => [r[0], r[1], r[3]])).toEqual([
      [0, 1, 2],
      [2, 3, 3],
    ]);
    expect(dendrogram.distance[0]).toBe(2);
    expect(dendrogram.distance[1]).toBeCloseTo(1.9, 12);
  });

  it('uses the Lance-Williams centroid update', () => {
    // Centroid of {A(0,0), B(2,0)} is (1,0); C=(1,3) is 3 away: sqrt((1*10 + 1*10 - 1*1*4/2) / 2) = 3.
    expect(centroidDistanceUpdate(Math.sqrt(10), Math.sqrt(10), 2, 1, 1)).toBeCloseTo(3, 14);
    // Sizes weight the update: {2 points at 0} + {1 point at 3} -> centroid 1, distance to 5 is 4.
    expect(centroidDistanceUpdate(5, 2, 3, 2, 1)).toBeCloseTo(4, 14);
  });

  it('reproduces scipy docstring example for centroid(pdist(X)), ties included', () => {
    const dendrogram = centroidLinkage(SCIPY_DOC_POINTS, 12, 2);
    const expected = [
      [0, 1, 1, 2],
      [3, 4, 1, 2],
      [9, 10, 1, 2],
      [6, 7, 1, 2],
      [2, 12, 1.11803399, 3],
      [5, 13, 1.11803399, 3],
      [8, 15, 1.11803399, 3],
      [11, 14, 1.11803399, 3],
      [18, 19, 3.33333333, 6],
      [16, 17, 3.33333333, 6],
      [20, 21, 3.33333333, 12],
    ];
    const actual = rows(dendrogram);
    expect(actual.map((r) => [r[0], r[1], r[3]])).toEqual(expected.map((r) => [r[0], r[1], r[3]]));
    actual.forEach((r, k) => expect(r[2]).toBeCloseTo(expected[k][2], 7));
  });

  it('rejects non-finite distances and handles tiny inputs', () => {
    expect(() => centroidLinkageFromDistances(new Float64Array([NaN]), 2)).toThrow(/finite/);
    expect(rows(centroidLinkageFromDistances(new Float64Array([0.25]), 2))).toEqual([[0, 1, 0.25, 2]]);
    expect(rows(centroidLinkageFromDistances(new Float64Array(0), 1))).toEqual([]);
  });
});
