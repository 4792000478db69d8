import { pythonRound } from './python-round';

describe('pythonRound', () => {
  it('rounds halves to even like Python 3', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5].map(pythonRound)).toEqual([0, 2, 2, 4, 0, -2]);
    expect([0.49, 0.51, 2.4999, 2.5001, 7].map(pythonRound)).toEqual([0, 1, 2, 3, 7]);
  });
});
