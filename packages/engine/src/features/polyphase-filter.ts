import { besselI0 } from '../math/bessel-i0';

/**
 * Kaiser-windowed sinc low-pass for rational resampling by up/down, laid out
 * as `up` polyphase rows so that each output sample is one dot product.
 *
 * Frequencies are fractions of the lower of the two Nyquist rates: the
 * transition band sits around it, so content below `passbandEdge` passes and
 * its images/aliases (which land above `stopbandEdge`) are attenuated by
 * `attenuationDb`.
 */
export interface PolyphaseFilterOptions {
  /** End of the passband, fraction of the lower Nyquist (default 0.9875: 7.9 kHz for 16 kHz). */
  passbandEdge?: number;
  /** Start of the stopband, fraction of the lower Nyquist (default 1.0125: 8.1 kHz for 16 kHz). */
  stopbandEdge?: number;
  /** Stopband attenuation in dB; sets the Kaiser beta and the filter length (default 80). */
  attenuationDb?: number;
}

export interface PolyphaseFilter {
  up: number;
  down: number;
  /** Taps per phase (even). */
  tapsPerPhase: number;
  /**
   * Row p (p = 0..up-1) holds the taps for an output that falls p/up of an
   * input period after input sample n0; tap j multiplies input n0 - half + 1 + j.
   */
  taps: Float32Array;
  /** tapsPerPhase / 2: how far (in input samples) the filter reaches each way. */
  half: number;
}

/** Kaiser's empirical beta for a given stopband attenuation. */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

export function designPolyphaseFilter(up: number, down: number, options: PolyphaseFilterOptions = {}): PolyphaseFilter {
  const passbandEdge = options.passbandEdge ?? 0.9875;
  const stopbandEdge = options.stopbandEdge ?? 1.0125;
  const attenuationDb = options.attenuationDb ?? 80;
  if (!(passbandEdge > 0 && stopbandEdge > passbandEdge)) {
    throw new Error(`need 0 < passbandEdge < stopbandEdge, got ${passbandEdge}, ${stopbandEdge}`);
  }
  // Work in cycles per input sample; the lower Nyquist is 0.5 * min(1, up/down).
  const nyquist = 0.5 * Math.min(1, up / down);
  const cutoff = ((passbandEdge + stopbandEdge) / 2) * nyquist;
  const transition = (stopbandEdge - passbandEdge) * nyquist;
  const beta = kaiserBeta(attenuationDb);
  // Kaiser's length formula; the span is rounded up to an even half-width so
  // the dot product unrolls by four.
  const span = (attenuationDb - 7.95) / (14.36 * transition) + 1;
  const half = 2 * Math.ceil(span / 4);
  const tapsPerPhase = 2 * half;

  const taps = new Float32Array(up * tapsPerPhase);
  const row = new Float64Array(tapsPerPhase);
  const windowNorm = besselI0(beta);
  for (let phase = 0; phase < up; phase++) {
    const offset = phase / up;
    let sum = 0;
    for (let j = 0; j < tapsPerPhase; j++) {
      // Distance from the output instant to input n0 - half + 1 + j.
      const t = offset + half - 1 - j;
      const ratio = t / half;
      const window = Math.abs(ratio) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - ratio * ratio)) / windowNorm;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      row[j] = 2 * cutoff * sinc * window;
      sum += row[j];
    }
    // Unit DC gain in every phase: no phase-dependent gain ripple, DC stays DC.
    for (let j = 0; j < tapsPerPhase; j++) taps[phase * tapsPerPhase + j] = row[j] / sum;
  }
  return { up, down, tapsPerPhase, taps, half };
}
