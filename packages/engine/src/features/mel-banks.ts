/**
 * Kaldi's triangular mel filterbank (torchaudio.compliance.kaldi.get_mel_banks
 * without VTLN), stored sparsely: each bin keeps only its non-zero run of
 * FFT-bin weights, so applying it costs ~2 multiply-adds per FFT bin.
 *
 * The weights are rounded the way torchaudio computes them (float32 tensors,
 * python-float band edges): the float32 rounding moves weights by up to ~1e-5,
 * which shows up in quiet log-mel bins, and the goal is parity with the
 * features the speaker-embedding model was trained on.
 */

const f32 = Math.fround;

/** Kaldi's mel scale: 1127 ln(1 + f / 700). */
export function kaldiMel(frequencyHz: number): number {
  return 1127 * Math.log(1 + frequencyHz / 700);
}

export interface MelBankOptions {
  numBins: number;
  /** FFT length (power of two); the bank covers bins 0..fftSize/2 - 1, the Nyquist bin gets weight 0. */
  fftSize: number;
  sampleRate: number;
  lowFreq: number;
  /** Upper edge in Hz; <= 0 means Nyquist + highFreq, as in Kaldi. */
  highFreq: number;
}

export interface SparseMelBank {
  numBins: number;
  /** First FFT bin with a non-zero weight, per mel bin. */
  firstFftBin: Int32Array;
  /** Number of consecutive FFT bins with weights, per mel bin. */
  length: Int32Array;
  /** Offset of each mel bin's weights in `weights`. */
  offset: Int32Array;
  /** float32 values (as torchaudio's bank holds them), kept in a Float64Array for the inner loop. */
  weights: Float64Array;
}

export function kaldiMelBank(options: MelBankOptions): SparseMelBank {
  const { numBins, fftSize, sampleRate, lowFreq } = options;
  const nyquist = sampleRate / 2;
  const highFreq = options.highFreq <= 0 ? options.highFreq + nyquist : options.highFreq;
  if (!(lowFreq >= 0 && lowFreq < highFreq && highFreq <= nyquist)) {
    throw new Error(`mel bank needs 0 <= lowFreq < highFreq <= ${nyquist}, got ${lowFreq}..${highFreq}`);
  }
  // Kaldi leaves out the Nyquist bin (torchaudio pads it back as a zero column).
  const numFftBins = fftSize / 2;
  const binWidthHz = sampleRate / fftSize;
  const melLow = kaldiMel(lowFreq);
  const melDelta = (kaldiMel(highFreq) - melLow) / (numBins + 1);
  // torchaudio: mel_scale(fft_bin_width * arange(n)) on a float32 tensor.
  const fftMel = new Float64Array(numFftBins);
  for (let k = 0; k < numFftBins; k++) {
    const frequency = f32(binWidthHz * k);
    fftMel[k] = f32(1127 * f32(Math.log(f32(1 + f32(frequency / 700)))));
  }
  // mel_low + bin * delta with an int64 bin tensor: promoted to float32.
  const low32 = f32(melLow);
  const delta32 = f32(melDelta);

  const firstFftBin = new Int32Array(numBins);
  const length = new Int32Array(numBins);
  const offset = new Int32Array(numBins);
  const weights: number[] = [];
  for (let m = 0; m < numBins; m++) {
    const left = f32(low32 + f32(m * delta32));
    const center = f32(low32 + f32((m + 1) * delta32));
    const right = f32(low32 + f32((m + 2) * delta32));
    let first = -1;
    let last = -1;
    const row = new Float64Array(numFftBins);
    for (let k = 0; k < numFftBins; k++) {
      const up = f32(f32(fftMel[k] - left) / f32(center - left));
      const down = f32(f32(right - fftMel[k]) / f32(right - center));
      const weight = Math.max(0, Math.min(up, down));
      row[k] = weight;
      if (weight > 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    offset[m] = weights.length;
    firstFftBin[m] = Math.max(first, 0);
    length[m] = first < 0 ? 0 : last - first + 1;
    for (let k = firstFftBin[m]; k < firstFftBin[m] + length[m]; k++) weights.push(row[k]);
  }
  return { numBins, firstFftBin, length, offset, weights: Float64Array.from(weights) };
}
