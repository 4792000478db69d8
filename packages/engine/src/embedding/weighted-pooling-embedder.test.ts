import { join } from 'node:path';
import { ensureEmbeddingParts, loadManifest, type EmbeddingModelEntry } from '@diarization/models';
import { decodeAudioFile } from '../audio/decode';
import { loadNpz, requireArray, toFloat32, toFloat64 } from '../numpy';
import { embeddingMasks, minNumFrames } from '../pipeline/embedding-masks';
import { SAMPLE_FIXTURES, WESPEAKER_WEIGHTED_FIXTURES } from '../../../../test/shared-paths';
import { sampleSegmentations } from '../../../../test/support/pyannote-fixtures';
import { nearestIndex, weightedStatsPool } from './stats-pool';
import type { ChunkToEmbed } from './types';
import { WeightedPoolingEmbedder } from './weighted-pooling-embedder';

/**
 * pyannote 4.0.7's speaker-embedding stage, run on its 30 s sample with a random-weight
 * WeSpeaker ResNet34 and pyannote's own segmentations (../shared/models/fixtures/wespeaker_weighted).
 */
const fixture = loadNpz(join(WESPEAKER_WEIGHTED_FIXTURES, 'embeddings.npz'));
const array = (key: string) => requireArray(fixture, key, 'embeddings.npz');
const WINDOW = 160000;
const STEP = 16000;

function fixtureEntry(): EmbeddingModelEntry {
  const random = loadManifest().models.find((m): m is EmbeddingModelEntry => m.id === 'wespeaker-resnet34-random')!;
  return { ...random, id: 'resnet34-random (fixture)' };
}

async function sampleChunks(minFrames: number): Promise<ChunkToEmbed[]> {
  const audio = await decodeAudioFile(join(SAMPLE_FIXTURES, 'clip_16k.wav'));
  const seg = sampleSegmentations();
  const stream = {};
  return Array.from({ length: seg.numChunks }, (_, c) => {
    const window = new Float32Array(WINDOW);
    window.set(audio.subarray(c * STEP, Math.min(audio.length, c * STEP + WINDOW)));
    const size = seg.numFrames * seg.numLocalSpeakers;
    const masks = embeddingMasks(seg.data.subarray(c * size, (c + 1) * size), seg.numFrames, seg.numLocalSpeakers, minFrames);
    return { window, startSample: c * STEP, masks, stream };
  });
}

describe('weighted statistics pooling (pyannote StatsPool)', () => {
  it('resizes masks as torch nearest interpolation does (589 -> 125 frames)', () => {
    expect(Array.from(nearestIndex(589, 125))).toEqual(Array.from(toFloat64(array('pool_index'))));
  });

  it('gives the weighted mean and unbiased weighted standard deviation', () => {
    // two features over four frames, weights 1, 1, 0, 1
    const frames = Float32Array.from([1, 2, 100, 3, 10, 10, -5, 10]);
    const out = new Float32Array(4);
    weightedStatsPool(frames, 2, Float32Array.from([1, 1, 0, 1]), out);
    expect(out[0]).toBeCloseTo(2, 6);
    expect(out[1]).toBeCloseTo(10, 5);
    expect(out[2]).toBeCloseTo(1, 6); // sqrt(((1-2)^2 + 0 + (3-2)^2) / (3 - 1))
    expect(out[3]).toBeCloseTo(0, 6);
  });
});

describe('WeightedPoolingEmbedder against pyannote 4.0.7 (wespeaker_weighted fixture)', () => {
  let embedder: WeightedPoolingEmbedder;
  beforeAll(async () => {
    const parts = await ensureEmbeddingParts(join(WESPEAKER_WEIGHTED_FIXTURES, 'resnet34-random.onnx'));
    embedder = await WeightedPoolingEmbedder.load(fixtureEntry(), parts, { providers: ['cpu'], intraOpThreads: 0 });
  });
  afterAll(async () => embedder?.dispose());

  it("uses pyannote's PyTorch minimum length: 400 samples, so min_num_frames 2", () => {
    expect(embedder.minNumSamples).toBe(Number(toFloat64(array('min_num_samples'))[0]));
    expect(minNumFrames(589, embedder.minNumSamples, WINDOW)).toBe(Number(toFloat64(array('min_num_frames'))[0]));
  });

  it('chooses the overlap-free or the full mask as pyannote does, and passes the same masks', async () => {
    const minFrames = minNumFrames(589, embedder.minNumSamples, WINDOW);
    const chunks = await sampleChunks(minFrames);
    const masks = toFloat64(array('masks'));
    const usedClean = toFloat64(array('used_clean_mask'));
    const seg = sampleSegmentations();
    const frame = (c: number, f: number) => seg.data.subarray((c * 589 + f) * 3, (c * 589 + f + 1) * 3);
    chunks.forEach((chunk, c) =>
      chunk.masks.forEach((mask, s) => {
        expect(Array.from(mask)).toEqual(Array.from(masks.subarray((c * 3 + s) * 589, (c * 3 + s + 1) * 589)));
        let clean = 0;
        for (let f = 0; f < 589; f++) if (frame(c, f)[s] && frame(c, f).reduce((a, b) => a + b, 0) < 2) clean++;
        expect(clean > minFrames ? 1 : 0).toBe(usedClean[c * 3 + s]);
      }),
    );
  });

  it('reproduces every active (chunk, speaker) embedding within 1e-3 and leaves inactive ones out', async () => {
    const chunks = await sampleChunks(minNumFrames(589, embedder.minNumSamples, WINDOW));
    const embedded = await embedder.embed(chunks);
    const reference = toFloat32(array('embeddings'));
    const active = toFloat64(array('active'));
    let worst = 0;
    let compared = 0;
    embedded.forEach((rows, c) => {
      for (let s = 0; s < 3; s++) {
        const ours = rows.subarray(s * 256, (s + 1) * 256);
        if (active[c * 3 + s] === 0) {
          expect(ours.every(Number.isNaN)).toBe(true);
          continue;
        }
        compared++;
        ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - reference[(c * 3 + s) * 256 + i]))));
      }
    });
    expect(compared).toBe(41);
    expect(worst).toBeLessThan(1e-3);
  });

  it('gives the same embeddings whether chunks come one by one or in batches', async () => {
    const chunks = (await sampleChunks(2)).slice(8, 12);
    const batched = await embedder.embed(chunks);
    const single: Float32Array[] = [];
    for (const chunk of chunks) single.push(...(await embedder.embed([{ ...chunk, stream: {} }])));
    batched.forEach((rows, i) => rows.forEach((v, j) => expect(Math.abs(v - single[i][j]) || 0).toBeLessThan(1e-4)));
  });
});
