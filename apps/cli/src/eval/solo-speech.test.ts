import { mergeRanges, shiftedReference, soloSpeech, subtractRanges } from './solo-speech';

describe('solo speech for enrollment', () => {
  const reference = [
    { speaker: 'a', start: 0, end: 5 },
    { speaker: 'b', start: 4, end: 8 },
    { speaker: 'a', start: 7, end: 12 },
  ];

  it('merges and subtracts ranges', () => {
    expect(mergeRanges([{ start: 3, end: 5 }, { start: 0, end: 4 }, { start: 6, end: 7 }])).toEqual([{ start: 0, end: 5 }, { start: 6, end: 7 }]);
    expect(subtractRanges([{ start: 0, end: 10 }], [{ start: 2, end: 3 }, { start: 5, end: 6 }])).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
      { start: 6, end: 10 },
    ]);
  });

  it("keeps where the speaker talks alone, inside the window, up to the limit", () => {
    expect(soloSpeech(reference, 'a', { start: 0, end: 15 }, 30)).toEqual([{ start: 0, end: 4 }, { start: 8, end: 12 }]);
    expect(soloSpeech(reference, 'a', { start: 1, end: 10 }, 30)).toEqual([{ start: 1, end: 4 }, { start: 8, end: 10 }]);
    expect(soloSpeech(reference, 'a', { start: 0, end: 15 }, 5)).toEqual([{ start: 0, end: 4 }, { start: 8, end: 9 }]);
    expect(soloSpeech(reference, 'b', { start: 0, end: 15 }, 30)).toEqual([{ start: 5, end: 7 }]);
  });

  it('shifts the reference of a window to start at 0', () => {
    expect(shiftedReference(reference, { start: 6, end: 10 })).toEqual([
      { speaker: 'b', start: 0, end: 2 },
      { speaker: 'a', start: 1, end: 4 },
    ]);
  });
});
