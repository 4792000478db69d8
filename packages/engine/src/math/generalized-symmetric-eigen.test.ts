import { generalizedSymmetricEigen } from './generalized-symmetric-eigen';
import { identity, multiply, transpose } from './dense-matrix';
import { maxAbsDifference, randomSpd, randomSymmetric } from '../../test-support/test-matrices';

describe('generalizedSymmetricEigen', () => {
  it('solves a 2x2 pencil by hand', () => {
    // det([[2,1],[1,2]] - l diag(1,4)) = 4 l^2 - 10 l + 3 = 0  ->  l = (10 -+ sqrt(52)) / 8
    const { values } = generalizedSymmetricEigen([2, 1, 1, 2], [1, 0, 0, 4], 2);
    expect(values[0]).toBeCloseTo((10 - Math.sqrt(52)) / 8, 14);
    expect(values[1]).toBeCloseTo((10 + Math.sqrt(52)) / 8, 14);
  });

  it('gives A V = B V diag(values) and V^T B V = I (scipy.linalg.eigh(A, B) convention)', () => {
    const n = 60;
    const a = randomSymmetric(n, 21);
    const b = randomSpd(n, 22);
    const { values, vectors } = generalizedSymmetricEigen(a, b, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    const left = multiply(a, vectors, n, n, n);
    const right = multiply(b, vectors, n, n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) right[i * n + j] *= values[j];
    expect(maxAbsDifference(left, right)).toBeLessThan(1e-11);
    const gram = multiply(transpose(vectors, n, n), multiply(b, vectors, n, n, n), n, n, n);
    expect(maxAbsDifference(gram, identity(n))).toBeLessThan(1e-12);
  });
});
