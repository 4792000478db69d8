import { toRttm } from '@diarization/engine/io';
import { parseRttm } from './rttm';

describe('parseRttm', () => {
  it('reads SPEAKER records grouped by file id, skipping comments, blank lines and other record types', () => {
    const text = [
      ';; a comment',
      '',
      'SPKR-INFO meeting 1 <NA> <NA> <NA> unknown alice <NA> <NA>',
      'SPEAKER meeting 1 0.500 1.250 <NA> <NA> alice <NA> <NA>',
      '   ',
      'SPEAKER other 1 3 2 <NA> <NA> bob <NA> <NA>',
      'SPEAKER meeting 1 2.000 0.5 <NA> <NA> bob <NA>', // 9 columns, as some tools write
    ].join('\n');

    const byFile = parseRttm(text);

    expect([...byFile.keys()]).toEqual(['meeting', 'other']);
    expect(byFile.get('meeting')).toEqual([
      { speaker: 'alice', start: 0.5, end: 1.75 },
      { speaker: 'bob', start: 2, end: 2.5 },
    ]);
    expect(byFile.get('other')).toEqual([{ speaker: 'bob', start: 3, end: 5 }]);
  });

  it('accepts Windows line endings and tabs', () => {
    const byFile = parseRttm('SPEAKER f\t1\t1.0\t2.0\t<NA>\t<NA>\tx\t<NA>\t<NA>\r\n');
    expect(byFile.get('f')).toEqual([{ speaker: 'x', start: 1, end: 3 }]);
  });

  it('names the line of a SPEAKER record with too few fields', () => {
    const text = 'SPEAKER f 1 0 1 <NA> <NA> a <NA> <NA>\n\nSPEAKER f 1 0 1\n';
    expect(() => parseRttm(text)).toThrow(/RTTM line 3: .*at least 8 fields, found 5/);
  });

  it('names the line and field of a non-numeric onset or duration', () => {
    expect(() => parseRttm('SPEAKER f 1 zero 1 <NA> <NA> a <NA> <NA>')).toThrow(/RTTM line 1: onset "zero"/);
    expect(() => parseRttm(';;\nSPEAKER f 1 0 <NA> <NA> <NA> a <NA> <NA>')).toThrow(/RTTM line 2: duration "<NA>"/);
  });

  it('rejects a negative duration', () => {
    expect(() => parseRttm('SPEAKER f 1 4 -1 <NA> <NA> a <NA> <NA>')).toThrow(/RTTM line 1: duration -1 is negative/);
  });

  it('returns an empty map for text without SPEAKER records', () => {
    expect(parseRttm(';; nothing here\n\n').size).toBe(0);
  });
});

describe("parseRttm with the engine's toRttm", () => {
  it('round-trips (to the millisecond)', () => {
    const segments = [
      { speaker: 'a', start: 0.25, end: 1.5 },
      { speaker: 'b', start: 1.5, end: 3.125 },
    ];
    expect(parseRttm(toRttm(segments, 'x')).get('x')).toEqual(segments);
  });
});
