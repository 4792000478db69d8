import { readDocument, speakersOf } from './model';
import { overlapRegions, speakerStats } from './stats';
import { formatClock, tickStep } from './time-format';

describe('timeline figures', () => {
  const segments = [
    { speaker: 'B', start: 2, end: 6 },
    { speaker: 'A', start: 0, end: 3 },
    { speaker: 'A', start: 2.5, end: 4 },
    { speaker: 'A', start: 6, end: 8 },
    { speaker: 'C', start: 5, end: 7 },
  ];

  it('talk time counts a speaker\'s own overlapping turns once; turns are counted as given', () => {
    expect(speakerStats(segments, ['A', 'B', 'C'])).toEqual([
      { speaker: 'A', seconds: 6, turns: 3 },
      { speaker: 'B', seconds: 4, turns: 1 },
      { speaker: 'C', seconds: 2, turns: 1 },
    ]);
  });

  it('overlaps are where two or more turns run at once; touching turns do not overlap', () => {
    expect(overlapRegions(segments)).toEqual([
      { start: 2, end: 4 },
      { start: 5, end: 7 },
    ]);
    expect(overlapRegions([{ speaker: 'A', start: 0, end: 1 }, { speaker: 'B', start: 1, end: 2 }])).toEqual([]);
  });

  it('reads a result: segments sorted, duration at least the last end, bad input refused', () => {
    const document = readDocument({ duration: 5, segments });
    expect(document.duration).toBe(8);
    expect(document.segments.map((s) => s.start)).toEqual([0, 2, 2.5, 5, 6]);
    expect(speakersOf(document)).toEqual(['A', 'B', 'C']);
    expect(() => readDocument({ segments: [{ speaker: 'A', start: 2, end: 1 }] })).toThrow('segments');
    expect(() => readDocument('nope')).toThrow('not a JSON object');
  });

  it('formats clock times and picks axis steps', () => {
    expect(formatClock(75.25)).toBe('1:15.3');
    expect(formatClock(3725, 0)).toBe('1:02:05');
    expect(formatClock(5, 0)).toBe('0:05');
    expect(tickStep(10)).toBe(10);
    expect(tickStep(200)).toBe(0.5);
  });
});
