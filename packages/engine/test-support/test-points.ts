/** Point sets for the linkage tests (test-only: outside src/, so not in dist). */

/** scipy's docstring data set for `centroid`: four L-shaped triplets in the corners of a 4x4 square (12 points, 2-D, row-major). */
export const SCIPY_DOC_POINTS: readonly number[] = [
  [0, 0], [0, 1], [1, 0],
  [0, 4], [0, 3], [1, 4],
  [4, 0], [3, 0], [4, 1],
  [4, 4], [3, 4], [4, 3],
].flat();
