import { parseUem } from './uem';

describe('parseUem', () => {
  it('reads several regions per file, grouped by file id', () => {
    const text = ';; scored regions\nmeeting 1 0.000 30.000\nother 1 5 10\n\nmeeting 1 40.5 60\n';
    const byFile = parseUem(text);
    expect(byFile.get('meeting')).toEqual([
      { start: 0, end: 30 },
      { start: 40.5, end: 60 },
    ]);
    expect(byFile.get('other')).toEqual([{ start: 5, end: 10 }]);
  });

  it('reads the shared pyannote debug UEM format', () => {
    expect(parseUem('pyannote_debug_dev00 1 0.000 30.000\n').get('pyannote_debug_dev00')).toEqual([
      { start: 0, end: 30 },
    ]);
  });

  it('names the line of a malformed record', () => {
    expect(() => parseUem('f 1 0 10\nf 1 20\n')).toThrow(/UEM line 2: expected 4 fields, found 3/);
    expect(() => parseUem('f 1 0 ten')).toThrow(/UEM line 1: end "ten"/);
    expect(() => parseUem('f 1 10 5')).toThrow(/UEM line 1: end 5 is before start 10/);
  });
});
