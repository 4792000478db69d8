import { SAMPLE_RATE } from '@diarization/common';
import type * as ort from 'onnxruntime-node';
import type { EmbeddingModelEntry, WaveformEmbeddingInterface } from '@diarization/models';
import { Resampler } from '../features';
import { concatFloat32 } from '../math/concat';
import { floatTensor, openSession, outputData, type SessionSettings } from '../onnx/session';
import { ChunkToEmbed, nanRows, SpeakerEmbedder } from './types';

export interface FrameGrid {
  /** Segmentation frame step and receptive field, in 16 kHz samples. */
  frameStepSamples: number;
  receptiveFieldSamples: number;
}

/** Speech shorter than this gives unreliable vectors with the OpenVoice encoder (see models/SOURCES). */
const MIN_SPEECH_SECONDS = 0.25;

/**
 * Models that read the waveform itself (`audio` [samples, channels] -> `se` [channels, D]), such as
 * the OpenVoice reference encoder: resample the chunk once, then cut out the samples of the
 * frames where the speaker is active and embed them.
 */
export class WaveformEmbedder implements SpeakerEmbedder {
  readonly modelId: string;
  readonly minNumSamples = Math.round(MIN_SPEECH_SECONDS * SAMPLE_RATE);
  private readonly resampler: Resampler;
  private readonly maxSamples: number;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly spec: WaveformEmbeddingInterface,
    entry: EmbeddingModelEntry,
    private readonly grid: FrameGrid,
    readonly notice?: string,
  ) {
    this.modelId = entry.id;
    // Speech at 16 kHz has nothing near 8 kHz worth a steep filter; a gentler one is ~3x faster.
    this.resampler = new Resampler(SAMPLE_RATE, spec.sampleRate, { passbandEdge: 0.95, stopbandEdge: 1.05 });
    this.maxSamples = Math.round(spec.maxSeconds * spec.sampleRate);
  }

  static async load(
    entry: EmbeddingModelEntry,
    path: string,
    settings: Omit<SessionSettings, 'graphOptimizationLevel'>,
    grid: FrameGrid,
  ): Promise<WaveformEmbedder> {
    const spec = entry.interface;
    if (spec.kind !== 'waveform-embedding') throw new Error(`${entry.id} is not a waveform embedding model`);
    const loaded = await openSession(path, entry.id, { ...settings, graphOptimizationLevel: 'all' }, { inputs: [spec.input], outputs: [spec.output] });
    return new WaveformEmbedder(loaded.session, spec, entry, grid, loaded.notice);
  }

  get dimension(): number {
    return this.spec.dimension;
  }

  async embed(chunks: readonly ChunkToEmbed[]): Promise<Float32Array[]> {
    const results: Float32Array[] = [];
    for (const chunk of chunks) {
      const out = nanRows(chunk.masks.length, this.dimension);
      results.push(out);
      if (chunk.masks.every((mask) => !mask.some((v) => v > 0))) continue;
      const resampled = this.resampler.process(chunk.window);
      const ratio = this.spec.sampleRate / SAMPLE_RATE;
      for (let s = 0; s < chunk.masks.length; s++) {
        const speech = this.speakerSamples(chunk.masks[s], resampled, ratio);
        if (speech.length < this.minNumSamples * ratio) continue;
        const outputs = await this.session.run({ [this.spec.input]: floatTensor(speech, [speech.length, 1]) });
        out.set(outputData(outputs, this.spec.output).data.subarray(0, this.dimension), s * this.dimension);
      }
    }
    return results;
  }

  /**
   * Concatenates the samples of the speaker's active frames. Frame f is centred on
   * f * step + receptiveField / 2 and owns one step around its centre, so consecutive frames tile.
   */
  private speakerSamples(mask: Uint8Array, audio: Float32Array, ratio: number): Float32Array {
    const { frameStepSamples: step, receptiveFieldSamples: field } = this.grid;
    const pieces: Float32Array[] = [];
    let length = 0;
    for (let f = 0; f < mask.length && length < this.maxSamples; f++) {
      if (!mask[f] || (f > 0 && mask[f - 1])) continue;
      let last = f;
      while (last + 1 < mask.length && mask[last + 1]) last++;
      const from = Math.max(0, Math.round((f * step + field / 2 - step / 2) * ratio));
      const to = Math.min(audio.length, Math.round((last * step + field / 2 + step / 2) * ratio));
      if (to > from) {
        const piece = audio.subarray(from, Math.min(to, from + this.maxSamples - length));
        pieces.push(piece);
        length += piece.length;
      }
    }
    return concatFloat32(pieces, length);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
