import { cholesky, solveLowerTriangular, solveUpperFromLowerTransposed } from './cholesky';
import { symmetrize, transpose } from './dense-matrix';
import { SymmetricEigenDecomposition, symmetricEigen } from './symmetric-eigen';

/**
 * Solves A v = lambda B v for symmetric A and symmetric positive-definite B, like
 * scipy.linalg.eigh(A, B): eigenvalues ascending, eigenvectors (columns of `vectors`)
 * B-orthonormal, V^T B V = I. Signs of the eigenvectors are arbitrary.
 *
 * Reduction to a standard problem through B = L L^T: C = L^-1 A L^-T, C y = lambda y, v = L^-T y.
 */
export function generalizedSymmetricEigen(a: ArrayLike<number>, b: ArrayLike<number>, n: number): SymmetricEigenDecomposition {
  const lower = cholesky(b, n);
  const leftSolved = solveLowerTriangular(lower, a, n, n); // L^-1 A
  const reduced = symmetrize(solveLowerTriangular(lower, transpose(leftSolved, n, n), n, n), n); // L^-1 A L^-T
  const standard = symmetricEigen(reduced, n);
  return { values: standard.values, vectors: solveUpperFromLowerTransposed(lower, standard.vectors, n, n) };
}
