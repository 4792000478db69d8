/**
 * Real forward FFT evaluated in float32 arithmetic, with the rounding of
 * torch.fft.rfft on CPU float32 tensors.
 *
 * torch's CPU FFT backend (pocketfft) runs the classic FFTPACK real transform:
 * radix-4 passes (plus one radix-2 pass when log2(n) is odd) on half-complex
 * data. Features that feed a network trained on torch output (Kaldi fbank for
 * WeSpeaker) are only reproducible to ~1e-4 in their quiet log-mel bins if the
 * same float32 rounding happens in the same order, so this class performs the
 * same butterflies and rounds after every operation (Math.fround, or a store
 * into a Float32Array; emulating float32 through float64 this way is exact for
 * + - * because float64 carries more than twice float32's precision).
 *
 * Power-of-two sizes only. Tables are built once; transforms allocate nothing.
 */

const f32 = Math.fround;
const HALF_SQRT2 = Math.fround(Math.SQRT1_2);

interface Pass {
  radix: 2 | 4;
  /** Length of each butterfly's inner run ("ido" in FFTPACK terms). */
  innerLength: number;
  /** Number of independent butterfly groups ("l1"). */
  groups: number;
  /** Offset of this pass's twiddles in the shared table. */
  twiddleOffset: number;
}

export class Float32RealFft {
  readonly size: number;
  /** size / 2 + 1 bins, DC to Nyquist. */
  readonly numBins: number;

