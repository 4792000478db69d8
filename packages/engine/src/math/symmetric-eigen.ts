import { identity, symmetrize } from './dense-matrix';

/** Eigen-decomposition of a symmetric matrix, eigenvalues ascending (numpy.linalg.eigh order). */
export interface SymmetricEigenDecomposition {
  values: Float64Array;
  /** Row-major n x n; column j is the unit eigenvector of values[j]. Its sign is arbitrary. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/**
 * Cyclic Jacobi rotations: slower than LAPACK's divide and conquer (O(n^3) per sweep, a handful of
 * sweeps) but simple and accurate to a few ulps for eigenvalues and eigenvectors, which is what a
 * one-off 128 x 128 PLDA set-up needs. Only the symmetric part of `matrix` is used.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigenDecomposition {
  if (matrix.length !== n * n) throw new Error('symmetricEigen: matrix is not n x n');
  const a = symmetrize(matrix, n);
  const v = identity(n);

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotations = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // Below the rounding level of both diagonal entries: the rotation would change nothing.
        if (Math.abs(apq) <= Number.EPSILON * 1e-3 * (Math.abs(app) + Math.abs(aqq))) {
          a[p * n + q] = 0;
          a[q * n + p] = 0;
          continue;
        }
        rotate(a, v, n, p, q);
        rotations++;
      }
    }
    if (rotations === 0) return sortAscending(a, v, n);
  }
  throw new Error('symmetricEigen: Jacobi iterations did not converge');
}

/** Applies the Jacobi rotation that zeroes a[p][q] (p < q), to a (both sides) and to v (right side). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q];
  const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
  // Smaller root of t^2 + 2 theta t - 1 = 0 keeps the rotation angle below pi/4 (stable).
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p];
    const akq = a[k * n + q];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k];
    const aqk = a[q * n + k];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  a[p * n + q] = 0;
  a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

function sortAscending(a: Float64Array, v: Float64Array, n: number): SymmetricEigenDecomposition {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j] || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((source, target) => {
    values[target] = a[source * n + source];
    for (let k = 0; k < n; k++) vectors[k * n + target] = v[k * n + source];
  });
  return { values, vectors };
}
