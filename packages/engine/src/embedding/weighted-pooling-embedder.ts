import type * as ort from 'onnxruntime-node';
import { HEAD_INPUT, HEAD_OUTPUT, TRUNK_INPUT, TRUNK_OUTPUT, type EmbeddingModelEntry, type EmbeddingParts, type FbankEmbeddingInterface } from '@diarization/models';
import { floatTensor, openSession, outputData, type SessionSettings } from '../onnx/session';
import { ChunkFeatures } from './chunk-features';
import { nearestIndex, weightedStatsPool } from './stats-pool';
import { ChunkToEmbed, nanRows, SpeakerEmbedder } from './types';


/**
 * WeSpeaker models as pyannote 3.1 and community-1 run them (speaker_verification.py
 * PyannoteAudioPretrainedSpeakerEmbedding with `weights=masks`): the ResNet trunk once on the
 * fbank of the whole chunk, shared by the chunk's local speakers; then, per speaker, statistics
 * pooling weighted by the speaker's mask (nearest-interpolated to the trunk's frames) and the
 * linear layer.
 */
export class WeightedPoolingEmbedder implements SpeakerEmbedder {
  readonly modelId: string;
  readonly dimension: number;
  /**
   * pyannote probes its PyTorch model: the shortest waveform it accepts is one fbank frame
   * (400 samples at 16 kHz), hence min_num_frames = 2 for 10 s chunks.
   */
  readonly minNumSamples: number;
  private readonly features: ChunkFeatures;
  private readonly pooledFeatures: number;

  private constructor(
    private readonly trunk: ort.InferenceSession,
    private readonly head: ort.InferenceSession,
    entry: EmbeddingModelEntry,
    spec: FbankEmbeddingInterface,
    parts: EmbeddingParts,
    private readonly batchSize: number,
    readonly notice?: string,
  ) {
    this.modelId = entry.id;
    this.dimension = parts.dimension;
    this.pooledFeatures = parts.pooledFeatures;
    this.features = new ChunkFeatures(spec);
    this.minNumSamples = this.features.fbank.frameLength;
  }

  static async load(
    entry: EmbeddingModelEntry,
    parts: EmbeddingParts,
    settings: Omit<SessionSettings, 'graphOptimizationLevel'>,
    /** Windows per trunk run ([B, 998, 80] inputs). */
    batchSize = 1,
  ): Promise<WeightedPoolingEmbedder> {
    const spec = entry.interface;
    if (spec.kind !== 'fbank-embedding') throw new Error(`${entry.id} is not an fbank embedding model`);
    const sessionSettings = { ...settings, graphOptimizationLevel: 'all' as const };
    const trunk = await openSession(parts.trunk, `${entry.id} (trunk)`, sessionSettings, { inputs: [TRUNK_INPUT], outputs: [TRUNK_OUTPUT] });
    try {
      // the head is one small matrix product: the CPU is the right place for it
      const head = await openSession(parts.head, `${entry.id} (head)`, { ...sessionSettings, providers: ['cpu'], intraOpThreads: 1 }, {
        inputs: [HEAD_INPUT],
        outputs: [HEAD_OUTPUT],
      });
      return new WeightedPoolingEmbedder(trunk.session, head.session, entry, spec, parts, batchSize, trunk.notice);
    } catch (error) {
      await trunk.session.release();
      throw error;
    }
  }

  async embed(chunks: readonly ChunkToEmbed[]): Promise<Float32Array[]> {
    const results = chunks.map((chunk) => nanRows(chunk.masks.length, this.dimension));
    // a chunk where nobody speaks has no embedding to compute
    const speaking = chunks.map((_, i) => i).filter((i) => chunks[i].masks.some((mask) => mask.some((v) => v > 0)));
    for (let first = 0; first < speaking.length; first += this.batchSize) {
      const batch = speaking.slice(first, first + this.batchSize);
      await this.embedBatch(batch.map((i) => chunks[i]), batch.map((i) => results[i]));
    }
    return results;
  }

  private async embedBatch(chunks: ChunkToEmbed[], results: Float32Array[]): Promise<void> {
    const bins = this.features.numMelBins;
    const numFrames = this.features.numFrames(chunks[0].window.length);
    const feats = new Float32Array(chunks.length * numFrames * bins);
    chunks.forEach((chunk, b) => {
      if (chunk.window.length !== chunks[0].window.length) throw new Error('chunks of one batch must have the same length');
      feats.set(this.features.of(chunk), b * numFrames * bins);
    });
    const trunkOut = outputData(await this.trunk.run({ [TRUNK_INPUT]: floatTensor(feats, [chunks.length, numFrames, bins]) }), TRUNK_OUTPUT);
    const trunkFrames = trunkOut.dims[trunkOut.dims.length - 1];
    const perChunk = this.pooledFeatures * trunkFrames;
    if (trunkOut.data.length !== chunks.length * perChunk) {
      throw new Error(`the trunk gave ${trunkOut.dims.join('x')} values, expected ${chunks.length} x ${this.pooledFeatures} x ${trunkFrames}`);
    }

    const twoF = 2 * this.pooledFeatures;
    const pairs: Array<{ chunk: number; speaker: number }> = [];
    const stats: Float32Array[] = [];
    const weights = new Float32Array(trunkFrames);
    chunks.forEach((chunk, b) => {
      const frames = trunkOut.data.subarray(b * perChunk, (b + 1) * perChunk);
      const source = nearestIndex(chunk.masks[0].length, trunkFrames);
      chunk.masks.forEach((mask, speaker) => {
        if (!mask.some((v) => v > 0)) return; // inactive: stays NaN, out of clustering
        for (let t = 0; t < trunkFrames; t++) weights[t] = mask[source[t]];
        const row = new Float32Array(twoF);
        weightedStatsPool(frames, this.pooledFeatures, weights, row);
        stats.push(row);
        pairs.push({ chunk: b, speaker });
      });
    });
    const input = new Float32Array(stats.length * twoF);
    stats.forEach((row, i) => input.set(row, i * twoF));
    const embs = outputData(await this.head.run({ [HEAD_INPUT]: floatTensor(input, [stats.length, twoF]) }), HEAD_OUTPUT).data;
    pairs.forEach(({ chunk, speaker }, i) => {
      results[chunk].set(embs.subarray(i * this.dimension, (i + 1) * this.dimension), speaker * this.dimension);
    });
  }

  async dispose(): Promise<void> {
    await this.trunk.release();
    await this.head.release();
  }
}
