import { attributeTranscript, type SpeakerTurn } from './attribute';

const turns: SpeakerTurn[] = [
  { speaker: 'SPEAKER_00', start: 0, end: 2 },
  { speaker: 'SPEAKER_01', start: 2, end: 5 },
  { speaker: 'SPEAKER_00', start: 8, end: 9 },
];

describe('attributeTranscript', () => {
  it('gives a segment without words the speaker it overlaps most', () => {
    const { segments } = attributeTranscript({ segments: [{ start: 1, end: 4, text: 'mostly one' }, { start: 0.5, end: 2.4, text: 'mostly zero' }] }, turns);
    expect(segments.map((segment) => segment.speaker)).toEqual(['SPEAKER_01', 'SPEAKER_00']);
  });

  it('gives each word its own speaker, and the segment the speaker of most of its words', () => {
    const { segments } = attributeTranscript(
      {
        segments: [
          {
            start: 1,
            end: 4.5,
            text: 'a b c',
            words: [
              { start: 1, end: 1.8, text: 'a' },
              { start: 2.1, end: 3, text: 'b' },
              { start: 3.1, end: 4.5, text: 'c' },
            ],
          },
        ],
      },
      turns,
    );
    expect(segments[0].words!.map((word) => word.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01', 'SPEAKER_01']);
    expect(segments[0].speaker).toBe('SPEAKER_01');
  });

  it('in silence: the nearest turn within the tolerance, else the segment majority, else null', () => {
    const { segments } = attributeTranscript(
      {
        segments: [
          {
            start: 4.5,
            end: 7,
            text: 'near far',
            words: [
              { start: 4.6, end: 4.9, text: 'inside' },
              { start: 5.3, end: 5.5, text: 'near' }, // 0.3 s after SPEAKER_01's turn
              { start: 6.2, end: 6.5, text: 'far' }, // 1.2 s from both turns: the segment's majority
            ],
          },
          { start: 12, end: 13, text: 'alone' }, // 3 s from any turn
        ],
      },
      turns,
      { silenceToleranceSeconds: 0.5 },
    );
    expect(segments[0].words!.map((word) => word.speaker)).toEqual(['SPEAKER_01', 'SPEAKER_01', 'SPEAKER_01']);
    expect(segments[1].speaker).toBeNull();
  });

  it('prefers the closer of two turns around a word in silence', () => {
    const { segments } = attributeTranscript({ segments: [{ start: 7.7, end: 7.9, text: 'late' }] }, turns, { silenceToleranceSeconds: 5 });
    expect(segments[0].speaker).toBe('SPEAKER_00');
  });

  it('gives a word of no duration the turn that holds it', () => {
    const { segments } = attributeTranscript({ segments: [{ start: 2, end: 2, text: 'tick', words: [{ start: 2, end: 2, text: 'tick' }] }] }, turns);
    expect(segments[0].words![0].speaker).toBe('SPEAKER_01');
  });

  it('leaves everything unknown without any turn, and passes the speaker names on', () => {
    const result = attributeTranscript({ segments: [{ start: 0, end: 1, text: 'x' }] }, [], { speakerNames: { SPEAKER_00: 'Alice' } });
    expect(result.segments[0].speaker).toBeNull();
    expect(result.speaker_names).toEqual({ SPEAKER_00: 'Alice' });
  });
});
