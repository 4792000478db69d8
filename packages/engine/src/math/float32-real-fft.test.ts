import { Float32RealFft } from './float32-real-fft';
import { RealFft } from '../../test-support/real-fft';

/** Deterministic pseudo-random float32 signal (LCG) so failures reproduce. */
function randomSignal(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 1000;
  }
  return out;
}

describe('Float32RealFft', () => {
  it.each([4, 8, 16, 32, 64, 512, 1024, 2048])('agrees with a float64 FFT to float32 precision for size %i', (size) => {
    const fft32 = new Float32RealFft(size);
    const fft64 = new RealFft(size);
    const input = randomSignal(size, size + 7);
    const halfComplex = fft32.forwardHalfComplex(input);
    const re = new Float64Array(fft64.numBins);
    const im = new Float64Array(fft64.numBins);
    fft64.forward(input, re, im);

    let peak = 0;
    for (let k = 0; k < fft64.numBins; k++) peak = Math.max(peak, Math.hypot(re[k], im[k]));
    const tolerance = peak * 1e-6 * Math.log2(size);
    expect(Math.abs(halfComplex[0] - re[0])).toBeLessThan(tolerance);
    expect(Math.abs(halfComplex[size - 1] - re[size / 2])).toBeLessThan(tolerance);
    for (let k = 1; k < size / 2; k++) {
      expect(Math.abs(halfComplex[2 * k - 1] - re[k])).toBeLessThan(tolerance);
      expect(Math.abs(halfComplex[2 * k] - im[k])).toBeLessThan(tolerance);
    }
  });

  it('produces float32 values and leaves its input untouched', () => {
    const fft = new Float32RealFft(512);
    const input = randomSignal(512, 3);
    const copy = Float32Array.from(input);
    const power = new Float64Array(fft.numBins);
    fft.powerSpectrum(input, power);
    expect(Array.from(input)).toEqual(Array.from(copy));
    for (const value of power) expect(Math.fround(value)).toBe(value);
  });

  it('puts a pure cosine in its bin', () => {
    const fft = new Float32RealFft(256);
    const input = new Float32Array(256).map((_, t) => Math.cos((2 * Math.PI * 10 * t) / 256));
    const power = new Float32Array(fft.numBins);
    fft.powerSpectrum(input, power);
    expect(power[10]).toBeCloseTo(128 * 128, 1);
    power[10] = 0;
    expect(Math.max(...power)).toBeLessThan(1e-6);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new Float32RealFft(400)).toThrow(/power of two/);
  });
});
