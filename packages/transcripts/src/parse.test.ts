import { detectTranscriptFormat, parseTranscript } from './parse';
import { TranscriptError } from './types';

const parseError = (text: string, format?: 'whisper_json' | 'srt' | 'vtt'): string => {
  try {
    parseTranscript(text, format ? { format } : {});
  } catch (error) {
    expect(error).toBeInstanceOf(TranscriptError);
    return (error as Error).message;
  }
  throw new Error('expected the transcript to be refused');
};

describe('Whisper verbose_json', () => {
  it('reads segments with their per-segment words (whisper, whisperX)', () => {
    const json = {
      text: ' Hello there. Bye.',
      language: 'en',
      segments: [
        { id: 0, start: 0.5, end: 1.5, text: ' Hello there.', words: [{ word: ' Hello', start: 0.5, end: 0.9, probability: 0.9 }, { word: ' there.', start: 1.0, end: 1.5 }] },
        { id: 1, start: 2, end: 2.4, text: ' Bye.', words: [{ word: ' Bye.', start: 2, end: 2.4 }] },
      ],
    };
    expect(parseTranscript(JSON.stringify(json)).segments).toEqual([
      { start: 0.5, end: 1.5, text: 'Hello there.', words: [{ start: 0.5, end: 0.9, text: 'Hello' }, { start: 1.0, end: 1.5, text: 'there.' }] },
      { start: 2, end: 2.4, text: 'Bye.', words: [{ start: 2, end: 2.4, text: 'Bye.' }] },
    ]);
  });

  it("puts the OpenAI API's top-level words into the segments that hold them", () => {
    const json = {
      segments: [
        { start: 0, end: 2, text: 'one two' },
        { start: 3, end: 4, text: 'three' },
      ],
      words: [
        { word: 'one', start: 0.1, end: 0.5 },
        { word: 'two', start: 1.0, end: 1.9 },
        { word: 'three', start: 2.8, end: 3.5 },
      ],
    };
    const { segments } = parseTranscript(JSON.stringify(json));
    expect(segments.map((segment) => segment.words?.map((word) => word.text))).toEqual([['one', 'two'], ['three']]);
  });

  it('cuts a words-only transcript into segments at sentence ends and long pauses', () => {
    const json = {
      words: [
        { word: 'Hi.', start: 0, end: 0.3 },
        { word: 'How', start: 0.5, end: 0.7 },
        { word: 'are', start: 0.8, end: 0.9 },
        { word: 'you', start: 2.5, end: 2.8 },
      ],
    };
    expect(parseTranscript(JSON.stringify(json)).segments.map((segment) => [segment.text, segment.start, segment.end])).toEqual([
      ['Hi.', 0, 0.3],
      ['How are', 0.5, 0.9],
      ['you', 2.5, 2.8],
    ]);
  });

  it('refuses malformed JSON, missing segments and bad times with where the problem is', () => {
    expect(parseError('{"segments": [', 'whisper_json')).toMatch(/not valid JSON/);
    expect(parseError('{"text": "hello"}')).toMatch(/neither "segments" nor "words"/);
    expect(parseError(JSON.stringify({ segments: [{ start: 0, end: 1, text: 'a' }, { start: 'x', end: 2, text: 'b' }] }))).toMatch(
      /segments\.1\.start: must be a number/,
    );
    expect(parseError(JSON.stringify({ segments: [{ start: 3, end: 1, text: 'a' }] }))).toMatch(/segments\.0\.end: end is before start/);
    expect(parseError(JSON.stringify({ segments: [{ start: -1, end: 1, text: 'a' }] }))).toMatch(/segments\.0\.start: must not be negative/);
  });
});

describe('SRT', () => {
  it('reads numbered cues, CRLF, a BOM, markup and multi-line text', () => {
    const srt = '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> &amp; welcome\r\nto the show\r\n\r\n2\r\n01:00:03,250 --> 01:00:04,000\r\n{\\an8}Bye\r\n';
    expect(parseTranscript(srt).segments).toEqual([
      { start: 1, end: 2.5, text: 'Hello & welcome to the show' },
      { start: 3603.25, end: 3604, text: 'Bye' },
    ]);
  });

  it('refuses a cue without a time line, a backwards cue and an empty file, naming the line', () => {
    expect(parseError('1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03 --> 00:00:04\nbad\n', 'srt')).toBe(
      'SRT line 6: expected a time line like "00:00:01,000 --> 00:00:02,500", found "00:00:03 --> 00:00:04"',
    );
    expect(parseError('1\n00:00:05,000 --> 00:00:02,000\nbackwards\n', 'srt')).toBe('SRT line 2: the cue ends before it starts');
    expect(parseError('\n\n', 'srt')).toBe('the SRT transcript has no cues');
  });
});

describe('WebVTT', () => {
  it('reads cues with and without identifiers, short timestamps, settings and voice spans; skips NOTE and STYLE', () => {
    const vtt = [
      'WEBVTT - a title',
      '',
      'NOTE a comment',
      'over two lines',
      '',
      'STYLE',
      '::cue { color: red }',
      '',
      'intro',
      '00:01.000 --> 00:02.000 align:start',
      '<v Roger>Hi &lt;there&gt;',
      '',
      '01:00:00.500 --> 01:00:01.000',
      'Bye',
    ].join('\n');
    expect(parseTranscript(vtt).segments).toEqual([
      { start: 1, end: 2, text: 'Hi <there>' },
      { start: 3600.5, end: 3601, text: 'Bye' },
    ]);
  });

  it('refuses a missing header and a bad time line, naming the line', () => {
    expect(parseError('00:01.000 --> 00:02.000\nHi\n', 'vtt')).toMatch(/first line must be "WEBVTT"/);
    expect(parseError('WEBVTT\n\n00:01,000 --> 00:02,000\nHi\n', 'vtt')).toBe(
      'WebVTT line 3: expected a time line like "00:00:01.000 --> 00:00:02.500", found "00:01,000 --> 00:02,000"',
    );
  });
});

describe('format detection', () => {
  it('goes by the file name, then by the content', () => {
    expect(detectTranscriptFormat('anything', 'talk.SRT')).toBe('srt');
    expect(detectTranscriptFormat('anything', 'talk.vtt')).toBe('vtt');
    expect(detectTranscriptFormat('anything', 'whisper.json')).toBe('whisper_json');
    expect(detectTranscriptFormat('WEBVTT\n\n')).toBe('vtt');
    expect(detectTranscriptFormat(' {"segments": []}')).toBe('whisper_json');
    expect(detectTranscriptFormat('1\n00:00:01,000 --> 00:00:02,000\nx')).toBe('srt');
    expect(detectTranscriptFormat('just some text')).toBeNull();
    expect(parseError('just some text')).toMatch(/cannot tell the transcript's format/);
  });
});
