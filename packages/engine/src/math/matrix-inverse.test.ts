import { invert } from './matrix-inverse';
import { multiply, identity } from './dense-matrix';
import { maxAbsDifference, randomSpd, randomSymmetric } from '../../test-support/test-matrices';

describe('invert', () => {
  it('matches numpy.linalg.inv on a tridiagonal 3x3', () => {
    const inverse = invert([2, 1, 0, 1, 3, 1, 0, 1, 4], 3);
    // numpy.linalg.inv([[2,1,0],[1,3,1],[0,1,4]]) = [[11, -4, 1], [-4, 8, -2], [1, -2, 5]] / 18
    const expected = [11, -4, 1, -4, 8, -2, 1, -2, 5].map((v) => v / 18);
    expect(maxAbsDifference(inverse, expected)).toBeLessThan(1e-15);
  });

  it('needs pivoting when the leading entry is zero', () => {
    expect(Array.from(invert([0, 1, 1, 0], 2))).toEqual([0, 1, 1, 0]);
  });

  it('gives A A^-1 = I on random 40x40 matrices', () => {
    for (const matrix of [randomSpd(40, 3), randomSymmetric(40, 4)]) {
      expect(maxAbsDifference(multiply(matrix, invert(matrix, 40), 40, 40, 40), identity(40))).toBeLessThan(1e-10);
    }
  });

  it('rejects singular matrices', () => {
    expect(() => invert([1, 2, 2, 4], 2)).toThrow(/singular/);
  });
});
