import { DiarizationError, VoiceprintModelMismatchError } from '../errors';
import type { VoiceprintRef } from '../types';
import { checkVoiceprintModels, cosineSimilarity, identifySpeakers } from './identify';

const voiceprint = (id: string, embedding: number[], model = 'm@00000001'): VoiceprintRef => ({ id, label: `label-${id}`, model, embedding });

describe('cosineSimilarity', () => {
  it('is 1 for parallel, 0 for orthogonal, -1 for opposite vectors, NaN for a zero vector or other lengths', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 1])).toBeNaN();
    expect(cosineSimilarity([1, 0, 0], [1, 0])).toBeNaN();
  });
});

describe('identifySpeakers', () => {
  it('names each speaker after its closest voiceprint, with the similarity as score', () => {
    const result = identifySpeakers({
      speakers: [
        { speaker: 'SPEAKER_00', embedding: [1, 0.1] },
        { speaker: 'SPEAKER_01', embedding: [0.1, 1] },
      ],
      voiceprints: [voiceprint('b', [0, 1]), voiceprint('a', [1, 0])],
      threshold: 0.5,
    });
    expect(result).toEqual([
      { speaker: 'SPEAKER_00', voiceprint: { id: 'a', label: 'label-a', score: 0.995 } },
      { speaker: 'SPEAKER_01', voiceprint: { id: 'b', label: 'label-b', score: 0.995 } },
    ]);
  });

  it('never gives one identity to two speakers, even when both are closest to it', () => {
    const result = identifySpeakers({
      speakers: [
        { speaker: 'SPEAKER_00', embedding: [1, 0] },
        { speaker: 'SPEAKER_01', embedding: [0.9, 0.1] },
        { speaker: 'SPEAKER_02', embedding: [0.95, 0.05] },
      ],
      voiceprints: [voiceprint('a', [1, 0]), voiceprint('b', [0.8, 0.6])],
      threshold: -1,
    });
    const ids = result.flatMap((r) => (r.voiceprint ? [r.voiceprint.id] : []));
    expect(ids.sort()).toEqual(['a', 'b']);
    expect(result.filter((r) => r.voiceprint === null)).toHaveLength(1);
    expect(result[0].voiceprint?.id).toBe('a');
  });

  it('leaves a speaker unknown below the threshold, and a higher threshold never swaps identities', () => {
    const speakers = [
      { speaker: 'SPEAKER_00', embedding: [1, 0.5] },
      { speaker: 'SPEAKER_01', embedding: [0.2, 1] },
    ];
    const voiceprints = [voiceprint('a', [1, 0]), voiceprint('b', [0, 1])];
    const low = identifySpeakers({ speakers, voiceprints, threshold: 0 });
    expect(low.map((r) => r.voiceprint?.id)).toEqual(['a', 'b']);
    for (const threshold of [0.9, 0.95, 0.99]) {
      const high = identifySpeakers({ speakers, voiceprints, threshold });
      high.forEach((r, i) => expect(r.voiceprint === null || r.voiceprint.id === low[i].voiceprint?.id).toBe(true));
      high.forEach((r) => r.voiceprint && expect(r.voiceprint.score).toBeGreaterThanOrEqual(threshold));
    }
    expect(identifySpeakers({ speakers, voiceprints, threshold: 0.95 }).map((r) => r.voiceprint?.id ?? null)).toEqual([null, 'b']);
  });

  it('gives a speaker without a centroid no identity', () => {
    const result = identifySpeakers({ speakers: [{ speaker: 'SPEAKER_00' }], voiceprints: [voiceprint('a', [1, 0])], threshold: -1 });
    expect(result).toEqual([{ speaker: 'SPEAKER_00', voiceprint: null }]);
  });

  it('answers every speaker with null when there are more speakers than voiceprints', () => {
    const result = identifySpeakers({ speakers: [{ speaker: 'A', embedding: [1] }, { speaker: 'B', embedding: [1] }], voiceprints: [], threshold: 0 });
    expect(result).toEqual([{ speaker: 'A', voiceprint: null }, { speaker: 'B', voiceprint: null }]);
  });
});

describe('checkVoiceprintModels', () => {
  it('accepts voiceprints of the model in use', () => {
    expect(() => checkVoiceprintModels([voiceprint('a', [1])], 'm@00000001')).not.toThrow();
  });

  it('refuses one of another model, naming both models and saying to re-enroll', () => {
    let error: unknown;
    try {
      checkVoiceprintModels([voiceprint('a', [1]), voiceprint('b', [1], 'other@12345678')], 'm@00000001');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VoiceprintModelMismatchError);
    expect(error).toBeInstanceOf(DiarizationError);
    const mismatch = error as VoiceprintModelMismatchError;
    expect(mismatch.code).toBe('voiceprint_model_mismatch');
    expect(mismatch.permanent).toBe(true);
    expect(mismatch.message).toBe(
      'voiceprint "label-b" (b) was made with embedding model other@12345678, but this run uses m@00000001: re-enroll the voice with m@00000001',
    );
  });
});
