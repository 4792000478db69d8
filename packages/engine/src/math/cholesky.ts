/**
 * Cholesky factor L (lower triangular, row-major) with A = L L^T for a symmetric
 * positive-definite A. Only the lower triangle of A is read. O(n^3 / 3).
 */
export function cholesky(matrix: ArrayLike<number>, n: number): Float64Array {
  if (matrix.length !== n * n) throw new Error('cholesky: matrix is not n x n');
  const lower = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diagonal = matrix[j * n + j];
    for (let k = 0; k < j; k++) diagonal -= lower[j * n + k] * lower[j * n + k];
    if (!(diagonal > 0)) throw new Error('cholesky: matrix is not positive definite');
    const pivot = Math.sqrt(diagonal);
    lower[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
      lower[i * n + j] = sum / pivot;
    }
  }
  return lower;
}

/** Solves L X = B for X, L lower triangular (n x n), B n x m, all row-major. */
export function solveLowerTriangular(lower: ArrayLike<number>, rhs: ArrayLike<number>, n: number, m: number): Float64Array {
  const out = Float64Array.from(rhs);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const lik = lower[i * n + k];
      if (lik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] -= lik * out[k * m + j];
    }
    const pivot = lower[i * n + i];
    for (let j = 0; j < m; j++) out[i * m + j] /= pivot;
  }
  return out;
}

/** Solves L^T X = B for X, L lower triangular (n x n), B n x m, all row-major. */
export function solveUpperFromLowerTransposed(lower: ArrayLike<number>, rhs: ArrayLike<number>, n: number, m: number): Float64Array {
  const out = Float64Array.from(rhs);
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      // (L^T)[i][k] = L[k][i]
      const lki = lower[k * n + i];
      if (lki === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] -= lki * out[k * m + j];
    }
    const pivot = lower[i * n + i];
    for (let j = 0; j < m; j++) out[i * m + j] /= pivot;
  }
  return out;
}
