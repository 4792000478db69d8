import { generalizedSymmetricEigen } from '../math/generalized-symmetric-eigen';
import { invert } from '../math/matrix-inverse';
import { multiply, symmetrize, transpose } from '../math/dense-matrix';

/** PLDA latent space: projection rows sorted by decreasing across-class variance. */
export interface PldaLatentBasis {
  /** Row-major n x n; row r maps a centred x-vector to latent dimension r. */
  transform: Float64Array;
  /** Across-class variance of each latent dimension, decreasing (pyannote's plda_psi / phi). */
  psi: Float64Array;
}

/**
 * The set-up half of pyannote `vbx_setup`: within-class W = (tr^T tr)^-1 and between-class
 * B = (tr^T diag(1/psi) tr)^-1, then the generalised symmetric problem B v = lambda W v
 * (scipy `eigh(B, W)`, eigenvectors W-orthonormal), eigen-pairs reversed to decreasing order.
 * `tr` is row-major n x n. Eigenvector signs are arbitrary, as with LAPACK; VBx does not care.
 */
export function pldaLatentBasis(tr: Float64Array, psi: Float64Array, n: number): PldaLatentBasis {
  if (tr.length !== n * n || psi.length !== n) throw new Error('pldaLatentBasis: tr must be n x n and psi of length n');
  const trT = transpose(tr, n, n);
  const within = symmetrize(invert(multiply(trT, tr, n, n, n), n), n);
  const trTOverPsi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) trTOverPsi[i * n + j] = trT[i * n + j] / psi[j];
  const between = symmetrize(invert(multiply(trTOverPsi, tr, n, n, n), n), n);

  const { values, vectors } = generalizedSymmetricEigen(between, within, n);
  const transform = new Float64Array(n * n);
  const sortedPsi = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const column = n - 1 - r; // reversed: largest eigenvalue first
    sortedPsi[r] = values[column];
    for (let k = 0; k < n; k++) transform[r * n + k] = vectors[k * n + column];
  }
  return { transform, psi: sortedPsi };
}
