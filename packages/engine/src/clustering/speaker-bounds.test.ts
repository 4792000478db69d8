import { clipToEmbeddingCount, resolveSpeakerBounds } from './speaker-bounds';

describe('resolveSpeakerBounds (pyannote set_num_speakers)', () => {
  it('defaults to [1, inf) and lets numClusters override', () => {
    expect(resolveSpeakerBounds({})).toEqual({ numClusters: undefined, minClusters: 1, maxClusters: Infinity });
    expect(resolveSpeakerBounds({ numClusters: 3, minClusters: 1, maxClusters: 8 })).toEqual({ numClusters: 3, minClusters: 3, maxClusters: 3 });
    expect(resolveSpeakerBounds({ minClusters: 2, maxClusters: 2 })).toEqual({ numClusters: 2, minClusters: 2, maxClusters: 2 });
    // Python's `or`: 0 means "not given".
    expect(resolveSpeakerBounds({ numClusters: 0, maxClusters: 4 })).toEqual({ numClusters: undefined, minClusters: 1, maxClusters: 4 });
    expect(() => resolveSpeakerBounds({ minClusters: 5, maxClusters: 2 })).toThrow(/minClusters/);
  });
});

describe('clipToEmbeddingCount (pyannote set_num_clusters)', () => {
  it('clips to the number of embeddings', () => {
    expect(clipToEmbeddingCount(10, resolveSpeakerBounds({}))).toEqual({ numClusters: undefined, minClusters: 1, maxClusters: 10 });
    expect(clipToEmbeddingCount(2, resolveSpeakerBounds({ minClusters: 3 }))).toEqual({ numClusters: 2, minClusters: 2, maxClusters: 2 });
    expect(clipToEmbeddingCount(0, resolveSpeakerBounds({}))).toEqual({ numClusters: 1, minClusters: 1, maxClusters: 1 });
  });
});
