import { roundHalfEven } from './round-half-even';

describe('roundHalfEven', () => {
  it('rounds halves to even like Python 3 round()', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5].map(roundHalfEven)).toEqual([0, 2, 2, 4, 0, -2]);
    expect([0.49, 0.51, 2.4999, 2.5001, 7].map(roundHalfEven)).toEqual([0, 1, 2, 3, 7]);
  });

  it('rounds like numpy.rint', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4999, 2.5001].map((v) => roundHalfEven(v) + 0)).toEqual([0, 2, 2, 0, 2, 3]);
  });
});
