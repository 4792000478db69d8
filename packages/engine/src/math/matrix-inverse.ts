/**
 * Inverse of a square matrix by Gauss-Jordan elimination with partial pivoting
 * (what numpy.linalg.inv computes through LAPACK's LU, up to rounding). O(n^3).
 */
export function invert(matrix: ArrayLike<number>, n: number): Float64Array {
  if (matrix.length !== n * n) throw new Error('invert: matrix is not n x n');
  const width = 2 * n;
  // Augmented [A | I], eliminated in place until it reads [I | A^-1].
  const work = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) work[i * width + j] = matrix[i * n + j];
    work[i * width + n + i] = 1;
  }
  for (let column = 0; column < n; column++) {
    let pivotRow = column;
    let pivotMagnitude = Math.abs(work[column * width + column]);
    for (let r = column + 1; r < n; r++) {
      const magnitude = Math.abs(work[r * width + column]);
      if (magnitude > pivotMagnitude) {
        pivotMagnitude = magnitude;
        pivotRow = r;
      }
    }
    if (pivotMagnitude === 0 || !Number.isFinite(pivotMagnitude)) throw new Error('invert: matrix is singular');
    if (pivotRow !== column) {
      for (let j = 0; j < width; j++) {
        const t = work[column * width + j];
        work[column * width + j] = work[pivotRow * width + j];
        work[pivotRow * width + j] = t;
      }
    }
    const pivot = work[column * width + column];
    for (let j = 0; j < width; j++) work[column * width + j] /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === column) continue;
      const factor = work[r * width + column];
      if (factor === 0) continue;
      for (let j = 0; j < width; j++) work[r * width + j] -= factor * work[column * width + j];
    }
  }
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inverse[i * n + j] = work[i * width + n + j];
  return inverse;
}
