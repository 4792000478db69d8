import { assignmentConfidence, frameConfidence, turnConfidences, type ConfidenceInputs } from './confidence';
import type { ChunkGeometry } from './geometry';

// two chunks of 4 frames, one frame apart: chunk 1 starts at global frame 1
const geometry: ChunkGeometry = { chunkDuration: 4, chunkStep: 1, frameDuration: 1, frameStep: 1, framesPerChunk: 4 };

/** 2 chunks x 4 frames x 2 local speakers; `soft` holds 1 + cosine similarity to 2 centroids. */
function inputs(overrides: Partial<ConfidenceInputs> = {}): ConfidenceInputs {
  // local speaker 0 active on every frame of both chunks; speaker 1 only on chunk 0's last two frames
  const segmentations = Uint8Array.from([1, 0, 1, 0, 1, 1, 1, 1, /* chunk 1 */ 1, 0, 1, 0, 1, 0, 1, 0]);
  return {
    segmentations,
    numChunks: 2,
    numLocalSpeakers: 2,
    hardClusters: Int32Array.from([0, 1, 0, -2]),
    soft: { data: Float64Array.from([1 + 1, 1 + 0.2, 1 + 0.3, 1 + 0.85, 1 + 0.7, 1 + 0.1, NaN, NaN]), numChunks: 2, numLocalSpeakers: 2, numClusters: 2 },
    geometry,
    floor: 0.7,
    ...overrides,
  };
}

describe('assignmentConfidence', () => {
  it('maps the similarity to the assigned centroid from the floor (0) to 1 (1), clamped', () => {
    const votes = assignmentConfidence(Int32Array.from([0, 1, 0, -2]), inputs().soft, 0.7);
    expect(votes[0]).toBeCloseTo(1, 12); // similarity 1
    expect(votes[1]).toBeCloseTo(0.5, 12); // (0.85 - 0.7) / 0.3
    expect(votes[2]).toBe(0); // similarity 0.7, at the floor
    expect(votes[3]).toBe(0); // inactive
  });

  it('gives 0.5 to a speaker without an embedding, and 0 to a cluster without a centroid', () => {
    const soft = { data: Float64Array.from([NaN, NaN]), numChunks: 1, numLocalSpeakers: 2, numClusters: 1 };
    expect(Array.from(assignmentConfidence(Int32Array.from([0, 3]), soft, 0.5))).toEqual([0.5, 0]);
  });
});

describe('frameConfidence and turnConfidences', () => {
  it('averages the votes over the windows covering each frame', () => {
    const { data, numFrames } = frameConfidence(inputs(), 2);
    expect(numFrames).toBe(6); // pyannote's frame count of the covered span, with one past the last chunk
    const at = (t: number, k: number) => data[t * 2 + k];
    expect(at(0, 0)).toBeCloseTo(1, 12); // chunk 0 alone, vote 1
    expect(at(1, 0)).toBeCloseTo(0.5, 12); // chunk 0 votes 1, chunk 1 votes 0
    expect(at(4, 0)).toBe(0); // chunk 1 alone, vote 0
    expect(at(2, 1)).toBeCloseTo(0.25, 12); // chunk 0's speaker 1 (0.5), chunk 1 has none: 0.5 / 2
    expect(at(3, 1)).toBeCloseTo(0.25, 12);
    expect(at(0, 1)).toBe(0);
  });

  it('gives a turn the mean of its frames', () => {
    // frame middles are at t + 0.5: a turn from 0.5 to 2.5 covers frames 0 and 1
    const [whole, start, late] = turnConfidences(inputs(), [
      { cluster: 0, start: 0.5, end: 4.5 },
      { cluster: 0, start: 0.5, end: 2.5 },
      { cluster: 1, start: 2.5, end: 4.5 },
    ]);
    expect(start).toBeCloseTo((1 + 0.5) / 2, 3);
    expect(whole).toBeCloseTo((1 + 0.5 + 0.5 + 0.5) / 4, 3);
    expect(late).toBeCloseTo(0.25, 3);
  });

  it('rises with the similarity of the voices heard to their centroid', () => {
    const close = inputs({ floor: 0 });
    const far = inputs({ floor: 0.9 });
    const turn = [{ cluster: 0, start: 0.5, end: 4.5 }];
    expect(turnConfidences(close, turn)[0]).toBeGreaterThan(turnConfidences(far, turn)[0]);
  });
});
