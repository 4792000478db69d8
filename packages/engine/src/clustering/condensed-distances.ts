/**
 * Condensed (upper-triangle) pairwise distance storage, scipy's pdist layout: the distance
 * between i < j lives at n*i - i*(i+1)/2 + (j - i - 1). N observations take N(N-1)/2 doubles
 * (5000 -> 12.5 M values, 100 MB); no N x N matrix is ever built.
 */

export function condensedSize(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Index of the pair (i, j), i !== j, in a condensed matrix over n observations. */
export function condensedIndex(n: number, i: number, j: number): number {
  if (i > j) return n * j - (j * (j + 1)) / 2 + (i - j - 1);
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/** scipy.spatial.distance.pdist(rows, 'euclidean'). O(N^2 D) time, O(N^2 / 2) memory. */
export function euclideanCondensedDistances(rows: ArrayLike<number>, n: number, dimension: number): Float64Array {
  if (rows.length !== n * dimension) throw new Error('euclideanCondensedDistances: rows do not match n x dimension');
  const out = new Float64Array(condensedSize(n));
  let index = 0;
  for (let i = 0; i < n; i++) {
    const a = i * dimension;
    for (let j = i + 1; j < n; j++) {
      const b = j * dimension;
      let squared = 0;
      for (let d = 0; d < dimension; d++) {
        const delta = rows[a + d] - rows[b + d];
        squared += delta * delta;
      }
      out[index++] = Math.sqrt(squared);
    }
  }
  return out;
}
