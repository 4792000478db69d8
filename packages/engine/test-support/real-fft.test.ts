import { RealFft } from './real-fft';

/** Textbook O(n^2) DFT as the reference. */
function naiveDft(input: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = input.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * k * t) / n;
      re[k] += input[t] * Math.cos(angle);
      im[k] += input[t] * Math.sin(angle);
    }
  }
  return { re, im };
}

/** Deterministic pseudo-random signal (LCG) so failures reproduce. */
function randomSignal(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

describe('RealFft', () => {
  it.each([4, 8, 16, 64, 512, 1024])('matches a naive DFT for size %i', (size) => {
    const fft = new RealFft(size);
    const input = randomSignal(size, size);
    const re = new Float64Array(fft.numBins);
    const im = new Float64Array(fft.numBins);
    fft.forward(input, re, im);
    const expected = naiveDft(input);
    for (let k = 0; k < fft.numBins; k++) {
      expect(re[k]).toBeCloseTo(expected.re[k], 9);
      expect(im[k]).toBeCloseTo(expected.im[k], 9);
    }
  });

  it('power spectrum equals |forward|^2 and is reusable across calls', () => {
    const fft = new RealFft(512);
    const re = new Float64Array(fft.numBins);
    const im = new Float64Array(fft.numBins);
    const power = new Float64Array(fft.numBins);
    for (const seed of [1, 2, 3]) {
      const input = randomSignal(512, seed);
      fft.forward(input, re, im);
      fft.powerSpectrum(input, power);
      for (let k = 0; k < fft.numBins; k++) {
        expect(power[k]).toBeCloseTo(re[k] * re[k] + im[k] * im[k], 9);
      }
    }
  });

  it('puts a pure cosine in its bin', () => {
    const fft = new RealFft(256);
    const input = new Float64Array(256).map((_, t) => Math.cos((2 * Math.PI * 10 * t) / 256));
    const power = new Float64Array(fft.numBins);
    fft.powerSpectrum(input, power);
    expect(power[10]).toBeCloseTo(128 * 128, 6);
    power[10] = 0;
    expect(Math.max(...power)).toBeLessThan(1e-18);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFft(400)).toThrow(/power of two/);
    expect(() => new RealFft(2)).toThrow(/power of two/);
  });
});
