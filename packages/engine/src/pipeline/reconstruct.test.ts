import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNpz, requireArray } from '../numpy';
import { SAMPLE_FIXTURES } from '../../../../test/shared-paths';
import { sampleHardClusters, sampleSegmentations } from '../../../../test/support/pyannote-fixtures';
import { speakerCount } from './speaker-count';
import { INACTIVE, reconstruct } from './reconstruct';
import { binarize } from './binarize';
import { ChunkGeometry, totalFrames } from './geometry';
import { labelClusters, toSegments } from '../output/segments';
import { toRttm } from '../output/rttm';

const geometry: ChunkGeometry = {
  chunkDuration: 10,
  chunkStep: 1,
  frameDuration: 991 / 16000,
  frameStep: 270 / 16000,
  framesPerChunk: 589,
};

describe('geometry', () => {
  it('covers 30 s of 10 s chunks every 1 s with 1779 frames, as pyannote does', () => {
    expect(totalFrames(geometry, 21)).toBe(1779);
  });
});

describe('reconstruction parity with pyannote (community-1 sample)', () => {
  const reconstruction = loadNpz(join(SAMPLE_FIXTURES, 'reconstruction.npz'));
  const expectedCount = requireArray(reconstruction, 'count', 'reconstruction.npz').data as Uint8Array;
  const expectedDiscrete = requireArray(reconstruction, 'discrete_diarization', 'reconstruction.npz');

  it('counts speakers frame by frame exactly', () => {
    const { data, numChunks } = sampleSegmentations();
    const count = speakerCount(data, numChunks, 3, geometry);
    expect(count.length).toBe(expectedCount.length);
    expect(Array.from(count)).toEqual(Array.from(expectedCount));
  });

  it('reconstructs the discrete diarization exactly from the hard clusters', () => {
    const { data, numChunks } = sampleSegmentations();
    const count = speakerCount(data, numChunks, 3, geometry);
    const discrete = reconstruct(data, numChunks, 3, sampleHardClusters(), count, geometry);
    expect([discrete.numFrames, discrete.numSpeakers]).toEqual(expectedDiscrete.shape);
    expect(Array.from(discrete.data)).toEqual(Array.from(expectedDiscrete.data as Float32Array));
  });

  it('writes the same RTTM as pyannote', () => {
    const { data, numChunks } = sampleSegmentations();
    const count = speakerCount(data, numChunks, 3, geometry);
    const discrete = reconstruct(data, numChunks, 3, sampleHardClusters(), count, geometry);
    const turns = binarize(discrete, geometry);
    const segments = toSegments(turns, labelClusters(turns), 30, turns.map(() => 1));
    const expected = readFileSync(join(SAMPLE_FIXTURES, 'reference.rttm'), 'utf8');
    expect(toRttm(segments, 'clip_16k')).toBe(expected);
  });

  it('gives inactive local speakers no say', () => {
    const { data, numChunks } = sampleSegmentations();
    const count = speakerCount(data, numChunks, 3, geometry);
    const clusters = sampleHardClusters();
    expect(clusters.filter((k) => k === INACTIVE).length).toBeGreaterThan(0);
    const reassigned = clusters.map((k) => (k === INACTIVE ? 1 : k));
    // inactive speakers have all-zero segmentations, so assigning them anywhere changes nothing
    const a = reconstruct(data, numChunks, 3, clusters, count, geometry);
    const b = reconstruct(data, numChunks, 3, Int32Array.from(reassigned), count, geometry);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });
});
