import { join } from 'node:path';
import { findModel, loadManifest, type SegmentationModelEntry } from '@diarization/models';
import { decodeAudioFile } from '../audio/decode';
import { SAMPLE_FIXTURES } from '../../../../test/shared-paths';
import { sampleArray } from '../../../../test/support/pyannote-fixtures';
import { testModelsDir } from '../../../../test/support/models';
import { Segmenter } from './segmenter';
import { WindowChunker } from './window-chunker';
import { powersetClasses } from './powerset';

async function segmentFile(modelId: string, path: string, batchSize: number): Promise<Uint8Array[]> {
  const entry = findModel(loadManifest(), modelId) as SegmentationModelEntry;
  const segmenter = await Segmenter.load(entry, join(testModelsDir(), entry.file), { providers: ['cpu'], intraOpThreads: 0 });
  try {
    const chunker = new WindowChunker(segmenter.windowSamples, segmenter.stepSamples);
    const windows = chunker.push(await decodeAudioFile(path));
    const last = chunker.finish();
    if (last) windows.push(last);
    const results: Uint8Array[] = [];
    for (let i = 0; i < windows.length; i += batchSize) results.push(...(await segmenter.segment(windows.slice(i, i + batchSize))));
    return results;
  } finally {
    await segmenter.dispose();
  }
}

describe('segmentation parity with pyannote 4.0 on its sample', () => {
  const expected = sampleArray('segmentations.npz', 'segmentations');

  function agreement(actual: Uint8Array[]): number {
    const reference = expected.data as Float32Array;
    let same = 0;
    actual.forEach((chunk, c) => chunk.forEach((v, i) => (same += v === reference[c * chunk.length + i] ? 1 : 0)));
    return same / reference.length;
  }

  it.each([
    ['segmentation-3.0', 0.995],
    ['segmentation-3.0-fp16', 0.995],
  ])('%s agrees on at least 99.5 %% of frame x speaker decisions', async (modelId, minimum) => {
    const actual = await segmentFile(modelId, join(SAMPLE_FIXTURES, 'clip_16k.wav'), 8);
    expect(actual.length).toBe(expected.shape[0]);
    expect(actual[0].length).toBe(expected.shape[1] * expected.shape[2]);
    expect(agreement(actual)).toBeGreaterThanOrEqual(minimum);
  });

  it('gives the same answer whatever the batch size', async () => {
    const one = await segmentFile('segmentation-3.0', join(SAMPLE_FIXTURES, 'clip_16k.wav'), 1);
    const many = await segmentFile('segmentation-3.0', join(SAMPLE_FIXTURES, 'clip_16k.wav'), 21);
    expect(many.map((c) => Array.from(c))).toEqual(one.map((c) => Array.from(c)));
  });
});

describe('powerset classes', () => {
  it('enumerates 7 classes for 3 speakers and pairs, in pyannote order', () => {
    expect(powersetClasses(3, 2)).toEqual([[], [0], [1], [2], [0, 1], [0, 2], [1, 2]]);
  });
});

describe('WindowChunker', () => {
  const ramp = (n: number, from = 0) => Float32Array.from({ length: n }, (_, i) => from + i);

  it('cuts full windows every step and pads the remainder like Inference.slide', () => {
    const chunker = new WindowChunker(10, 3);
    // feed in uneven blocks: 0..24 (25 samples)
    const windows = [...chunker.push(ramp(7)), ...chunker.push(ramp(11, 7)), ...chunker.push(ramp(7, 18))];
    // full windows start at 0, 3, 6, 9, 12, 15 ((25 - 10) // 3 + 1 = 6)
    expect(windows.map((w) => w[0])).toEqual([0, 3, 6, 9, 12, 15]);
    expect(Array.from(windows[5])).toEqual(Array.from(ramp(10, 15)));
    // (25 - 10) % 3 == 0: no last window
    expect(chunker.finish()).toBeUndefined();
  });

  it('adds a zero-padded last window when the audio does not end on a step', () => {
    const chunker = new WindowChunker(10, 3);
    expect(chunker.push(ramp(14)).map((w) => w[0])).toEqual([0, 3]);
    const last = chunker.finish();
    expect(Array.from(last!)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 0, 0]);
  });

  it('pads audio shorter than one window into a single window', () => {
    const chunker = new WindowChunker(10, 3);
    expect(chunker.push(ramp(4, 1))).toEqual([]);
    expect(Array.from(chunker.finish()!)).toEqual([1, 2, 3, 4, 0, 0, 0, 0, 0, 0]);
  });
});
