import { symmetricEigen } from './symmetric-eigen';
import { identity, multiply, transpose } from './dense-matrix';
import { maxAbsDifference, randomSymmetric } from '../../test-support/test-matrices';

function reconstruct(values: Float64Array, vectors: Float64Array, n: number): Float64Array {
  const scaled = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = vectors[i * n + j] * values[j];
  return multiply(scaled, transpose(vectors, n, n), n, n, n);
}

describe('symmetricEigen', () => {
  it('matches numpy.linalg.eigh eigenvalues on a fixed 4x4', () => {
    const a = [4, 1, -2, 2, 1, 2, 0, 1, -2, 0, 3, -2, 2, 1, -2, -1];
    const { values, vectors } = symmetricEigen(a, 4);
    // numpy.linalg.eigh(a)[0]
    const expected = [-2.1975169774394243, 1.0843644637732166, 2.2685314064312423, 6.844621107234965];
    expect(maxAbsDifference(values, expected)).toBeLessThan(1e-14);
    expect(maxAbsDifference(reconstruct(values, vectors, 4), a)).toBeLessThan(1e-14);
  });

  it('returns orthonormal eigenvectors, ascending values, on a random 128x128', () => {
    const n = 128;
    const a = randomSymmetric(n, 17);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    expect(maxAbsDifference(multiply(transpose(vectors, n, n), vectors, n, n, n), identity(n))).toBeLessThan(1e-13);
    expect(maxAbsDifference(reconstruct(values, vectors, n), a)).toBeLessThan(1e-12);
  });

  it('handles a diagonal matrix without rotating', () => {
    const { values, vectors } = symmetricEigen([3, 0, 0, 1], 2);
    expect(Array.from(values)).toEqual([1, 3]);
    expect(Array.from(vectors)).toEqual([0, 1, 1, 0]);
  });
});
