/**
 * Forward FFT of a real signal whose length is a power of two, in float64: the reference the
 * tests check the engine's Float32RealFft (and the resampler) against; test-only, so outside src/.
 *
 * The n real samples are packed as n/2 complex values (even samples real, odd
 * samples imaginary), transformed with an iterative radix-2 FFT of size n/2 and
 * then split into the n/2 + 1 non-redundant bins. Tables (bit reversal and both
 * twiddle sets) are built once in the constructor and the transform itself
 * allocates nothing, so one instance can serve millions of frames.
 */
export class RealFft {
  /** Number of real input samples. */
  readonly size: number;
  /** Number of output bins, size / 2 + 1 (DC to Nyquist inclusive). */
  readonly numBins: number;

  private readonly half: number;
  /** Pairs (i, j) with i < j to swap for the bit-reversal permutation. */
  private readonly swaps: Uint32Array;
  /** cos/sin(2 pi k / half) for the size-half complex FFT, k < half / 2. */
  private readonly cosHalf: Float64Array;
  private readonly sinHalf: Float64Array;
  /** cos/sin(2 pi k / size) for splitting the packed spectrum, k <= half. */
  private readonly cosFull: Float64Array;
  private readonly sinFull: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Scratch spectrum for powerSpectrum, numBins values each. */
  private readonly binRe: Float64Array;
  private readonly binIm: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new Error(`RealFft size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    this.half = size >> 1;
    this.numBins = this.half + 1;
    this.re = new Float64Array(this.half);
    this.im = new Float64Array(this.half);
    this.binRe = new Float64Array(this.numBins);
    this.binIm = new Float64Array(this.numBins);

    const half = this.half;
    const bits = Math.log2(half);
    const swaps: number[] = [];
    for (let i = 0; i < half; i++) {
      let reversed = 0;
      for (let b = 0; b < bits; b++) reversed |= ((i >> b) & 1) << (bits - 1 - b);
      if (i < reversed) swaps.push(i, reversed);
    }
    this.swaps = Uint32Array.from(swaps);

    this.cosHalf = new Float64Array(Math.max(1, half >> 1));
    this.sinHalf = new Float64Array(Math.max(1, half >> 1));
    for (let k = 0; k < half >> 1; k++) {
      this.cosHalf[k] = Math.cos((2 * Math.PI * k) / half);
      this.sinHalf[k] = Math.sin((2 * Math.PI * k) / half);
    }
    this.cosFull = new Float64Array(half + 1);
    this.sinFull = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.cosFull[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinFull[k] = Math.sin((2 * Math.PI * k) / size);
    }
  }

  /**
   * X[k] = sum_n input[n] e^{-2 pi i k n / size} for k = 0..size/2.
   * `input` must hold `size` samples; `outRe`/`outIm` at least `numBins` values.
   */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    this.transformPacked(input);
    const { re, im, half, cosFull, sinFull } = this;
    outRe[0] = re[0] + im[0];
    outIm[0] = 0;
    outRe[half] = re[0] - im[0];
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const a = re[k];
      const b = im[k];
      const c = re[half - k];
      const d = im[half - k];
      // Even-sample spectrum E and odd-sample spectrum O, both at bin k.
      const evenRe = 0.5 * (a + c);
      const evenIm = 0.5 * (b - d);
      const oddRe = 0.5 * (b + d);
      const oddIm = -0.5 * (a - c);
      const wr = cosFull[k];
      const wi = sinFull[k];
      outRe[k] = evenRe + wr * oddRe + wi * oddIm;
      outIm[k] = evenIm + wr * oddIm - wi * oddRe;
    }
  }

  /** |X[k]|^2 for k = 0..size/2 into `out` (at least `numBins` values). */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array): void {
    const { binRe, binIm } = this;
    this.forward(input, binRe, binIm);
    for (let k = 0; k < binRe.length; k++) out[k] = binRe[k] * binRe[k] + binIm[k] * binIm[k];
  }

  /** Complex FFT of size/2 points of the even/odd-packed input, left in re/im. */
  private transformPacked(input: ArrayLike<number>): void {
    const { re, im, half, swaps, cosHalf, sinHalf } = this;
    for (let i = 0; i < half; i++) {
      re[i] = input[2 * i];
      im[i] = input[2 * i + 1];
    }
    for (let s = 0; s < swaps.length; s += 2) {
      const i = swaps[s];
      const j = swaps[s + 1];
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
    for (let span = 1; span < half; span <<= 1) {
      const step = half / (span << 1);
      for (let j = 0; j < span; j++) {
        // Twiddle e^{-2 pi i j / (2 span)}, shared by every butterfly group.
        const wr = cosHalf[j * step];
        const wi = -sinHalf[j * step];
        for (let a = j; a < half; a += span << 1) {
          const b = a + span;
          const br = re[b];
          const bi = im[b];
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }
}
