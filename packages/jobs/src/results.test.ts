import { summarize, toLegacyResponse, toRttm, type StoredResult } from './index';

const result: StoredResult = {
  id: 'job-1',
  duration: 10.5,
  exclusive: false,
  segments: [
    { speaker: 'SPEAKER_00', start: 0.5, end: 3.2 },
    { speaker: 'SPEAKER_01', start: 3.0, end: 7.25 },
  ],
  speakers: [
    { speaker: 'SPEAKER_01', seconds: 4.25 },
    { speaker: 'SPEAKER_00', seconds: 2.7 },
  ],
  recipe: 'community-1',
  models: { segmentation: { id: 'seg', file: 'seg.onnx' }, embedding: { id: 'emb', file: 'emb.onnx' } },
  notices: [],
};

describe('result formats', () => {
  it('gives the legacy body with exactly speakers and duration', () => {
    const legacy = toLegacyResponse(result);
    expect(Object.keys(legacy).sort()).toEqual(['duration', 'speakers']);
    expect(legacy).toEqual({
      speakers: [
        { speaker: 'SPEAKER_00', start: 0.5, end: 3.2 },
        { speaker: 'SPEAKER_01', start: 3.0, end: 7.25 },
      ],
      duration: 10.5,
    });
  });

  it('writes RTTM lines with onset and duration, and a file id without spaces', () => {
    expect(toRttm(result, 'my meeting')).toBe(
      'SPEAKER my_meeting 1 0.500 2.700 <NA> <NA> SPEAKER_00 <NA> <NA>\n' +
        'SPEAKER my_meeting 1 3.000 4.250 <NA> <NA> SPEAKER_01 <NA> <NA>\n',
    );
  });

  it('summarizes speakers and counts', () => {
    expect(summarize(result)).toEqual({
      duration: 10.5,
      num_speakers: 2,
      num_segments: 2,
      exclusive: false,
      speakers: result.speakers,
    });
  });
});
