import { markInactiveSpeakers } from './inactive-speakers';
import { activeFrameCounts, gatherEmbeddings, selectActiveSpeakers, selectCleanSpeakers } from './select-training-embeddings';

// 2 chunks x 5 frames x 2 speakers.
// chunk 0: speaker 0 alone in frames 0-2, both in frame 3, speaker 1 alone in frame 4.
// chunk 1: speaker 0 silent, speaker 1 in frames 0-4 but its embedding is NaN.
const segmentations = {
  data: Uint8Array.from([1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
  numChunks: 2,
  numFrames: 5,
  numLocalSpeakers: 2,
};
const embeddings = { data: Float32Array.from([1, 2, 3, 4, 5, 6, NaN, 8]), numChunks: 2, numLocalSpeakers: 2, dimension: 2 };

describe('training-embedding selection', () => {
  it('counts active frames per (chunk, speaker)', () => {
    expect(Array.from(activeFrameCounts(segmentations))).toEqual([4, 2, 0, 5]);
  });

  it('4.0 rule: enough single-speaker frames and a valid embedding', () => {
    // Clean frames: (0,0)=3, (0,1)=1, (1,0)=0, (1,1)=5 but NaN. 0.2 * 5 = 1 frame needed.
    const selected = selectCleanSpeakers(embeddings, segmentations);
    expect(Array.from(selected.chunkIndices)).toEqual([0, 0]);
    expect(Array.from(selected.speakerIndices)).toEqual([0, 1]);
    expect(Array.from(selectCleanSpeakers(embeddings, segmentations, 0.4).speakerIndices)).toEqual([0]);
    expect(Array.from(gatherEmbeddings(embeddings, selected))).toEqual([1, 2, 3, 4]);
  });

  it('3.1 rule: any active frame and a valid embedding', () => {
    const selected = selectActiveSpeakers(embeddings, segmentations);
    expect(Array.from(selected.chunkIndices)).toEqual([0, 0]);
  });

  it('marks never-active speakers -2 as the pipeline does', () => {
    expect(Array.from(markInactiveSpeakers(Int32Array.from([1, 0, 1, 0]), segmentations))).toEqual([1, 0, -2, 0]);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => selectActiveSpeakers({ ...embeddings, numChunks: 3 }, segmentations)).toThrow(/embeddings/);
  });
});