  private readonly passes: Pass[];
  private readonly twiddles: Float32Array;
  private readonly bufferA: Float32Array;
  private readonly bufferB: Float32Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new Error(`Float32RealFft size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    this.numBins = size / 2 + 1;
    this.bufferA = new Float32Array(size);
    this.bufferB = new Float32Array(size);

    // FFTPACK factor order: a lone 2 (if any) first, then the 4s.
    const factors: Array<2 | 4> = [];
    let rest = size;
    while (rest % 4 === 0) {
      factors.push(4);
      rest /= 4;
    }
    if (rest === 2) factors.unshift(2);

    // Twiddles of factor k use the product of the factors before it; the last
    // factor runs with an inner length of 1 and needs none.
    const twiddleValues: number[] = [];
    const offsets: number[] = [];
    let product = 1;
    for (let k = 0; k < factors.length; k++) {
      const radix = factors[k];
      const innerLength = size / (product * radix);
      offsets.push(twiddleValues.length);
      if (k < factors.length - 1) {
        const start = twiddleValues.length;
        for (let t = 0; t < (radix - 1) * (innerLength - 1); t++) twiddleValues.push(0);
        for (let j = 1; j < radix; j++) {
          for (let i = 1; i <= (innerLength - 1) >> 1; i++) {
            const angle = (2 * Math.PI * j * product * i) / size;
            const at = start + (j - 1) * (innerLength - 1) + 2 * i - 2;
            twiddleValues[at] = Math.cos(angle);
            twiddleValues[at + 1] = Math.sin(angle);
          }
        }
      }
      product *= radix;
    }
    this.twiddles = Float32Array.from(twiddleValues);

    // Passes run from the last factor to the first.
    this.passes = [];
    let groups = size;
    for (let k = factors.length - 1; k >= 0; k--) {
      const innerLength = size / groups;
      groups /= factors[k];
      this.passes.push({ radix: factors[k], innerLength, groups, twiddleOffset: offsets[k] });
    }
  }

  /**
   * Forward transform of `input` (size samples, already float32 values) into
   * FFTPACK half-complex order: [Re0, Re1, Im1, Re2, Im2, ..., Re(n/2)].
   * Returns an internal buffer that the next call overwrites.
   */
  forwardHalfComplex(input: Float32Array): Float32Array {
    let source: Float32Array = input;
    let target = this.bufferA;
    for (const pass of this.passes) {
      if (pass.radix === 4) {
        radix4Pass(pass.innerLength, pass.groups, source, target, this.twiddles, pass.twiddleOffset);
      } else {
        radix2Pass(pass.innerLength, pass.groups, source, target, this.twiddles, pass.twiddleOffset);
      }
      source = target;
      target = target === this.bufferA ? this.bufferB : this.bufferA;
    }
    return source;
  }

  /** |X[k]|^2 in float32 (re*re + im*im, each step rounded) for k = 0..size/2. */
  powerSpectrum(input: Float32Array, out: Float32Array | Float64Array): void {
    const spectrum = this.forwardHalfComplex(input);
    const last = this.size - 1;
    out[0] = f32(spectrum[0] * spectrum[0]);
    for (let k = 1; k < this.numBins - 1; k++) {
      const re = spectrum[2 * k - 1];
      const im = spectrum[2 * k];
      out[k] = f32(f32(re * re) + f32(im * im));
    }
    out[this.numBins - 1] = f32(spectrum[last] * spectrum[last]);
  }
}

/*
 * Index maps shared by both passes (FFTPACK layout):
 *   input  element (i, group k, branch c) at i + ido * (k + l1 * c)
 *   output element (i, branch c, group k) at i + ido * (c + radix * k)
 * Twiddle (branch j, position i) at offset + i + (j - 1) * (ido - 1).
 * Every sum, difference and product is rounded to float32 (stores into the
 * Float32Array output round implicitly).
 */

function radix4Pass(
  ido: number,
  l1: number,
  cc: Float32Array,
  ch: Float32Array,
  wa: Float32Array,
  waOffset: number,
): void {
  const branch = ido * l1; // input distance between branches c and c + 1
  for (let k = 0; k < l1; k++) {
    const inBase = ido * k;
    const outBase = ido * 4 * k;
    const x0 = cc[inBase];
    const x1 = cc[inBase + branch];
    const x2 = cc[inBase + 2 * branch];
    const x3 = cc[inBase + 3 * branch];
    const sum13 = f32(x3 + x1);
    const sum02 = f32(x0 + x2);
    ch[outBase + 2 * ido] = x3 - x1;
    ch[outBase + ido + ido - 1] = x0 - x2;
    ch[outBase] = sum02 + sum13;
    ch[outBase + 3 * ido + ido - 1] = sum02 - sum13;
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      const inBase = ido * k + ido - 1;
      const outBase = ido * 4 * k;
      const a0 = cc[inBase];
      const a1 = cc[inBase + branch];
      const a2 = cc[inBase + 2 * branch];
      const a3 = cc[inBase + 3 * branch];
      const ti1 = f32(-HALF_SQRT2 * f32(a1 + a3));
      const tr1 = f32(HALF_SQRT2 * f32(a1 - a3));
      ch[outBase + ido - 1] = a0 + tr1;
      ch[outBase + 2 * ido + ido - 1] = a0 - tr1;
      ch[outBase + 3 * ido] = ti1 + a2;
      ch[outBase + ido] = ti1 - a2;
    }
  }
  if (ido <= 2) return;
  const w1 = waOffset;
  const w2 = waOffset + (ido - 1);
  const w3 = waOffset + 2 * (ido - 1);
  for (let k = 0; k < l1; k++) {
    const inBase = ido * k;
    const outBase = ido * 4 * k;
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const re0 = cc[inBase + i - 1];
      const im0 = cc[inBase + i];
      const re1 = cc[inBase + branch + i - 1];
      const im1 = cc[inBase + branch + i];
      const re2 = cc[inBase + 2 * branch + i - 1];
      const im2 = cc[inBase + 2 * branch + i];
      const re3 = cc[inBase + 3 * branch + i - 1];
      const im3 = cc[inBase + 3 * branch + i];
      // Branches 1..3 times the conjugate twiddle.
      const c1 = wa[w1 + i - 2];
      const s1 = wa[w1 + i - 1];
      const c2 = wa[w2 + i - 2];
      const s2 = wa[w2 + i - 1];
      const c3 = wa[w3 + i - 2];
      const s3 = wa[w3 + i - 1];
      const cr2 = f32(f32(c1 * re1) + f32(s1 * im1));
      const ci2 = f32(f32(c1 * im1) - f32(s1 * re1));
      const cr3 = f32(f32(c2 * re2) + f32(s2 * im2));
      const ci3 = f32(f32(c2 * im2) - f32(s2 * re2));
      const cr4 = f32(f32(c3 * re3) + f32(s3 * im3));
      const ci4 = f32(f32(c3 * im3) - f32(s3 * re3));
      const tr1 = f32(cr4 + cr2);
      const tr4 = f32(cr4 - cr2);
      const ti1 = f32(ci2 + ci4);
      const ti4 = f32(ci2 - ci4);
      const tr2 = f32(re0 + cr3);
      const tr3 = f32(re0 - cr3);
      const ti2 = f32(im0 + ci3);
      const ti3 = f32(im0 - ci3);
      ch[outBase + i - 1] = tr2 + tr1;
      ch[outBase + 3 * ido + ic - 1] = tr2 - tr1;
      ch[outBase + i] = ti1 + ti2;
      ch[outBase + 3 * ido + ic] = ti1 - ti2;
      ch[outBase + 2 * ido + i - 1] = tr3 + ti4;
      ch[outBase + ido + ic - 1] = tr3 - ti4;
      ch[outBase + 2 * ido + i] = tr4 + ti3;
      ch[outBase + ido + ic] = tr4 - ti3;
    }
  }
}

function radix2Pass(
  ido: number,
  l1: number,
  cc: Float32Array,
  ch: Float32Array,
  wa: Float32Array,
  waOffset: number,
): void {
  const branch = ido * l1;
  for (let k = 0; k < l1; k++) {
    const inBase = ido * k;
    const outBase = ido * 2 * k;
    ch[outBase] = cc[inBase] + cc[inBase + branch];
    ch[outBase + ido + ido - 1] = cc[inBase] - cc[inBase + branch];
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      const inBase = ido * k;
      const outBase = ido * 2 * k;
      ch[outBase + ido] = -cc[inBase + branch + ido - 1];
      ch[outBase + ido - 1] = cc[inBase + ido - 1];
    }
  }
  if (ido <= 2) return;
  for (let k = 0; k < l1; k++) {
    const inBase = ido * k;
    const outBase = ido * 2 * k;
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const c = wa[waOffset + i - 2];
      const s = wa[waOffset + i - 1];
      const re1 = cc[inBase + branch + i - 1];
      const im1 = cc[inBase + branch + i];
      const tr2 = f32(f32(c * re1) + f32(s * im1));
      const ti2 = f32(f32(c * im1) - f32(s * re1));
      const re0 = cc[inBase + i - 1];
      const im0 = cc[inBase + i];
      ch[outBase + i - 1] = re0 + tr2;
      ch[outBase + ido + ic - 1] = re0 - tr2;
      ch[outBase + i] = ti2 + im0;
      ch[outBase + ido + ic] = ti2 - im0;
    }
  }
}
