import { confidenceNote, displayName, identifiedNames, isUnsure, readDocument, withDefaultNames } from './model';

describe('names from identification, overridden by the user', () => {
  const document = readDocument({
    duration: 10,
    segments: [
      { speaker: 'SPEAKER_00', start: 0, end: 4 },
      { speaker: 'SPEAKER_01', start: 4, end: 9 },
    ],
    identification: [
      { speaker: 'SPEAKER_00', voiceprint: { id: 'vp-1', label: 'Alice', score: 0.91 } },
      { speaker: 'SPEAKER_01', voiceprint: null },
    ],
  });

  it("takes each identified speaker's voiceprint label, and nothing for unknown speakers", () => {
    expect(identifiedNames(document)).toEqual({ SPEAKER_00: 'Alice' });
    expect(identifiedNames(readDocument({ duration: 1, segments: [], identification: 'garbage' }))).toEqual({});
  });

  it("lets the user's names win, and a name the user cleared fall back to the identified one", () => {
    const names = withDefaultNames(identifiedNames(document), { SPEAKER_00: '  ', SPEAKER_01: 'Bob' });
    expect(displayName(names, 'SPEAKER_00')).toBe('Alice');
    expect(displayName(names, 'SPEAKER_01')).toBe('Bob');
    expect(displayName(withDefaultNames({}, {}), 'SPEAKER_01')).toBe('SPEAKER_01');
  });
});

describe('segment confidence', () => {
  it('marks turns below 0.5 as unsure and says the figure in the tooltip', () => {
    const [unsure, sure, none] = readDocument({
      duration: 9,
      segments: [
        { speaker: 'SPEAKER_00', start: 0, end: 1, confidence: 0.31 },
        { speaker: 'SPEAKER_00', start: 2, end: 3, confidence: 0.875 },
        { speaker: 'SPEAKER_00', start: 4, end: 5, confidence: 'high' },
      ],
    }).segments;
    expect([isUnsure(unsure), isUnsure(sure), isUnsure(none)]).toEqual([true, false, false]);
    expect(confidenceNote(unsure)).toBe(' · confidence 0.31 (unsure)');
    expect(confidenceNote(sure)).toBe(' · confidence 0.88');
    expect(none.confidence).toBeUndefined();
    expect(confidenceNote(none)).toBe('');
  });
});
