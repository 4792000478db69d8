import type * as ort from 'onnxruntime-node';
import type { EmbeddingModelEntry, FbankEmbeddingInterface } from '@diarization/models';
import { KaldiFbank, subtractFrameMean } from '../features';
import { floatTensor, openSession, outputData, type SessionSettings } from '../onnx/session';
import { FbankFrameCache } from './fbank-frame-cache';
import { ChunkToEmbed, nanRows, SpeakerEmbedder } from './types';

/**
 * WeSpeaker-style models that read Kaldi fbank features (`feats` [1, T, 80] -> `embs` [1, D]),
 * used as pyannote's ONNX WeSpeaker wrapper does: fbank of the whole chunk, mean-normalised over
 * the chunk, then only the frames where the speaker's mask (nearest-interpolated) is on.
 */
export class FbankEmbedder implements SpeakerEmbedder {
  private readonly fbank: KaldiFbank;
  private readonly frames: FbankFrameCache;
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
    this.fbank = new KaldiFbank({ sampleRate: spec.sampleRate, numMelBins: spec.numMelBins });
    this.frames = new FbankFrameCache(this.fbank);
  }

  static async load(entry: EmbeddingModelEntry, path: string, settings: Omit<SessionSettings, 'graphOptimizationLevel'>): Promise<FbankEmbedder> {
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
    return new FbankEmbedder(loaded.session, spec, entry, reference.length, upper, loaded.notice);
  }

  get minNumSamples(): number {
    return this.fbank.frameLength + (this.minNumFrames - 1) * this.fbank.frameShift;
  }

  async embed(chunks: readonly ChunkToEmbed[]): Promise<Float32Array[]> {
    const results: Float32Array[] = [];
    const bins = this.spec.numMelBins;
    for (const chunk of chunks) {
      const out = nanRows(chunk.masks.length, this.dimension);
      results.push(out);
      if (chunk.masks.every((mask) => !mask.some((v) => v > 0))) continue;
      const numFrames = this.fbank.numFrames(chunk.window.length);
      const features = this.frames.features(chunk.window, chunk.startSample);
      subtractFrameMean(features, numFrames, bins);
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
  const scale = mask.length / numFbankFrames;
  const selected: number[] = [];
  for (let j = 0; j < numFbankFrames; j++) {
    if (mask[Math.min(Math.floor(j * scale), mask.length - 1)] > 0.5) selected.push(j);
  }
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
