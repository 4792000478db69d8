import { SAMPLE_RATE } from '@diarization/common';
import { Float32RealFft } from '../math/float32-real-fft';
import { kaldiMelBank, SparseMelBank } from './mel-banks';

/**
 * Kaldi log-mel filterbank features, numerically matching
 * torchaudio.compliance.kaldi.fbank as pyannote's WeSpeaker wrapper calls it:
 * hamming window, dither 0, no energy column, remove_dc_offset, preemphasis
 * 0.97, power spectrum, snip_edges, FFT rounded up to a power of two and
 * log(max(x, float32 epsilon)).
 *
 * Why float32 and not float64: torchaudio computes every step on float32
 * tensors, and the quietest mel bins (low bins after preemphasis, 20+ nats
 * below the frame's loudest bin) carry float32 rounding noise of ~1e-3 in the
 * log domain. An exact float64 computation therefore differs from the torch
 * features the model was trained on by up to ~1.2e-3; replaying torch's float32
 * steps in the same order (window, DC removal, preemphasis, FFTPACK FFT, mel
 * weights) brings the worst case down to ~1.4e-4 on the reference cuts.
 */

const f32 = Math.fround;

export interface KaldiFbankOptions {
  /** Hz (default SAMPLE_RATE, 16 kHz). */
  sampleRate?: number;
  /** Default 80. */
  numMelBins?: number;
  /** Default 25 ms. */
  frameLengthMs?: number;
  /** Default 10 ms. */
  frameShiftMs?: number;
  /** Default 0.97. */
  preemphasisCoefficient?: number;
  /** Lower edge of the mel bank in Hz (default 20). */
  lowFreq?: number;
  /** Upper edge in Hz; <= 0 is relative to Nyquist (default 0 = Nyquist). */
  highFreq?: number;
  /** Multiplier applied to the input samples; pyannote feeds waveform * 32768 (the default). */
  inputScale?: number;
}

/** torch.finfo(torch.float32).eps, Kaldi's floor before the log. */
export const FLOAT32_EPSILON = 1.1920928955078125e-7;

export class KaldiFbank {
  readonly sampleRate: number;
  readonly numMelBins: number;
  /** Samples per frame (400 at 16 kHz / 25 ms). */
  readonly frameLength: number;
  /** Samples between frame starts (160 at 16 kHz / 10 ms). */
  readonly frameShift: number;
  /** FFT length, frameLength rounded up to a power of two. */
  readonly fftSize: number;

  private readonly preemphasis: number;
  private readonly inputScale: number;
  private readonly window: Float32Array;
  private readonly melBank: SparseMelBank;
  private readonly fft: Float32RealFft;
  /** Zero-padded frame; only the first frameLength values are ever written. */
  private readonly frame: Float32Array;
  private readonly power: Float32Array;

  constructor(options: KaldiFbankOptions = {}) {
    this.sampleRate = options.sampleRate ?? SAMPLE_RATE;
    this.numMelBins = options.numMelBins ?? 80;
    this.preemphasis = f32(options.preemphasisCoefficient ?? 0.97);
    this.inputScale = f32(options.inputScale ?? 32768);
    // Same truncation as torchaudio: int(sample_frequency * ms * 0.001).
    this.frameLength = Math.trunc(this.sampleRate * (options.frameLengthMs ?? 25) * 0.001);
    this.frameShift = Math.trunc(this.sampleRate * (options.frameShiftMs ?? 10) * 0.001);
    if (this.frameLength < 2 || this.frameShift < 1) {
      throw new Error(`fbank frame length ${this.frameLength} / shift ${this.frameShift} samples is too short`);
    }
    this.fftSize = 2 ** Math.ceil(Math.log2(this.frameLength));
    this.fft = new Float32RealFft(Math.max(4, this.fftSize));
    this.frame = new Float32Array(this.fft.size);
    this.power = new Float32Array(this.fft.numBins);
    this.window = torchHammingWindow(this.frameLength);
    this.melBank = kaldiMelBank({
      numBins: this.numMelBins,
      fftSize: this.fft.size,
      sampleRate: this.sampleRate,
      lowFreq: options.lowFreq ?? 20,
      highFreq: options.highFreq ?? 0,
    });
  }

