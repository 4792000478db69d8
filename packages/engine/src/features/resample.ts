import { designPolyphaseFilter, PolyphaseFilter, PolyphaseFilterOptions } from './polyphase-filter';

/**
 * Rational-ratio resampler (polyphase Kaiser-windowed sinc), e.g. 16 kHz ->
 * 22,050 Hz (up 441, down 320) for the waveform speaker-embedding model.
 *
 * Time alignment: output sample k is the band-limited input evaluated at time
 * k / toRate, input sample n sits at n / fromRate, and samples outside the
 * buffer count as zero. The output has ceil(inputLength * toRate / fromRate)
 * samples, i.e. every output instant inside [0, inputLength / fromRate).
 * The first and last ~half filter length outputs therefore taper slightly.
 */
export class Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Interpolation factor after reducing the rates by their gcd. */
  readonly up: number;
  /** Decimation factor after reducing the rates by their gcd. */
  readonly down: number;
  private readonly filter: PolyphaseFilter | null;

  constructor(fromRate: number, toRate: number, options: PolyphaseFilterOptions = {}) {
    for (const rate of [fromRate, toRate]) {
      if (!Number.isInteger(rate) || rate <= 0) throw new Error(`sample rates must be positive integers, got ${rate}`);
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    const divisor = gcd(fromRate, toRate);
    this.up = toRate / divisor;
    this.down = fromRate / divisor;
    this.filter = fromRate === toRate ? null : designPolyphaseFilter(this.up, this.down, options);
  }

  /** Taps per output sample (0 for the identity). */
  get tapsPerOutput(): number {
    return this.filter?.tapsPerPhase ?? 0;
  }

  /** Number of output samples for `inputLength` input samples. */
  outputLength(inputLength: number): number {
    return Math.ceil((inputLength * this.up) / this.down);
  }

  /**
   * Resamples a whole buffer. Pass `out` (at least outputLength values) to
   * reuse memory; otherwise a new array is returned. Equal rates copy.
   */
  process(input: Float32Array, out?: Float32Array): Float32Array {
    const length = this.outputLength(input.length);
    if (out !== undefined && out.length < length) {
      throw new Error(`resampler output buffer holds ${out.length} values, need ${length}`);
    }
    const output = out ?? new Float32Array(length);
    const filter = this.filter;
    if (filter === null) {
      output.set(input);
      return output;
    }

    const { taps, tapsPerPhase, half, up, down } = filter;
    const wholeStep = Math.floor(down / up);
    const fractionStep = down % up;
    const inputLength = input.length;
    // Output k sits at input position k * down / up = n0 + phase / up.
    let n0 = 0;
    let phase = 0;
    for (let k = 0; k < length; k++) {
      const start = n0 - half + 1;
      const base = phase * tapsPerPhase;
      if (start >= 0 && start + tapsPerPhase <= inputLength) {
        // Four accumulators break the add dependency chain.
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let j = 0; j < tapsPerPhase; j += 4) {
          a0 += taps[base + j] * input[start + j];
          a1 += taps[base + j + 1] * input[start + j + 1];
          a2 += taps[base + j + 2] * input[start + j + 2];
          a3 += taps[base + j + 3] * input[start + j + 3];
        }
        output[k] = a0 + a1 + (a2 + a3);
      } else {
        // Near the edges: the samples outside the buffer are zero.
        const first = Math.max(0, -start);
        const last = Math.min(tapsPerPhase, inputLength - start);
        let acc = 0;
        for (let j = first; j < last; j++) acc += taps[base + j] * input[start + j];
        output[k] = acc;
      }
      n0 += wholeStep;
      phase += fractionStep;
      if (phase >= up) {
        phase -= up;
        n0 += 1;
      }
    }
    return output;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
