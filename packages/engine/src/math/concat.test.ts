import { concatFloat32 } from './concat';

describe('concatFloat32', () => {
  it('joins the pieces in order, subarrays included', () => {
    const source = Float32Array.from([9, 8, 7, 6]);
    const joined = concatFloat32([Float32Array.from([1, 2]), new Float32Array(0), source.subarray(1, 3), Float32Array.from([0.5])]);
    expect(Array.from(joined)).toEqual([1, 2, 8, 7, 0.5]);
  });

  it('takes a length the caller has already counted', () => {
    expect(Array.from(concatFloat32([Float32Array.from([1]), Float32Array.from([2, 3])], 3))).toEqual([1, 2, 3]);
  });

  it('returns a new array that does not share the pieces\' memory', () => {
    const piece = Float32Array.from([1, 2]);
    const joined = concatFloat32([piece]);
    piece[0] = 5;
    expect(Array.from(joined)).toEqual([1, 2]);
    expect(concatFloat32([]).length).toBe(0);
  });
});
