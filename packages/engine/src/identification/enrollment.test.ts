import type { DiarizationResult } from '../types';
import { dominantVoice } from './enrollment';

function diarized(speakers: Array<[string, number]>, vectors: Array<[string, number[]]>): DiarizationResult {
  return {
    speakers: speakers.map(([speaker, seconds]) => ({ speaker, seconds, confidence: 1 })),
    speakerEmbeddings: { model: 'm@12345678', vectors: vectors.map(([speaker, embedding]) => ({ speaker, embedding })) },
  } as unknown as DiarizationResult;
}

describe('dominantVoice', () => {
  it("takes the centroid of the speaker with the most speech", () => {
    const voice = dominantVoice(diarized([['SPEAKER_00', 3], ['SPEAKER_01', 9.5]], [['SPEAKER_00', [1, 0]], ['SPEAKER_01', [0, 1]]]));
    expect(voice).toEqual({ model: 'm@12345678', embedding: [0, 1], speechSeconds: 9.5 });
  });

  it('refuses a clip without speech, with too little, or whose main speaker has no centroid', () => {
    expect(() => dominantVoice(diarized([], []))).toThrow(
      'the voice clip holds no speech: send a clip where one speaker talks alone for at least 2 s',
    );
    expect(() => dominantVoice(diarized([['SPEAKER_00', 1.5]], [['SPEAKER_00', [1]]]))).toThrow(
      'the voice clip holds 1.5 s of speech of its main speaker, too little of it alone to embed: send a clip where one speaker talks alone for at least 2 s',
    );
    expect(() => dominantVoice(diarized([['SPEAKER_00', 8], ['SPEAKER_01', 4]], [['SPEAKER_01', [1]]]))).toThrow(/^the voice clip holds 8 s of speech/);
    let code: string | undefined;
    try {
      dominantVoice(diarized([], []));
    } catch (error) {
      code = (error as { code: string }).code;
    }
    expect(code).toBe('NOT_ENOUGH_SPEECH');
  });
});