  /** Frames produced for `numSamples` samples with snip_edges: 1 + floor((N - L) / shift), 0 if N < L. */
  numFrames(numSamples: number): number {
    if (numSamples < this.frameLength) return 0;
    return 1 + Math.floor((numSamples - this.frameLength) / this.frameShift);
  }

  /**
   * Log-mel features of `samples` (float waveform in [-1, 1]) as row-major
   * [numFrames(samples.length), numMelBins]. Pass `out` to reuse a buffer (it
   * may be longer than needed); no per-frame allocation happens either way.
   * Not mean-normalised: see subtractFrameMean.
   */
  compute(samples: Float32Array | Float64Array, out?: Float32Array): Float32Array {
    const numFrames = this.numFrames(samples.length);
    const size = numFrames * this.numMelBins;
    if (out !== undefined && out.length < size) {
      throw new Error(`fbank output buffer holds ${out.length} values, need ${size}`);
    }
    const features = out ?? new Float32Array(size);
    for (let f = 0; f < numFrames; f++) {
      this.prepareFrame(samples, f * this.frameShift);
      this.fft.powerSpectrum(this.frame, this.power);
      this.applyMelBank(features, f * this.numMelBins);
    }
    return features;
  }

  /**
   * DC removal, preemphasis and window into the zero-padded frame buffer, each
   * step rounded to float32 like torchaudio's tensor ops.
   */
  private prepareFrame(samples: Float32Array | Float64Array, start: number): void {
    const { frame, window, frameLength, preemphasis, inputScale } = this;
    let sum = 0;
    for (let i = 0; i < frameLength; i++) sum += f32(samples[start + i] * inputScale);
    const mean = f32(sum / frameLength);
    // Walk backwards so x[i - 1] is still the DC-removed, un-emphasised value.
    let current = f32(f32(samples[start + frameLength - 1] * inputScale) - mean);
    for (let i = frameLength - 1; i > 0; i--) {
      const previous = f32(f32(samples[start + i - 1] * inputScale) - mean);
      frame[i] = f32(current - f32(preemphasis * previous)) * window[i];
      current = previous;
    }
    // Kaldi replicates the first sample as its own predecessor.
    frame[0] = f32(current - f32(preemphasis * current)) * window[0];
  }

  private applyMelBank(features: Float32Array, rowStart: number): void {
    const { power } = this;
    const { firstFftBin, length, offset, weights } = this.melBank;
    for (let m = 0; m < this.numMelBins; m++) {
      const first = firstFftBin[m];
      const base = offset[m] - first;
      const end = first + length[m];
      let energy = 0;
      for (let k = first; k < end; k++) energy = f32(energy + f32(weights[base + k] * power[k]));
      features[rowStart + m] = Math.log(energy > FLOAT32_EPSILON ? energy : FLOAT32_EPSILON);
    }
  }
}

/**
 * Kaldi's symmetric hamming window 0.54 - 0.46 cos(2 pi n / (N - 1)), rounded
 * step by step as torch.hamming_window(N, periodic=False) builds it in float32
 * (arange * float32(2 pi / (N - 1)), cos, * -0.46, + 0.54).
 */
export function torchHammingWindow(length: number): Float32Array {
  const window = new Float32Array(length);
  const step = f32((2 * Math.PI) / (length - 1));
  const beta = f32(0.46);
  const alpha = f32(0.54);
  for (let n = 0; n < length; n++) {
    const cosine = f32(Math.cos(f32(n * step)));
    window[n] = f32(cosine * -beta) + alpha;
  }
  return window;
}
