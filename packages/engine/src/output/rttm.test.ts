import { parseRttm } from '@diarization/evaluation';
import { toRttm } from './rttm';

describe('toRttm', () => {
  it('writes pyannote-style lines with 3 decimals for onset and duration', () => {
    const text = toRttm(
      [
        { speaker: 'SPEAKER_00', start: 6.7301, end: 6.7469 },
        { speaker: 'SPEAKER_01', start: 10, end: 14.5 },
      ],
      'sample',
    );
    expect(text).toBe(
      'SPEAKER sample 1 6.730 0.017 <NA> <NA> SPEAKER_00 <NA> <NA>\n' +
        'SPEAKER sample 1 10.000 4.500 <NA> <NA> SPEAKER_01 <NA> <NA>\n',
    );
  });

  it('rounds exact ties half to even, as Python formats them', () => {
    // 0.0625 and 1.0625 are exact binary values: toFixed(3) would write 0.063 and 1.063.
    expect(toRttm([{ speaker: 'A', start: 0.0625, end: 1.125 }], 'f')).toBe('SPEAKER f 1 0.062 1.062 <NA> <NA> A <NA> <NA>\n');
  });

  it('is read back by parseRttm (to the millisecond), under the file id with whitespace replaced', () => {
    const segments = [
      { speaker: 'SPEAKER_00', start: 0.25, end: 1.5 },
      { speaker: 'SPEAKER_01', start: 1.5, end: 3.125 },
    ];
    const byFile = parseRttm(toRttm(segments, 'team meeting'));
    expect([...byFile.keys()]).toEqual(['team_meeting']);
    expect(byFile.get('team_meeting')).toEqual(segments);
  });

  it('writes nothing for no segments', () => {
    expect(toRttm([], 'x')).toBe('');
  });

  it('replaces whitespace in the file id, and names an unnamed file "audio"', () => {
    const segments = [{ speaker: 'A', start: 0, end: 1 }];
    expect(toRttm(segments, 'my  meeting\t2')).toBe('SPEAKER my_meeting_2 1 0.000 1.000 <NA> <NA> A <NA> <NA>\n');
    expect(toRttm(segments, '')).toBe('SPEAKER audio 1 0.000 1.000 <NA> <NA> A <NA> <NA>\n');
  });

  it('refuses speaker labels that would break the columns', () => {
    expect(() => toRttm([{ speaker: 'Jane Doe', start: 0, end: 1 }], 'f')).toThrow(/speaker label/);
    expect(() => toRttm([{ speaker: 'tab\there', start: 0, end: 1 }], 'f')).toThrow(/speaker label/);
    expect(() => toRttm([{ speaker: '', start: 0, end: 1 }], 'f')).toThrow(/speaker label/);
  });
});
