import { attributeTranscript } from './attribute';
import { toSrt, toVtt } from './format';
import { parseSrt } from './srt';
import { parseVtt } from './vtt';

const turns = [
  { speaker: 'SPEAKER_00', start: 0, end: 2 },
  { speaker: 'SPEAKER_01', start: 2, end: 4 },
];
const transcript = {
  segments: [
    { start: 0.2, end: 1.5, text: 'Hello, Bob.', words: [{ start: 0.2, end: 0.6, text: 'Hello,' }, { start: 0.7, end: 1.5, text: 'Bob.' }] },
    { start: 1.6, end: 3.5, text: 'Yes? Hi <you> & co', words: [{ start: 1.6, end: 1.9, text: 'Yes?' }, { start: 2.1, end: 2.5, text: 'Hi' }, { start: 2.6, end: 3.5, text: '<you> & co' }] },
    { start: 3700, end: 3701.25, text: 'Nobody here' },
  ],
};

describe('formats', () => {
  const attributed = attributeTranscript(transcript, turns, { speakerNames: { SPEAKER_01: 'Bob' } });

  it('writes SRT with the speaker (or its voiceprint name) before each cue, split where the speaker changes', () => {
    expect(toSrt(attributed)).toBe(
      [
        '1\n00:00:00,200 --> 00:00:01,500\nSPEAKER_00: Hello, Bob.\n',
        '2\n00:00:01,600 --> 00:00:01,900\nSPEAKER_00: Yes?\n',
        '3\n00:00:02,100 --> 00:00:03,500\nBob: Hi <you> & co\n',
        '4\n01:01:40,000 --> 01:01:41,250\nNobody here\n',
      ].join('\n'),
    );
  });

  it('writes WebVTT with voice spans and escaped text', () => {
    expect(toVtt(attributed)).toBe(
      [
        'WEBVTT\n',
        '00:00:00.200 --> 00:00:01.500\n<v SPEAKER_00>Hello, Bob.\n',
        '00:00:01.600 --> 00:00:01.900\n<v SPEAKER_00>Yes?\n',
        '00:00:02.100 --> 00:00:03.500\n<v Bob>Hi &lt;you&gt; &amp; co\n',
        '01:01:40.000 --> 01:01:41.250\nNobody here\n',
      ].join('\n'),
    );
  });

  it('writes files that the parsers read back', () => {
    expect(parseSrt(toSrt(attributed)).segments.map((segment) => segment.text)).toEqual([
      'SPEAKER_00: Hello, Bob.',
      'SPEAKER_00: Yes?',
      'Bob: Hi  & co', // the SRT parser drops markup-like text
      'Nobody here',
    ].map((text) => text.replace(/\s+/g, ' ')));
    expect(parseVtt(toVtt(attributed)).segments.map((segment) => segment.text)).toEqual(['Hello, Bob.', 'Yes?', 'Hi <you> & co', 'Nobody here']);
  });
});
