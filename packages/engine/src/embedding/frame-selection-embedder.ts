import type * as ort from 'onnxruntime-node';
import type { EmbeddingModelEntry, FbankEmbeddingInterface } from '@diarization/models';
import { floatTensor, openSession, outputData, type SessionSettings } from '../onnx/session';
import { ChunkFeatures } from './chunk-features';
import { nearestIndex } from './stats-pool';
import { ChunkToEmbed, nanRows, SpeakerEmbedder } from './types';

/**
 * WeSpeaker-style models that read Kaldi fbank features (`feats` [1, T, 80] -> `embs` [1, D]),
 * used as pyannote 3.0's ONNX WeSpeaker wrapper (and sherpa-onnx) do: fbank of the whole chunk,
 * mean-normalised over the chunk, then only the frames where the speaker's mask
 * (nearest-interpolated) is on go through the whole network. pyannote 3.1 and community-1 pool
 * with the mask as weights instead (WeightedPoolingEmbedder), which is the default.
 */
export class FrameSelectionEmbedder implements SpeakerEmbedder {
  private readonly features: ChunkFeatures;
  readonly modelId: string;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly spec: FbankEmbeddingInterface,
    entry: EmbeddingModelEntry,
    readonly dimension: number,
    private readonly minNumFrames: number,
    readonly notice?: string,
  ) {
    this.modelId = entry.id;
    this.features = new ChunkFeatures(spec);
  }

  static async load(entry: EmbeddingModelEntry, path: string, settings: Omit<SessionSettings, 'graphOptimizationLevel'>): Promise<FrameSelectionEmbedder> {
    const spec = entry.interface;
    if (spec.kind !== 'fbank-embedding') throw new Error(`${entry.id} is not an fbank embedding model`);
    const loaded = await openSession(path, entry.id, { ...settings, graphOptimizationLevel: 'all' }, { inputs: [spec.input], outputs: [spec.output] });
    const run = async (frames: number): Promise<Float32Array | undefined> => {
      try {
        const feats = deterministicNoise(frames * spec.numMelBins);
        const out = await loaded.session.run({ [spec.input]: floatTensor(feats, [1, frames, spec.numMelBins]) });
        const { data } = outputData(out, spec.output);
        return data.some((v) => Number.isNaN(v)) ? undefined : data;
      } catch {
        return undefined;
      }
    };
    const reference = await run(200);
    if (!reference) {
      await loaded.session.release();
      throw new Error(`embedding model ${entry.id} fails on 2 s of features`);
    }
    // Like pyannote's min_num_samples probe: the shortest input that yields a finite embedding.
    let lower = 0;
    let upper = 200;
    while (lower + 1 < upper) {
      const middle = (lower + upper) >> 1;
      if (await run(middle)) upper = middle;
      else lower = middle;
    }
    return new FrameSelectionEmbedder(loaded.session, spec, entry, reference.length, upper, loaded.notice);
  }

  get minNumSamples(): number {
    const { frameLength, frameShift } = this.features.fbank;
    return frameLength + (this.minNumFrames - 1) * frameShift;
  }

  async embed(chunks: readonly ChunkToEmbed[]): Promise<Float32Array[]> {
    const results: Float32Array[] = [];
    const bins = this.spec.numMelBins;
    for (const chunk of chunks) {
      const out = nanRows(chunk.masks.length, this.dimension);
      results.push(out);
      if (chunk.masks.every((mask) => !mask.some((v) => v > 0))) continue;
      const numFrames = this.features.numFrames(chunk.window.length);
      const features = this.features.of(chunk);
      for (let s = 0; s < chunk.masks.length; s++) {
        const selected = selectFrames(chunk.masks[s], numFrames);
        if (selected.length < this.minNumFrames) continue;
        const feats = new Float32Array(selected.length * bins);
        selected.forEach((frame, i) => feats.set(features.subarray(frame * bins, (frame + 1) * bins), i * bins));
        const outputs = await this.session.run({ [this.spec.input]: floatTensor(feats, [1, selected.length, bins]) });
        out.set(outputData(outputs, this.spec.output).data.subarray(0, this.dimension), s * this.dimension);
      }
    }
    return results;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Fbank frames whose nearest segmentation frame (torch's F.interpolate mode="nearest":
 * source = floor(target * in / out)) is active.
 */
export function selectFrames(mask: Uint8Array, numFbankFrames: number): number[] {
  const source = nearestIndex(mask.length, numFbankFrames);
  const selected: number[] = [];
  for (let j = 0; j < numFbankFrames; j++) if (mask[source[j]] > 0.5) selected.push(j);
  return selected;
}

function deterministicNoise(length: number): Float32Array {
  const values = new Float32Array(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}
