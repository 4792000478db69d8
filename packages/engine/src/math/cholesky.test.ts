import { cholesky, solveLowerTriangular, solveUpperFromLowerTransposed } from './cholesky';
import { multiply, transpose } from './dense-matrix';
import { maxAbsDifference, randomSpd, seededUniform } from '../../test-support/test-matrices';

describe('cholesky', () => {
  it('matches numpy.linalg.cholesky on a 3x3', () => {
    const lower = cholesky([4, 2, -2, 2, 10, 4, -2, 4, 9], 3);
    // numpy: [[2, 0, 0], [1, 3, 0], [-1, 5/3, 2.2852182001336816]]
    expect(maxAbsDifference(lower, [2, 0, 0, 1, 3, 0, -1, 5 / 3, 2.2852182001336816])).toBeLessThan(1e-15);
  });

  it('reconstructs A = L L^T and solves both triangular systems', () => {
    const n = 30;
    const a = randomSpd(n, 11);
    const lower = cholesky(a, n);
    expect(maxAbsDifference(multiply(lower, transpose(lower, n, n), n, n, n), a)).toBeLessThan(1e-13);
    const next = seededUniform(5);
    const rhs = Float64Array.from({ length: n * 2 }, () => next());
    expect(maxAbsDifference(multiply(lower, solveLowerTriangular(lower, rhs, n, 2), n, n, 2), rhs)).toBeLessThan(1e-13);
    const upperSolved = solveUpperFromLowerTransposed(lower, rhs, n, 2);
    expect(maxAbsDifference(multiply(transpose(lower, n, n), upperSolved, n, n, 2), rhs)).toBeLessThan(1e-13);
  });

  it('rejects matrices that are not positive definite', () => {
    expect(() => cholesky([1, 2, 2, 1], 2)).toThrow(/positive definite/);
  });
});
