import { extentOfRanges, intersectRanges, unionOfRanges } from './time-ranges';

describe('unionOfRanges', () => {
  it('sorts, merges overlapping and touching ranges, and drops empty ones', () => {
    expect(
      unionOfRanges([
        { start: 5, end: 7 },
        { start: 0, end: 2 },
        { start: 1, end: 3 },
        { start: 3, end: 4 },
        { start: 9, end: 9 },
      ]),
    ).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 7 },
    ]);
  });
});

describe('intersectRanges', () => {
  it('keeps only time covered by both lists', () => {
    const a = [
      { start: 0, end: 4 },
      { start: 6, end: 10 },
    ];
    const b = [
      { start: 2, end: 7 },
      { start: 8, end: 9 },
      { start: 10, end: 12 },
    ];
    expect(intersectRanges(a, b)).toEqual([
      { start: 2, end: 4 },
      { start: 6, end: 7 },
      { start: 8, end: 9 },
    ]);
  });
});

describe('extentOfRanges', () => {
  it('covers every non-empty range', () => {
    expect(
      extentOfRanges([
        { start: 3, end: 4 },
        { start: 1, end: 2 },
        { start: 0, end: 0 },
      ]),
    ).toEqual({ start: 1, end: 4 });
    expect(extentOfRanges([])).toBeUndefined();
  });
});
