import { identity, multiply, symmetrize, transpose } from './dense-matrix';

describe('dense-matrix', () => {
  it('multiplies a 2x3 by a 3x2 matrix', () => {
    // [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
    expect(Array.from(multiply([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], 2, 3, 2))).toEqual([58, 64, 139, 154]);
    expect(() => multiply([1, 2], [1, 2, 3], 1, 2, 2)).toThrow(/shapes/);
  });

  it('transposes, symmetrizes and builds identities', () => {
    expect(Array.from(transpose([1, 2, 3, 4, 5, 6], 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(symmetrize([1, 2, 4, 3], 2))).toEqual([1, 3, 3, 3]);
    expect(Array.from(identity(2))).toEqual([1, 0, 0, 1]);
  });
});
