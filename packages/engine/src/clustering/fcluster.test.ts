import { centroidLinkage } from './centroid-linkage';
import { fclusterByDistance, maxMergeDistances } from './fcluster';
import { SCIPY_DOC_POINTS } from '../../test-support/test-points';
import { uniqueLabels } from './unique-labels';

describe('fclusterByDistance', () => {
  it('numbers clusters in scipy order (docstring of scipy.cluster.hierarchy.centroid)', () => {
    const dendrogram = centroidLinkage(SCIPY_DOC_POINTS, 12, 2);
    expect(Array.from(fclusterByDistance(dendrogram, 0.9))).toEqual([7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(fclusterByDistance(dendrogram, 1.1))).toEqual([5, 5, 6, 7, 7, 8, 1, 1, 2, 3, 3, 4]);
    expect(Array.from(fclusterByDistance(dendrogram, 2))).toEqual([3, 3, 3, 4, 4, 4, 1, 1, 1, 2, 2, 2]);
    expect(Array.from(fclusterByDistance(dendrogram, 4))).toEqual(new Array(12).fill(1));
  });

  it('cuts inverted trees on the largest distance inside each subtree', () => {
    // Merges: {A,B} at 2, then {C,{A,B}} at 1.9 (inversion). max_dists = [2, 2].
    const dendrogram = centroidLinkage([0, 0, 2, 0, 1, 1.9], 3, 2);
    expect(Array.from(maxMergeDistances(dendrogram))).toEqual([2, 2]);
    // At 1.95 the root's own distance (1.9) is below the cutoff, but its subtree holds 2: no merge at all.
    // Leaves are numbered after the root's right subtree (the A-B merge): A=1, B=2, then C=3.
    expect(Array.from(fclusterByDistance(dendrogram, 1.95))).toEqual([1, 2, 3]);
    expect(Array.from(fclusterByDistance(dendrogram, 2))).toEqual([1, 1, 1]);
  });

  it('handles one observation', () => {
    expect(Array.from(fclusterByDistance(centroidLinkage([1, 2], 1, 2), 0.5))).toEqual([1]);
  });
});

describe('uniqueLabels', () => {
  it('behaves like np.unique(return_inverse, return_counts)', () => {
    const { values, inverse, counts } = uniqueLabels([5, 2, 5, 9, 2, 2]);
    expect(Array.from(values)).toEqual([2, 5, 9]);
    expect(Array.from(inverse)).toEqual([1, 0, 1, 2, 0, 0]);
    expect(Array.from(counts)).toEqual([3, 2, 1]);
  });
});
